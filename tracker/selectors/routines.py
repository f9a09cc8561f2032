"""Routines a user may see: the starters and their own; and the one they are following."""

from __future__ import annotations

from django.db.models import (
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)

from tracker.access import visible_routines
from tracker.errors import NotFound
from tracker.models import (
    Routine,
    RoutineItem,
    User,
    WorkoutSession,
)
from tracker.rules import vocabulary as vocab
from tracker.rules.progression import PlannedDose


def _routines_visible_to(user: User) -> QuerySet[Routine]:
    items = RoutineItem.objects.order_by("position")
    return visible_routines(user).prefetch_related(Prefetch("items", queryset=items))


def routine_proposed_id(*, user: User) -> int | None:
    """The routine Today proposes and Log preselects: the user's own routine saved last or the
    routine of the session logged last, whichever is newer; without either, the first starter.
    Derived from what is stored, so it follows the user to every device. One query."""
    saved = Routine.objects.filter(user=OuterRef("pk")).order_by("-updated_at", "-id")
    used = WorkoutSession.objects.filter(user=OuterRef("pk"), routine__isnull=False).order_by(
        "-created_at", "-id"
    )
    first_starter = Routine.objects.filter(starter=True).order_by("id")
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            saved_id=Subquery(saved.values("id")[:1]),
            saved_at=Subquery(saved.values("updated_at")[:1]),
            used_id=Subquery(used.values("routine_id")[:1]),
            used_at=Subquery(used.values("created_at")[:1]),
            starter_id=Subquery(first_starter.values("id")[:1]),
        )
        .values("saved_id", "saved_at", "used_id", "used_at", "starter_id")
        .first()
    )
    if row is None:
        return None
    if row["saved_at"] is not None and (
        row["used_at"] is None or row["saved_at"] >= row["used_at"]
    ):
        return int(row["saved_id"])
    if row["used_id"] is not None:
        return int(row["used_id"])
    return None if row["starter_id"] is None else int(row["starter_id"])


def routine_list(*, user: User) -> list[Routine]:
    """Every routine the user sees, each marked ``proposed`` or not."""
    proposed = routine_proposed_id(user=user)
    routines = list(_routines_visible_to(user))
    for routine in routines:
        routine.proposed = routine.pk == proposed  # type: ignore[attr-defined]
    return routines


def routine_get(*, user: User, routine_id: int) -> Routine:
    routine = _routines_visible_to(user).filter(pk=routine_id).first()
    if routine is None:
        raise NotFound("No such routine.")
    routine.proposed = routine.pk == routine_proposed_id(user=user)  # type: ignore[attr-defined]
    return routine


def routine_plan(*, user: User) -> dict[str, PlannedDose] | None:
    """The dose of each exercise in the main work (not the warm-up) of the routine the user is
    following, for the suggestions; None when there is no routine at all."""
    proposed = routine_proposed_id(user=user)
    if proposed is None:
        return None
    plan: dict[str, PlannedDose] = {}
    rows = RoutineItem.objects.filter(routine_id=proposed, warmup=False).order_by("position")
    for exercise, sets, target, band in rows.values_list("exercise_id", "sets", "target", "band"):
        plan.setdefault(
            exercise, PlannedDose(sets, target, None if band is None else vocab.band_name(band))
        )
    return plan
