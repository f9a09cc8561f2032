"""Workout sessions with their sets; POST is idempotent on ``client_id``."""

from django.http import HttpResponse
from ninja import Query, Router, Status

from tracker.api import answers
from tracker.api.pagination import Page
from tracker.api.schemas.common import ErrorOut
from tracker.api.schemas.sessions import (
    PagedSessionOut,
    SessionFilters,
    SessionIn,
    SessionOut,
    SessionPatch,
)
from tracker.api.security import AuthedRequest
from tracker.models import WorkoutSession
from tracker.selectors import sessions as selectors
from tracker.services import sessions as services

router = Router(tags=["sessions"])
ERRORS = {404: ErrorOut, 422: ErrorOut}


@router.get("", response=PagedSessionOut)
def session_list(
    request: AuthedRequest, filters: Query[SessionFilters], page: Query[Page.Input]
) -> HttpResponse:
    """Newest first. ``from``/``to``: local dates (inclusive) or ISO 8601 instants."""
    user = request.auth
    start, end, limit, offset = filters.start, filters.end, page.limit, page.offset

    def build() -> dict[str, object]:
        items, count = selectors.session_page(
            user=user, start=start, end=end, limit=limit, offset=offset
        )
        return {"items": items, "count": count}

    key = answers.sessions_key(user, start, end, limit, offset)
    return answers.cached_json(key, answers.SESSIONS_SECONDS, PagedSessionOut, build)


@router.post("", response={200: SessionOut, 201: SessionOut, **ERRORS})
def session_create(request: AuthedRequest, payload: SessionIn) -> Status[WorkoutSession]:
    """201 with the new session; 200 with the first one when ``client_id`` was seen before."""
    session, created = services.session_log(
        user=request.auth,
        client_id=payload.client_id,
        started_at=payload.started_at,
        routine_id=payload.routine,
        sets=[s.model_dump() for s in payload.sets],
        pain_during=payload.pain_during,
        pain_next_morning=payload.pain_next_morning,
        notes=payload.notes,
    )
    if created:
        return Status(201, session)
    return Status(200, selectors.session_get(user=request.auth, session_id=session.id))


@router.get("/{session_id}", response={200: SessionOut, 404: ErrorOut})
def session_get(request: AuthedRequest, session_id: int) -> object:
    return selectors.session_get(user=request.auth, session_id=session_id)


@router.patch("/{session_id}", response={200: SessionOut, **ERRORS})
def session_patch(request: AuthedRequest, session_id: int, payload: SessionPatch) -> object:
    changes = payload.model_dump(exclude_unset=True)
    if payload.sets is not None:
        changes["sets"] = [s.model_dump() for s in payload.sets]
    services.session_update(user=request.auth, session_id=session_id, changes=changes)
    return selectors.session_get(user=request.auth, session_id=session_id)


@router.delete("/{session_id}", response={204: None, 404: ErrorOut})
def session_delete(request: AuthedRequest, session_id: int) -> Status[None]:
    services.session_delete(user=request.auth, session_id=session_id)
    return Status(204, None)
