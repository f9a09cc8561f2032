"""Read answers kept as the bytes sent, for as long as nothing they show has changed.

Progress and the sessions list are what a phone reads most: every open of Today, Progress or
History. Their answers are kept in the cache under a key made of the user, the versions of what
the answer shows (``DataVersion.sessions`` and ``.checkins``, which only the database writes, in
the statement that changes a session, a set or a check-in: migration 0007; ``.routines`` for
a routine or its items, which the suggestions read: migration 0008), the
profile settings the answer depends on and the request's parameters. The request's
authentication already read the profile (the token query joins it), so checking costs no query,
and a changed answer is never served, whichever web process kept it. Progress also depends on
the clock (the current week, the safety rules' 14-day and the suggestions' 28-day windows): its
key holds the user's local date and it is kept at most ``PROGRESS_SECONDS``, so the clock's
edges show within a minute.

A cache that cannot be reached (Redis down) costs the saving, never the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from pydantic import BaseModel

from tracker.api.rendering import dumps
from tracker.caching import cache_get, cache_set, user_part
from tracker.models import User
from tracker.rules.weeks import local_date

PROGRESS_SECONDS = 60
SESSIONS_SECONDS = 600  # no clock in it; the TTL only bounds an edit made outside the app


def progress_key(user: User, weeks: int) -> str:
    p, v = user.profile, user.data_version
    today = local_date(timezone.now(), p.timezone)
    return (
        f"tracker:answer:progress:v3:{user_part(user)}:{v.sessions}:{v.checkins}:{v.routines}:"
        f"{p.timezone}:{p.weekly_target}:{today}:{weeks}"
    )


def sessions_key(user: User, *params: date | datetime | int | None) -> str:
    p, v = user.profile, user.data_version  # the zone too: a date filter means that local day
    listed = ":".join(
        param.isoformat() if isinstance(param, date | datetime) else str(param) for param in params
    )
    owner = user_part(user)
    return f"tracker:answer:sessions:v2:{owner}:{v.sessions}:{p.timezone}:{listed}"


def cached_json(
    key: str, seconds: int, schema: type[BaseModel], build: Callable[[], Any]
) -> HttpResponse:
    """The answer kept under ``key``, or ``build()`` validated by ``schema`` (as the API would
    validate it), rendered, kept and sent."""
    body = cache_get(key)
    if body is None:
        body = dumps(schema.model_validate(build()).model_dump())
        cache_set(key, body, seconds)
    return HttpResponse(body, content_type="application/json")
