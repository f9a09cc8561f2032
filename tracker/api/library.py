"""The exercise library: public, the same for everyone."""

from dataclasses import asdict

from django.http import HttpRequest
from ninja import Query, Router

from tracker.api.schemas.common import ErrorOut
from tracker.api.schemas.library import ExerciseOut, GuidanceFilters, GuidanceOut
from tracker.errors import NotFound
from tracker.rules.safety import set_guidance
from tracker.selectors import library as selectors

router = Router(tags=["exercises"])


@router.get("", response=list[ExerciseOut], auth=None)
def exercise_list(request: HttpRequest) -> object:
    return selectors.exercise_list()


@router.get(
    "/{slug}/guidance", response={200: GuidanceOut, 404: ErrorOut, 422: ErrorOut}, auth=None
)
def guidance(request: HttpRequest, slug: str, filters: Query[GuidanceFilters]) -> object:
    """What to do right now after a set that was felt in the knee or hurt (the PWA also runs this
    rule offline)."""
    library = selectors.exercise_facts()
    exercise = library.get(slug)
    if exercise is None:
        raise NotFound("No such exercise.", {"slug": "not in the library"})
    easier = library.get(exercise.easier) if exercise.easier else None
    return asdict(
        set_guidance(
            exercise_name=exercise.name,
            easier_slug=easier.slug if easier else None,
            easier_name=easier.name if easier else None,
            felt_in_knee=filters.felt_in_knee,
            pain_during=filters.pain_during,
            form_cue=exercise.form_cue,
            unit=exercise.unit,
        )
    )
