"""Routines: the user's own, created, copied from a starter, edited and deleted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from tracker.access import visible_routine
from tracker.errors import Forbidden, InvalidInput
from tracker.models import (
    Routine,
    RoutineItem,
    User,
)
from tracker.rules import vocabulary as vocab
from tracker.selectors.library import exercise_facts
from tracker.services.children import children_replace


def _build_items(items: Sequence[Mapping[str, Any]], *, routine: Routine) -> list[RoutineItem]:
    """The routine's items, each checked against the library before anything is written; the
    warm-up items first (in their order), then the main work."""
    library = exercise_facts()
    errors = {
        f"items.{n}.exercise": f"unknown exercise '{item['exercise']}'"
        for n, item in enumerate(items)
        if item["exercise"] not in library
    }
    if errors:
        raise InvalidInput("Some routine items are not valid.", errors)
    items = sorted(items, key=lambda item: not item.get("warmup", False))
    return [
        RoutineItem(
            routine=routine,
            position=n,
            exercise_id=item["exercise"],
            sets=item["sets"],
            target=item["target"],
            per_side=(
                library[item["exercise"]].per_side
                if item.get("per_side") is None
                else item["per_side"]
            ),
            warmup=item.get("warmup", False),
            band=None if item.get("band") is None else vocab.band_level(item["band"]),
        )
        for n, item in enumerate(items)
    ]


def routine_create(*, user: User, name: str, items: Sequence[Mapping[str, Any]]) -> Routine:
    routine = Routine(user=user, name=name, starter=False)
    built = _build_items(items, routine=routine)
    with transaction.atomic():
        routine.save(force_insert=True)
        RoutineItem.objects.bulk_create(built)
    return routine


def routine_copy(
    *,
    user: User,
    source_id: int,
    name: str | None = None,
    items: Sequence[Mapping[str, Any]] | None = None,
) -> Routine:
    """Copy a starter (or one's own) routine into an editable routine of the user's; with
    ``items``, the copy holds those instead of the source's (the copy as the person shaped it
    before saving, written at once, so no half-made copy is ever left behind)."""
    source = visible_routine(user, source_id, field="copy_of")
    routine = Routine(user=user, name=name or source.name, starter=False, copied_from=source)
    built = (
        None
        if items is None
        else _build_items(items, routine=routine)  # checked before anything is written
    )
    with transaction.atomic():
        routine.save(force_insert=True)
        RoutineItem.objects.bulk_create(
            built
            if built is not None
            else [
                RoutineItem(
                    routine=routine,
                    position=item.position,
                    exercise_id=item.exercise_id,
                    sets=item.sets,
                    target=item.target,
                    per_side=item.per_side,
                    warmup=item.warmup,
                    band=item.band,
                )
                for item in source.items.all()
            ]
        )
    return routine


def _own_routine_for_change(user: User, routine_id: int) -> Routine:
    routine = visible_routine(user, routine_id, field="id")
    if routine.starter:
        raise Forbidden(
            "Starter routines cannot be changed: copy one with "
            'POST {"copy_of": id} and edit the copy.'
        )
    return routine


def routine_update(*, user: User, routine_id: int, changes: Mapping[str, Any]) -> Routine:
    with transaction.atomic():
        routine = _own_routine_for_change(user, routine_id)
        if changes.get("name") is not None:
            routine.name = changes["name"]
        routine.save()
        if changes.get("items") is not None:
            children_replace(routine.items, _build_items(list(changes["items"]), routine=routine))
    return routine


def routine_delete(*, user: User, routine_id: int) -> None:
    routine = _own_routine_for_change(user, routine_id)
    routine.delete()
