"""Routines a user may see: the starters and their own."""

from __future__ import annotations

from django.db.models import (
    Prefetch,
    Q,
    QuerySet,
)

from tracker.errors import NotFound
from tracker.models import (
    Routine,
    RoutineItem,
    User,
)


def _routines_visible_to(user: User) -> QuerySet[Routine]:
    items = RoutineItem.objects.order_by("position")
    return Routine.objects.filter(Q(user=user) | Q(starter=True)).prefetch_related(
        Prefetch("items", queryset=items)
    )


def routine_list(*, user: User) -> QuerySet[Routine]:
    return _routines_visible_to(user)


def routine_get(*, user: User, routine_id: int) -> Routine:
    routine = _routines_visible_to(user).filter(pk=routine_id).first()
    if routine is None:
        raise NotFound("No such routine.")
    return routine
