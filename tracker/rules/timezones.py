"""The one place that knows which time zone names exist (a local day: ``weeks.local_date``)."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones


@cache
def known_timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_known_timezone(name: str) -> bool:
    """True for IANA names such as ``"Europe/London"``; never raises, whatever the input."""
    return isinstance(name, str) and name in known_timezones()
