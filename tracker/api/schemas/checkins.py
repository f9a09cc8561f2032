"""Knee check-ins."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from ninja import Field, Schema
from pydantic import AwareDatetime

from tracker.api.schemas.common import In, LocalDate, Pain, RedFlag, StrictBool


class CheckInIn(In):
    client_id: uuid.UUID
    date: LocalDate
    pain: Pain
    stairs: Pain | None = None
    sitting: Pain | None = None
    squatting: Pain | None = None
    walking: Pain | None = None
    rest_day: StrictBool = False
    red_flags: Annotated[list[RedFlag], Field(max_length=7)] = []


class CheckInPatch(In):
    date: LocalDate | None = None
    pain: Pain | None = None
    stairs: Pain | None = None
    sitting: Pain | None = None
    squatting: Pain | None = None
    walking: Pain | None = None
    rest_day: StrictBool | None = None
    red_flags: Annotated[list[RedFlag], Field(max_length=7)] | None = None


class CheckInOut(Schema):
    id: int
    client_id: uuid.UUID
    date: dt.date
    pain: int
    stairs: int | None
    sitting: int | None
    squatting: int | None
    walking: int | None
    rest_day: bool
    red_flags: list[str]
    created_at: dt.datetime
    updated_at: dt.datetime


class CheckInFilters(Schema):
    start: LocalDate | None = Field(None, alias="from")
    end: LocalDate | None = Field(None, alias="to")


class ClinicianSeenIn(In):
    client_id: uuid.UUID
    seen_at: AwareDatetime | None = Field(
        None, description="When you confirmed it (ISO 8601 with offset); now when left out."
    )


class ClinicianSeenOut(Schema):
    seen_at: dt.datetime = Field(description="When you confirmed it.")
    date: dt.date = Field(description="Your local date of the confirmation.")
