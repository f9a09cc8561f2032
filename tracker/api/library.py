"""The exercise library: public, the same for everyone."""

from django.http import HttpRequest
from ninja import Router

from tracker import selectors
from tracker.api.schemas import ExerciseOut

router = Router(tags=["exercises"])


@router.get("", response=list[ExerciseOut], auth=None)
def exercise_list(request: HttpRequest) -> object:
    return selectors.exercise_list()
