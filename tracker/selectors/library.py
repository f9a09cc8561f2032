"""The exercise library: the same for everyone.

It is written in ``tracker/library.py`` and loaded into the database by a data migration and
``manage.py load_library``; the database is what sets and routines refer to, and what is read
here, each time: one small query, so an exercise added or changed shows at once, in every
process, with nothing to keep fresh.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from tracker.models import Exercise
from tracker.rules import vocabulary as vocab


def exercise_list() -> QuerySet[Exercise]:
    return Exercise.objects.all()


@dataclass(frozen=True)
class ExerciseFacts:
    """What validating a logged set, and suggesting what to do next, need of an exercise."""

    slug: str
    name: str
    unit: str
    per_side: bool
    category: str
    easier: str | None
    harder: str | None
    form_cue: bool = False  # a squat, lunge or hinge: its set guidance repeats the form cue


def exercise_facts() -> dict[str, ExerciseFacts]:
    """The library by slug, in the library's order."""
    rows = Exercise.objects.values_list(
        "slug",
        "name",
        "unit",
        "per_side",
        "category",
        "easier_id",
        "harder_id",
        "cues",
        named=True,
    )
    return {
        row.slug: ExerciseFacts(
            row.slug,
            row.name,
            row.unit,
            row.per_side,
            row.category,
            row.easier_id,
            row.harder_id,
            vocab.KNEE_TRACKING_CUE in (row.cues or []),
        )
        for row in rows
    }
