"""The exercise library: the same for everyone, and part of the code.

The library is written in ``tracker/library.py`` and copied into the database (by a data
migration and ``manage.py load_library``) so that sets and routine items can refer to it. It
changes only with the code, so what validating a set needs is read from the code itself: no
query, and nothing to keep fresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.db.models import QuerySet

from tracker.library import EXERCISES
from tracker.models import Exercise


def exercise_list() -> QuerySet[Exercise]:
    return Exercise.objects.all()


@dataclass(frozen=True)
class ExerciseFacts:
    """What validating a logged set needs to know of an exercise."""

    slug: str
    name: str
    unit: str
    per_side: bool
    category: str
    easier: str | None
    harder: str | None


@cache
def exercise_facts() -> dict[str, ExerciseFacts]:
    """The library by slug, in the library's order."""
    return {
        e["slug"]: ExerciseFacts(
            e["slug"], e["name"], e["unit"], e["per_side"], e["category"], e["easier"], e["harder"]
        )
        for e in EXERCISES
    }
