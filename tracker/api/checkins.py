"""Knee check-ins, one per local date; POST for a date already answered updates it."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from tracker.api.pagination import Page
from tracker.api.schemas.checkins import (
    CheckInFilters,
    CheckInIn,
    CheckInOut,
    CheckInPatch,
    ClinicianSeenIn,
    ClinicianSeenOut,
)
from tracker.api.schemas.common import ErrorOut
from tracker.api.security import AuthedRequest
from tracker.models import CheckIn
from tracker.selectors import checkins as selectors
from tracker.services import checkins as services

router = Router(tags=["checkins"])
ERRORS = {404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.get("", response=list[CheckInOut])
@paginate(Page)
def checkin_list(request: AuthedRequest, filters: Query[CheckInFilters]) -> object:
    return selectors.checkin_list(user=request.auth, start=filters.start, end=filters.end)


@router.post("", response={200: CheckInOut, 201: CheckInOut, **ERRORS})
def checkin_create(request: AuthedRequest, payload: CheckInIn) -> Status[CheckIn]:
    answers = payload.model_dump(exclude_unset=True, exclude={"client_id", "date"})
    checkin, created = services.checkin_save(
        user=request.auth, client_id=payload.client_id, day=payload.date, answers=answers
    )
    return Status((201 if created else 200), checkin)


@router.post(
    "/clearance",
    response={200: ClinicianSeenOut, 201: ClinicianSeenOut, 422: ErrorOut},
    summary="Confirm that a clinician has seen your knee",
)
def clinician_seen(request: AuthedRequest, payload: ClinicianSeenIn) -> Status[dict[str, object]]:
    """ "A clinician has seen my knee and I may exercise": clears the red flags reported before it
    (they stay up until then). The same ``client_id`` again answers 200 and changes nothing."""
    profile, recorded = services.clinician_seen_confirm(
        user=request.auth, client_id=payload.client_id, seen_at=payload.seen_at
    )
    answer: dict[str, object] = {
        "seen_at": profile.clinician_seen_at,
        "date": profile.clinician_seen_on,
    }
    return Status(201 if recorded else 200, answer)


@router.get("/{checkin_id}", response={200: CheckInOut, 404: ErrorOut})
def checkin_get(request: AuthedRequest, checkin_id: int) -> object:
    return selectors.checkin_get(user=request.auth, checkin_id=checkin_id)


@router.patch("/{checkin_id}", response={200: CheckInOut, **ERRORS})
def checkin_patch(request: AuthedRequest, checkin_id: int, payload: CheckInPatch) -> object:
    return services.checkin_update(
        user=request.auth, checkin_id=checkin_id, changes=payload.model_dump(exclude_unset=True)
    )


@router.delete("/{checkin_id}", response={204: None, 404: ErrorOut})
def checkin_delete(request: AuthedRequest, checkin_id: int) -> Status[None]:
    services.checkin_delete(user=request.auth, checkin_id=checkin_id)
    return Status(204, None)
