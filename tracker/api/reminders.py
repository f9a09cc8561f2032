"""Reminders: when, how, and the notification's Snooze action."""

from django.http import HttpRequest
from ninja import Router, Status

from tracker.api.schemas.common import ErrorOut
from tracker.api.schemas.reminders import ReminderIn, ReminderOut, ReminderPatch, SnoozeIn
from tracker.selectors import reminders as selectors
from tracker.services import reminders as services

router = Router(tags=["reminders"])
ERRORS = {404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.get("", response=list[ReminderOut])
def reminder_list(request: HttpRequest) -> object:
    return selectors.reminder_list(user=request.auth)


@router.post("", response={201: ReminderOut, **ERRORS})
def reminder_create(request: HttpRequest, payload: ReminderIn) -> Status:
    return Status(201, services.reminder_create(user=request.auth, fields=payload.model_dump()))


@router.get("/{reminder_id}", response={200: ReminderOut, 404: ErrorOut})
def reminder_get(request: HttpRequest, reminder_id: int) -> object:
    return selectors.reminder_get(user=request.auth, reminder_id=reminder_id)


@router.patch("/{reminder_id}", response={200: ReminderOut, **ERRORS})
def reminder_patch(request: HttpRequest, reminder_id: int, payload: ReminderPatch) -> object:
    changes = payload.model_dump(exclude_unset=True)
    return services.reminder_update(user=request.auth, reminder_id=reminder_id, changes=changes)


@router.delete("/{reminder_id}", response={204: None, 404: ErrorOut})
def reminder_delete(request: HttpRequest, reminder_id: int) -> Status:
    services.reminder_delete(user=request.auth, reminder_id=reminder_id)
    return Status(204, None)


@router.post("/{reminder_id}/snooze", response={200: ReminderOut, **ERRORS})
def reminder_snooze(
    request: HttpRequest, reminder_id: int, payload: SnoozeIn | None = None
) -> object:
    """Remind again later (default in one hour); the body is optional."""
    minutes = payload.minutes if payload else 60
    return services.reminder_snooze(user=request.auth, reminder_id=reminder_id, minutes=minutes)
