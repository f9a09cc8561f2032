"""Weekly progress: habit, knee-pain trend against the first week, safety flags, suggestions."""

from django.http import HttpResponse
from ninja import Query, Router

from tracker.api import answers
from tracker.api.schemas.common import ErrorOut
from tracker.api.schemas.progress import ProgressFilters, ProgressOut
from tracker.api.security import AuthedRequest
from tracker.selectors import progress as selectors

router = Router(tags=["progress"])


@router.get("/weekly", response={200: ProgressOut, 422: ErrorOut})
def weekly(request: AuthedRequest, filters: Query[ProgressFilters]) -> HttpResponse:
    """The last ``weeks`` weeks (1-104) up to the current one, oldest first, in your time zone."""
    user, weeks = request.auth, filters.weeks
    return answers.cached_json(
        answers.progress_key(user, weeks),
        answers.PROGRESS_SECONDS,
        ProgressOut,
        lambda: selectors.weekly_progress(user=user, weeks=weeks),
    )
