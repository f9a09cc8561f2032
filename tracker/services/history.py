"""The history cache's version (progress keeps older facts summed)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import F
from django.utils import timezone

from tracker.models import (
    Profile,
    User,
)
from tracker.selectors.progress import history_boundary


def history_touched(*, user: User, days: Sequence[date | datetime | None]) -> None:
    """Progress keeps facts older than its boundary in a cache (``selectors._older_facts``);
    a change dated before the boundary, or on the day after it (a write that spans local
    midnight), makes that stale: raise the user's history version, in the caller's
    transaction. Changes to the last weeks need nothing: those are read fresh every time."""
    profile = user.profile
    tz = ZoneInfo(profile.timezone)
    edge = history_boundary(tz, timezone.now()) + timedelta(days=1)
    local = [d.astimezone(tz).date() if isinstance(d, datetime) else d for d in days]
    if any(d is not None and d <= edge for d in local):
        Profile.objects.filter(user=user).update(history_version=F("history_version") + 1)
        user._state.fields_cache.pop("profile", None)  # read the new version if asked again


def history_forget(*, user_ids: Sequence[int]) -> None:
    """For changes that bypass the services (the admin): raise the history version outright."""
    Profile.objects.filter(user_id__in=user_ids).update(history_version=F("history_version") + 1)
