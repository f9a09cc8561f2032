"""The checks every dated write makes: not in the future, not before 2000."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from tracker.errors import InvalidInput
from tracker.rules import vocabulary as vocab
from tracker.rules.weeks import local_date

EARLIEST_DATE = vocab.EARLIEST_DATE
# "2000 or later" for an instant: from midnight UTC, whatever offset it was written with
# (2000-01-01T00:00:00+14:00 is still 1999 in UTC, and is stored in UTC).
EARLIEST_INSTANT = datetime.combine(EARLIEST_DATE, time.min, tzinfo=UTC)

# Clocks on phones drift and zones run ahead of UTC: a day of slack before "the future" starts.
FUTURE_SLACK = timedelta(days=1)


def check_not_future(moment: datetime, *, field: str) -> None:
    """Compares instants (aware datetimes), never the text's local date: so also a time at the
    calendar's ends with an offset that UTC cannot hold is refused, not converted."""
    if moment > timezone.now() + FUTURE_SLACK:
        raise InvalidInput("That is in the future.", {field: "must not be in the future"})
    if moment < EARLIEST_INSTANT:
        raise InvalidInput("That is too long ago.", {field: "must be in 2000 or later (UTC)"})


def check_local_date(user_tz: str, day: date, *, field: str = "date") -> None:
    today = local_date(timezone.now(), user_tz)
    if day > today + FUTURE_SLACK:
        raise InvalidInput("That date is in the future.", {field: "must not be in the future"})
    if day < EARLIEST_DATE:
        raise InvalidInput("That date is too long ago.", {field: "must be in 2000 or later"})
