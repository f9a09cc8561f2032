"""The exercise library: the same for everyone."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    QuerySet,
)

from tracker.caching import cache_delete, cache_get, cache_set
from tracker.models import (
    Exercise,
)


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


LIBRARY_CACHE_KEY = "tracker:exercise-facts:v2"

LIBRARY_CACHE_SECONDS = 300


def exercise_facts() -> dict[str, ExerciseFacts]:
    """The library by slug, cached: it changes only by migration, ``load_library`` or the admin,
    and any save or delete of an exercise clears the cache (see ``apps.py``)."""
    facts: dict[str, ExerciseFacts] | None = cache_get(LIBRARY_CACHE_KEY)
    if facts is None:
        facts = {
            row[0]: ExerciseFacts(*row)
            for row in Exercise.objects.values_list(
                "slug", "name", "unit", "per_side", "category", "easier_id", "harder_id"
            )
        }
        cache_set(LIBRARY_CACHE_KEY, facts, LIBRARY_CACHE_SECONDS)
    return facts


def exercise_facts_forget() -> None:
    cache_delete(LIBRARY_CACHE_KEY)
