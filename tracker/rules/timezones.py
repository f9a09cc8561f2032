"""The one place that knows which time zone names exist (a local day: ``weeks.local_date``)."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

# The continents and oceans of the IANA database's region names ("Europe/London"); what a person
# picks from. The rest ("Etc/GMT+5", "US/Eastern", "EST5EDT") are aliases kept for old systems.
REGIONS = ("Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia",
           "Europe", "Indian", "Pacific")  # fmt: skip


@cache
def known_timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_known_timezone(name: str) -> bool:
    """True for IANA names such as ``"Europe/London"``; never raises, whatever the input."""
    return isinstance(name, str) and name in known_timezones()


@cache
def region_timezones() -> tuple[str, ...]:
    """The zones a person chooses from, sorted: every region name (``"America/New_York"``), and
    ``"UTC"``; all of them are known zones, so any one chosen is accepted."""
    regions = (name for name in known_timezones() if name.split("/", 1)[0] in REGIONS)
    return ("UTC", *sorted(name for name in regions if "/" in name))
