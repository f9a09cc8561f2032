"""The one place that knows what "a day" and "a week" are: the user's local date, and the ISO
week, Monday to Sunday, in the user's zone.

A session at 23:30 on a Sunday in Auckland belongs to that Sunday's week whatever UTC says, and a
week with a daylight-saving change still runs from Monday 00:00 to Sunday 24:00 local time.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


def week_start(day: date) -> date:
    """Monday of ``day``'s ISO week: ``week_start(date(2026, 3, 1)) == date(2026, 2, 23)``."""
    return day - timedelta(days=day.weekday())


def local_date(moment: datetime, tz: ZoneInfo | str) -> date:
    """The user's calendar date at ``moment`` (the one place an instant becomes a local day):
    23:30 UTC on a Sunday is Monday in Berlin."""
    return moment.astimezone(ZoneInfo(tz) if isinstance(tz, str) else tz).date()


def weeks_from(first: date, last: date) -> list[date]:
    """Every Monday from ``first``'s week to ``last``'s week, oldest first."""
    start, end = week_start(first), week_start(last)
    count = (end - start).days // 7 + 1
    return [start + timedelta(weeks=i) for i in range(max(0, count))]


def week_number(week: date, first_week: date) -> int:
    """1 for the first week, 4 for the fourth: ``week_number(first + 3 weeks, first) == 4``."""
    return (week_start(week) - week_start(first_week)).days // 7 + 1
