"""The checks every dated write makes: not in the future, not before 2000."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from tracker.errors import InvalidInput
from tracker.rules import vocabulary as vocab
from tracker.rules.weeks import local_date

EARLIEST_DATE = vocab.EARLIEST_DATE

# Clocks on phones drift and zones run ahead of UTC: a day of slack before "the future" starts.
FUTURE_SLACK = timedelta(days=1)


def check_not_future(moment: datetime, *, field: str) -> None:
    if moment > timezone.now() + FUTURE_SLACK:
        raise InvalidInput("That is in the future.", {field: "must not be in the future"})
    if moment.date() < EARLIEST_DATE:
        raise InvalidInput("That is too long ago.", {field: "must be in 2000 or later"})


def check_local_date(user_tz: str, day: date, *, field: str = "date") -> None:
    today = local_date(timezone.now(), user_tz)
    if day > today + FUTURE_SLACK:
        raise InvalidInput("That date is in the future.", {field: "must not be in the future"})
    if day < EARLIEST_DATE:
        raise InvalidInput("That date is too long ago.", {field: "must be in 2000 or later"})
