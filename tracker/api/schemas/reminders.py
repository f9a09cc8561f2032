"""Reminders, their snooze, and the calendar feed of their slots."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator

from tracker.api.schemas.common import In, StrictBool

if TYPE_CHECKING:
    from tracker.models import Reminder


def _hh_mm(value: object) -> dt.time:
    """``"07:30"``: two ASCII digits, a colon, two ASCII digits (``str.isdigit`` and ``int``
    would also take other scripts' digits: full-width ones would become 23:00 unasked)."""
    if isinstance(value, dt.time):
        return value
    text = value if isinstance(value, str) else ""
    if not re.fullmatch(r"[0-9]{2}:[0-9]{2}", text):
        raise ValueError("use the local time as HH:MM, e.g. 07:30")
    hours, minutes = int(text[:2]), int(text[3:])
    if hours > 23 or minutes > 59:
        raise ValueError("use the local time as HH:MM, e.g. 07:30")
    return dt.time(hours, minutes)


LocalTime = Annotated[dt.time, BeforeValidator(_hh_mm)]


Weekdays = Annotated[
    list[Annotated[int, Field(strict=True, ge=0, le=6)]], Field(min_length=1, max_length=7)
]


class ReminderIn(In):
    kind: Literal["session", "morning_check"] = "session"
    weekdays: Weekdays | None = None
    time: LocalTime | None = None
    channel: Literal["push", "email"] = "push"
    enabled: StrictBool = True
    skip_if_done: StrictBool = True


class ReminderPatch(In):
    weekdays: Weekdays | None = None
    time: LocalTime | None = None
    channel: Literal["push", "email"] | None = None
    enabled: StrictBool | None = None
    skip_if_done: StrictBool | None = None


class ReminderOut(Schema):
    id: int
    kind: str
    weekdays: list[int]
    time: str
    channel: str
    enabled: bool
    skip_if_done: bool
    next_fire_at: dt.datetime | None = Field(
        description="When it will next be sent (null while off): a session reminder that "
        "skips days already done names the next day without a session logged."
    )

    @staticmethod
    def resolve_weekdays(obj: Reminder) -> list[int]:
        from tracker.rules.reminders import weekdays_from_mask

        return weekdays_from_mask(obj.weekdays)

    @staticmethod
    def resolve_time(obj: Reminder) -> str:
        return obj.time.strftime("%H:%M")


class SnoozeIn(In):
    minutes: Annotated[int, Field(strict=True, ge=5, le=12 * 60)] = 60


class CalendarOut(Schema):
    url: str
