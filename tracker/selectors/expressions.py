"""Local days and weeks in SQL, worked out by the database row by row without calling Python.

``rules.weeks`` defines what a user's day and week are; this SQL lets the database group by
them (tests/test_expressions.py holds the two to the same answers). Both give whole numbers,
counted from 1 January 1970, which cost less to read back than dates: ``day_of(number)`` and
``monday_of(number)`` turn them into dates.

PostgreSQL knows time zones. SQLite does not, and Django's ``TruncDate`` there calls a Python
function for every row (a two-year history spent most of its progress read in it), so on SQLite
a zone's UTC offsets are listed once, in Python, and the database adds the one in force at each
instant to the instant's Unix time, in whole seconds.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from tracker.rules.vocabulary import EARLIEST_DATE

SQL = tuple[str, tuple[Any, ...]]  # a piece of SQL and its parameters
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()  # day 0, a Thursday
_FIRST_MONDAY_ORDINAL = date(1969, 12, 29).toordinal()  # Monday of week 0, which holds day 0


def day_of(number: int) -> date:
    """A day's number as its date: 0 is 1 January 1970."""
    return date.fromordinal(_EPOCH_ORDINAL + number)


def monday_of(number: int) -> date:
    """A week's number as its Monday: 0 is the week of 1 January 1970."""
    return date.fromordinal(_FIRST_MONDAY_ORDINAL + 7 * number)


@cache
def utc_offsets(tz_name: str, until_year: int) -> tuple[tuple[datetime, timedelta], ...]:
    """The zone's UTC offset from 1999 on, as ``(from_instant, offset)`` pieces, oldest first:
    London gives ``(1999-01-01, 0:00), (1999-03-28 01:00, 1:00), (1999-10-31 01:00, 0:00), ...``.

    Sampled twice a day; a change between two samples is found to the minute by bisection.
    """
    tz = ZoneInfo(tz_name)
    start = datetime(EARLIEST_DATE.year - 1, 1, 1, tzinfo=UTC)
    end = datetime(until_year + 1, 1, 1, tzinfo=UTC)
    step = timedelta(hours=12)
    pieces = [(start, start.astimezone(tz).utcoffset() or timedelta(0))]
    moment = start
    while moment < end:
        later = moment + step
        offset = later.astimezone(tz).utcoffset() or timedelta(0)
        if offset != pieces[-1][1]:
            low, high = moment, later  # the change lies in (low, high]
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                if middle.astimezone(tz).utcoffset() == offset:
                    high = middle
                else:
                    low = middle
            pieces.append((high.replace(second=0, microsecond=0), offset))
        moment = later
    return tuple(pieces)


def local_day_sql(vendor: str, column: str, tz_name: str) -> SQL:
    """SQL for the number of the local date of a UTC instant column in a zone."""
    if vendor == "postgresql":
        return f"((({column}) AT TIME ZONE %s)::date - DATE '1970-01-01')", (tz_name,)
    return _sqlite_local_day(column, tz_name, datetime.now(UTC).year + 1)


def day_sql(vendor: str, column: str) -> str:
    """SQL for the number of a date column's day."""
    if vendor == "postgresql":
        return f"(({column}) - DATE '1970-01-01')"
    return f"(CAST(julianday({column}) AS INTEGER) - 2440587)"


def week_sql(vendor: str, column: str) -> str:
    """SQL for the number of a date column's week (day 0, a Thursday, is in week 0)."""
    return f"(({day_sql(vendor, column)} + 3) / 7)"


@cache
def _sqlite_local_day(column: str, tz_name: str, until_year: int) -> SQL:
    """``local_day_sql`` on SQLite, kept: the same column in the same zone is the same SQL."""
    # Unix time in whole seconds (SQLite would round 23:59:59.9999995 up to the next day)
    unix = f"CAST(ROUND((julianday(substr({column}, 1, 19)) - 2440587.5) * 86400) AS INTEGER)"
    pieces = utc_offsets(tz_name, until_year)
    if len(pieces) == 1:  # one offset since 1999
        return f"(({unix} + %s) / 86400)", (_seconds(pieces[0][1]),)
    # newest piece first: recent rows, the common case, stop at the first comparison
    whens = " ".join([f"WHEN {column} >= %s THEN %s"] * (len(pieces) - 1))
    params: list[Any] = []
    for since, offset in reversed(pieces[1:]):
        params += [_sqlite_instant(since), _seconds(offset)]
    params.append(_seconds(pieces[0][1]))
    return f"(({unix} + CASE {whens} ELSE %s END) / 86400)", tuple(params)


def _sqlite_instant(moment: datetime) -> str:
    """An instant as Django stores it in SQLite (UTC text), so the comparison is on text."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _seconds(offset: timedelta) -> int:
    return int(offset.total_seconds())
