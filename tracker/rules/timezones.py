"""The one place that knows which time zone names a user may have (a local day:
``weeks.local_date``).

Only the IANA names of places (``Area/Location``, such as ``Europe/London``, under the areas the
tz database files its zones by: see its ``zone1970.tab``) and ``UTC``. The zone files a system
holds also carry names that are no place's time: ``localtime`` (whatever the server's clock is
set to), ``Factory`` (no time at all), ``posixrules``, and legacy abbreviations such as ``EST``.
"""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

REGION_AREAS = frozenset(
    {
        "Africa",
        "America",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    }
)
UNIVERSAL = frozenset({"UTC", "Etc/UTC"})  # what a browser with no zone of its own reports


def _is_region(name: str) -> bool:
    area, _, location = name.partition("/")
    return area in REGION_AREAS and bool(location)


@cache
def known_timezones() -> frozenset[str]:
    available = available_timezones()
    return frozenset(n for n in available if _is_region(n) or n in UNIVERSAL)


def is_known_timezone(name: str) -> bool:
    """True for ``"Europe/London"`` or ``"UTC"``; False for ``"localtime"``, ``"Factory"``,
    ``"EST"`` or anything else; never raises, whatever the input."""
    return isinstance(name, str) and name in known_timezones()


@cache
def region_timezones() -> tuple[str, ...]:
    """The zones a person chooses from, sorted: every region name (``"America/New_York"``), and
    ``"UTC"``; all of them are known zones, so any one chosen is accepted."""
    return ("UTC", *sorted(name for name in known_timezones() if _is_region(name)))
