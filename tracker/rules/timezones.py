"""The one place that knows what a time zone name and a user's local day are."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones


@cache
def known_timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_known_timezone(name: str) -> bool:
    """True for IANA names such as ``"Europe/London"``; never raises, whatever the input."""
    return isinstance(name, str) and name in known_timezones()


def local_date(moment: datetime, tz_name: str) -> date:
    """The user's calendar date at ``moment``: 23:30 UTC on a Sunday is Monday in Berlin."""
    return moment.astimezone(ZoneInfo(tz_name)).date()
