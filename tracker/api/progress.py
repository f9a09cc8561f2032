"""Weekly progress: habit, knee-pain trend against the first week, safety flags, suggestions."""

from django.http import HttpRequest
from ninja import Query, Router

from tracker import selectors
from tracker.api.schemas import ErrorOut, ProgressFilters, ProgressOut

router = Router(tags=["progress"])


@router.get("/weekly", response={200: ProgressOut, 422: ErrorOut})
def weekly(request: HttpRequest, filters: Query[ProgressFilters]) -> object:
    """The last ``weeks`` weeks (1-104) up to the current one, oldest first, in your time zone."""
    return selectors.weekly_progress(user=request.auth, weeks=filters.weeks)
