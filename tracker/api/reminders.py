"""Reminders: when, how, and the notification's Snooze action."""

from ninja import Router, Status

from tracker.api.schemas.common import ErrorOut
from tracker.api.schemas.reminders import ReminderIn, ReminderOut, ReminderPatch, SnoozeIn
from tracker.api.security import AuthedRequest
from tracker.models import Reminder
from tracker.selectors import reminders as selectors
from tracker.services import reminders as services

router = Router(tags=["reminders"])
ERRORS = {404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.get("", response=list[ReminderOut])
def reminder_list(request: AuthedRequest) -> object:
    return selectors.reminder_list(user=request.auth)


@router.post("", response={201: ReminderOut, **ERRORS})
def reminder_create(request: AuthedRequest, payload: ReminderIn) -> Status[Reminder]:
    reminder = services.reminder_create(user=request.auth, fields=payload.model_dump())
    return Status(201, selectors.reminders_shown(user=request.auth, reminders=[reminder])[0])


@router.get("/{reminder_id}", response={200: ReminderOut, 404: ErrorOut})
def reminder_get(request: AuthedRequest, reminder_id: int) -> object:
    return selectors.reminder_get(user=request.auth, reminder_id=reminder_id)


@router.patch("/{reminder_id}", response={200: ReminderOut, **ERRORS})
def reminder_patch(request: AuthedRequest, reminder_id: int, payload: ReminderPatch) -> object:
    changes = payload.model_dump(exclude_unset=True)
    reminder = services.reminder_update(user=request.auth, reminder_id=reminder_id, changes=changes)
    return selectors.reminders_shown(user=request.auth, reminders=[reminder])[0]


@router.delete("/{reminder_id}", response={204: None, 404: ErrorOut})
def reminder_delete(request: AuthedRequest, reminder_id: int) -> Status[None]:
    services.reminder_delete(user=request.auth, reminder_id=reminder_id)
    return Status(204, None)


@router.post("/{reminder_id}/snooze", response={200: ReminderOut, **ERRORS})
def reminder_snooze(
    request: AuthedRequest, reminder_id: int, payload: SnoozeIn | None = None
) -> object:
    """Remind again later (default in one hour); the body is optional."""
    minutes = payload.minutes if payload else 60
    reminder = services.reminder_snooze(user=request.auth, reminder_id=reminder_id, minutes=minutes)
    return selectors.reminders_shown(user=request.auth, reminders=[reminder])[0]
