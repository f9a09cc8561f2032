"""What every request and answer shape shares: bounded text, pain, time zones, dates."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Field, Schema
from pydantic import AfterValidator, BaseModel, BeforeValidator
from pydantic.config import JsonDict

from tracker.rules import vocabulary as vocab
from tracker.rules.timezones import is_known_timezone, known_timezones


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def _email(value: str) -> str:
    value = value.strip()
    try:
        validate_email(value)
    except DjangoValidationError:
        raise ValueError("enter a valid email address") from None
    return value


def _known_timezone(value: str) -> str:
    if not is_known_timezone(value):
        raise ValueError(
            f"unknown time zone '{value[:64]}'. Choose one from the list, such as Europe/London"
        )
    return value


NO_NUL: JsonDict = {"pattern": "^[^\\u0000]*$"}  # documents what _no_nul refuses

# Free text, bounded as its column is, without NUL characters.
Name = Annotated[
    str,
    Field(min_length=1, max_length=100, json_schema_extra=NO_NUL),
    AfterValidator(_no_nul),
]
Notes = Annotated[
    str,
    Field(min_length=0, max_length=2000, json_schema_extra=NO_NUL),
    AfterValidator(_no_nul),
]
Password = Annotated[
    str,
    Field(min_length=1, max_length=128, json_schema_extra=NO_NUL),
    AfterValidator(_no_nul),
]
LoginEmail = Annotated[  # as typed: a sign-in compares it lower-cased, never validates it
    str,
    Field(min_length=1, max_length=254, json_schema_extra=NO_NUL),
    AfterValidator(_no_nul),
]


Pain = Annotated[int, Field(strict=True, ge=vocab.PAIN_MIN, le=vocab.PAIN_MAX)]


TimeZoneName = Annotated[
    str,
    Field(max_length=64, json_schema_extra={"enum": sorted(known_timezones())}),
    AfterValidator(_known_timezone),
]


Side = vocab.Side


Band = vocab.Band


RedFlag = vocab.RedFlagCode


Slug = Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[a-z0-9-]+$")]


ObjectId = Annotated[int, Field(strict=True, ge=1, le=2**62)]


WeeklyTarget = Annotated[
    int, Field(strict=True, ge=vocab.WEEKLY_TARGET_MIN, le=vocab.WEEKLY_TARGET_MAX)
]


Units = vocab.WeightUnit


# JSON true/false only: 0, 1, "yes" are refused with a message rather than guessed at.
StrictBool = Annotated[bool, Field(strict=True)]


class In(BaseModel):
    """Request bodies: plain pydantic models (ninja's Schema adds an ORM getter they never need)."""


class ErrorOut(Schema):
    detail: str
    errors: dict[str, str] = {}


class Out(BaseModel):
    """An answer built from plain dicts by the rules: validated as pydantic models, without
    ninja's getter for ORM objects (a progress answer holds a hundred small objects)."""


def _date_or_instant(value: object) -> dt.date | dt.datetime:
    """A local date (``2026-03-01``) or an instant with its offset (``2026-03-01T08:00:00Z``)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    text = str(value).strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ValueError("use a date (YYYY-MM-DD) or an ISO 8601 time with its UTC offset")
    try:  # in UTC: databases refuse offsets Python allows (PostgreSQL: beyond +-15:59)
        return moment.astimezone(dt.UTC)
    except OverflowError:
        raise ValueError("that time is out of range") from None


DateOrInstant = Annotated[dt.date | dt.datetime, BeforeValidator(_date_or_instant)]


def _iso_date(value: object) -> object:
    """A local date as YYYY-MM-DD only (not a number of seconds, not a time)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    text = value if isinstance(value, str) else ""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise ValueError("use a date as YYYY-MM-DD, e.g. 2026-03-01")
    return text


LocalDate = Annotated[dt.date, BeforeValidator(_iso_date)]
