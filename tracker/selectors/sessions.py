"""Sessions with their sets, newest first, scoped to one user."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import (
    Count,
    QuerySet,
    Window,
)

from tracker.access import owned
from tracker.models import (
    User,
    WorkoutSession,
)
from tracker.rules.vocabulary import EARLIEST_DATE
from tracker.selectors.sets import SET_ROWS, with_set_dicts

# Every session starts from 2000 (UTC) to about now. A date bound outside these days selects
# what the nearest one inside does, and the calendar's own ends (0001-01-01, 9999-12-31) never
# reach the arithmetic of a local day in UTC, which they would overflow.
_FIRST_DAY = EARLIEST_DATE - timedelta(days=1)
_LAST_DAY = date.max - timedelta(days=2)


def _bound(value: date | datetime, tz: ZoneInfo, *, end: bool) -> datetime:
    """A date means the whole local day in the user's zone; a datetime means itself."""
    if isinstance(value, datetime):
        return value
    day = min(max(value, _FIRST_DAY), _LAST_DAY)
    if end:
        day += timedelta(days=1)
    return datetime.combine(day, time.min, tzinfo=tz)


def session_list(
    *, user: User, start: date | datetime | None = None, end: date | datetime | None = None
) -> QuerySet[WorkoutSession]:
    """Newest first; ``start``/``end`` are inclusive local dates or exact instants. Each
    session brings its sets in the same query (``set_rows``; ``with_set_dicts`` makes them the
    API's)."""
    sessions = WorkoutSession.objects.filter(user=user)
    if start is not None:
        tz = ZoneInfo(user.profile.timezone)
        sessions = sessions.filter(started_at__gte=_bound(start, tz, end=False))
    if end is not None:
        if isinstance(end, datetime):
            sessions = sessions.filter(started_at__lte=end)
        else:
            tz = ZoneInfo(user.profile.timezone)
            sessions = sessions.filter(started_at__lt=_bound(end, tz, end=True))
    return sessions.annotate(set_rows=SET_ROWS).order_by("-started_at", "-id")


def session_page(
    *,
    user: User,
    start: date | datetime | None = None,
    end: date | datetime | None = None,
    limit: int,
    offset: int = 0,
) -> tuple[Sequence[WorkoutSession], int]:
    """A page of ``session_list`` with every session's sets (``set_dicts``) and how many
    sessions there are, from one query: the count is a window over the same rows."""
    sessions = session_list(user=user, start=start, end=end)
    items = list(sessions.annotate(total_count=Window(Count("pk")))[offset : offset + limit])
    if items:
        count = items[0].total_count
    else:  # past the end (or nothing at all): the window had no row to ride on
        count = sessions.count() if offset else 0
    return with_set_dicts(items), count


def session_get(*, user: User, session_id: int) -> WorkoutSession:
    """One of the user's sessions with its sets (``set_dicts``), in one query."""
    session = owned(
        WorkoutSession.objects.annotate(set_rows=SET_ROWS), user=user, pk=session_id, what="session"
    )
    return with_set_dicts([session])[0]
