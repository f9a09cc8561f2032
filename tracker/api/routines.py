"""Routines: the starters everyone sees (read-only) and the user's own copies."""

from ninja import Router, Status

from tracker.api.schemas.common import ErrorOut
from tracker.api.schemas.routines import RoutineIn, RoutineOut, RoutinePatch
from tracker.api.security import AuthedRequest
from tracker.models import Routine
from tracker.selectors import routines as selectors
from tracker.services import routines as services

router = Router(tags=["routines"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.get("", response=list[RoutineOut])
def routine_list(request: AuthedRequest) -> object:
    return selectors.routine_list(user=request.auth)


@router.post("", response={201: RoutineOut, **ERRORS})
def routine_create(request: AuthedRequest, payload: RoutineIn) -> Status[Routine]:
    user = request.auth
    items = None if payload.items is None else [i.model_dump() for i in payload.items]
    if payload.copy_of is not None:
        routine = services.routine_copy(
            user=user, source_id=payload.copy_of, name=payload.name, items=items
        )
    else:
        routine = services.routine_create(user=user, name=payload.name or "", items=items or [])
    return Status(201, selectors.routine_get(user=user, routine_id=routine.id))


@router.get("/{routine_id}", response={200: RoutineOut, 404: ErrorOut})
def routine_get(request: AuthedRequest, routine_id: int) -> object:
    return selectors.routine_get(user=request.auth, routine_id=routine_id)


@router.patch("/{routine_id}", response={200: RoutineOut, **ERRORS})
def routine_patch(request: AuthedRequest, routine_id: int, payload: RoutinePatch) -> object:
    changes = payload.model_dump(exclude_unset=True)
    if "items" in changes and payload.items is not None:
        changes["items"] = [i.model_dump() for i in payload.items]
    services.routine_update(user=request.auth, routine_id=routine_id, changes=changes)
    return selectors.routine_get(user=request.auth, routine_id=routine_id)


@router.delete("/{routine_id}", response={204: None, **ERRORS})
def routine_delete(request: AuthedRequest, routine_id: int) -> Status[None]:
    services.routine_delete(user=request.auth, routine_id=routine_id)
    return Status(204, None)
