"""Request and response shapes of API v1, as its OpenAPI docs (/api/v1/docs) publish them.
Inputs are bounded as the database is."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Field, Schema
from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, model_validator
from pydantic.config import JsonDict
from typing_extensions import TypedDict

from tracker.rules import vocabulary as vocab
from tracker.rules.timezones import is_known_timezone, known_timezones

if TYPE_CHECKING:
    from tracker.models import Reminder


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
            f"unknown time zone '{value[:64]}': use an IANA name such as Europe/London"
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
Side = Literal["left", "right", "both"]
Band = Literal["yellow", "red", "green", "blue", "black"]
RedFlag = Literal[
    "cannot_bear_weight",
    "locking",
    "giving_way_fall",
    "major_swelling",
    "hot_red_fever",
    "after_injury",
    "night_or_constant_pain",
]
Slug = Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[a-z0-9-]+$")]
ObjectId = Annotated[int, Field(strict=True, ge=1, le=2**62)]
WeeklyTarget = Annotated[
    int, Field(strict=True, ge=vocab.WEEKLY_TARGET_MIN, le=vocab.WEEKLY_TARGET_MAX)
]
Units = Literal["kg", "lb"]


# JSON true/false only: 0, 1, "yes" are refused with a message rather than guessed at.
StrictBool = Annotated[bool, Field(strict=True)]


class In(BaseModel):
    """Request bodies: plain pydantic models (ninja's Schema adds an ORM getter they never need)."""


class ErrorOut(Schema):
    detail: str
    errors: dict[str, str] = {}


# --- Auth and profile -----------------------------------------------------------------------
class SignupIn(In):
    email: Annotated[
        str,
        Field(max_length=254, json_schema_extra={"format": "email", **NO_NUL}),
        AfterValidator(_no_nul),
        AfterValidator(_email),
    ]
    password: Annotated[
        str,
        Field(
            min_length=8,
            max_length=128,
            description="At least 8 characters, not all digits, not a common password.",
            json_schema_extra=NO_NUL,
        ),
        AfterValidator(_no_nul),
    ]
    timezone: TimeZoneName = "UTC"


class LoginIn(In):
    email: LoginEmail
    password: Password


class UserOut(Schema):
    id: int
    email: str


class MeOut(Schema):
    id: int
    email: str
    timezone: str
    weekly_target: int
    units: str


class CsrfOut(Schema):
    csrftoken: str


class TokenIn(In):
    name: Name


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None


class TokenCreatedOut(TokenOut):
    token: str = Field(description="Shown only in this answer; store it now.")


class ProfileOut(Schema):
    timezone: str
    weekly_target: int
    units: str


class ProfilePatch(In):
    timezone: TimeZoneName | None = None
    weekly_target: WeeklyTarget | None = None
    units: Units | None = None


class AccountDeleteIn(In):
    password: Password


# --- Exercises and routines -----------------------------------------------------------------
class ExerciseOut(Schema):
    slug: str
    name: str
    category: str
    muscles: list[str]
    unit: str
    per_side: bool
    default_sets: int
    default_target: int
    cues: list[str]
    cautions: list[str]
    easier: str | None = Field(None, alias="easier_id")
    harder: str | None = Field(None, alias="harder_id")


class RoutineItemIn(In):
    exercise: Slug
    sets: Annotated[int, Field(strict=True, ge=1, le=20)]
    target: Annotated[int, Field(strict=True, ge=1, le=3600)]
    per_side: StrictBool | None = None


class RoutineItemOut(Schema):
    exercise: str = Field(alias="exercise_id")
    sets: int
    target: int
    per_side: bool


class RoutineIn(In):
    name: Name | None = None
    items: Annotated[list[RoutineItemIn], Field(max_length=40)] | None = None
    copy_of: ObjectId | None = None

    @model_validator(mode="after")
    def _new_or_copy(self) -> RoutineIn:
        if self.copy_of is None and (self.name is None or self.items is None):
            raise ValueError("give name and items, or copy_of (the id of a routine to copy)")
        return self


class RoutinePatch(In):
    name: Name | None = None
    items: Annotated[list[RoutineItemIn], Field(max_length=40)] | None = None


class RoutineOut(Schema):
    id: int
    name: str
    starter: bool
    copied_from: int | None = Field(None, alias="copied_from_id")
    items: list[RoutineItemOut]


# --- Sessions -------------------------------------------------------------------------------
class SetIn(In):
    exercise: Slug
    side: Side = "both"
    reps: Annotated[int, Field(strict=True, ge=1, le=1000)] | None = None
    seconds: Annotated[int, Field(strict=True, ge=1, le=3600)] | None = None
    load_kg: Annotated[float, Field(ge=0, le=500, allow_inf_nan=False)] | None = None
    band: Band | None = None
    felt_in_knee: StrictBool = False


class SessionIn(In):
    client_id: uuid.UUID
    started_at: AwareDatetime
    routine: ObjectId | None = None
    sets: Annotated[list[SetIn], Field(max_length=200)] = []
    pain_during: Pain | None = None
    pain_next_morning: Pain | None = None
    notes: Notes = ""


class SessionPatch(In):
    started_at: AwareDatetime | None = None
    routine: ObjectId | None = None
    sets: Annotated[list[SetIn], Field(max_length=200)] | None = None
    pain_during: Pain | None = None
    pain_next_morning: Pain | None = None
    notes: Notes | None = None


class SetOut(TypedDict):
    """One set as the API gives it (a TypedDict: a page of sessions holds hundreds)."""

    exercise: str
    side: str
    reps: int | None
    seconds: int | None
    load_kg: float | None
    band: str | None
    felt_in_knee: bool


class SessionOut(Schema):
    id: int
    client_id: uuid.UUID
    started_at: dt.datetime
    routine: int | None = Field(None, alias="routine_id")
    sets: list[SetOut]
    pain_during: int | None
    pain_next_morning: int | None
    notes: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_sets(obj: Any) -> list[dict[str, Any]]:
        return obj.set_dicts  # type: ignore[no-any-return]  # every session read brings them


class PagedSessionOut(Schema):
    items: list[SessionOut]
    count: int


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


class SessionFilters(Schema):
    start: DateOrInstant | None = Field(None, alias="from")
    end: DateOrInstant | None = Field(None, alias="to")


# --- Check-ins ------------------------------------------------------------------------------
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


# --- Progress -------------------------------------------------------------------------------
class Out(BaseModel):
    """An answer built from plain dicts by the rules: validated as pydantic models, without
    ninja's getter for ORM objects (a progress answer holds a hundred small objects)."""


class WeekOut(Out):
    week_start: dt.date
    sessions: int
    target: int
    met: bool
    pain_mean: float | None
    pain_change_pct: float | None
    checkins: int
    rest_week: bool
    complete: bool


class MilestoneOut(Out):
    week_start: dt.date
    pain_mean: float
    change_points: float | None
    pain_change_pct: float | None
    meaningful: bool
    message: str


class MilestonesOut(Out):
    week4: MilestoneOut | None
    week8: MilestoneOut | None


class FlagOut(Out):
    code: str
    message: str
    since: dt.date


class SuggestionOut(Out):
    exercise: str
    action: Literal["progress", "hold", "ease_off", "stop"]
    message: str
    to_exercise: str | None
    to_band: str | None


class HelpsGroupOut(Out):
    pain_mean: float | None
    weeks: int


class HelpsOut(Out):
    enough_data: bool
    after_on_target: HelpsGroupOut
    after_below_target: HelpsGroupOut
    difference: float | None
    message: str


class ProgressOut(Out):
    timezone: str
    weekly_target: int
    baseline_pain: float | None
    streak_weeks: int
    habit_score: float
    weeks: list[WeekOut]
    milestones: MilestonesOut
    flags: list[FlagOut]
    suggestions: list[SuggestionOut]
    helps: HelpsOut


class ProgressFilters(Schema):
    weeks: int = Field(12, ge=1, le=104, description="How many weeks, up to the current one.")


class GuidanceFilters(Schema):
    felt_in_knee: bool = False
    pain_during: Annotated[int, Field(ge=vocab.PAIN_MIN, le=vocab.PAIN_MAX)] | None = None


class GuidanceOut(Schema):
    action: Literal["continue", "fewer_reps", "easier", "stop_today"]
    message: str
    easier: str | None


# --- Reminders and push ---------------------------------------------------------------------
def _hh_mm(value: object) -> dt.time:
    if isinstance(value, dt.time):
        return value
    text = str(value)
    if len(text) != 5 or text[2] != ":" or not (text[:2] + text[3:]).isdigit():
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
    next_fire_at: dt.datetime | None

    @staticmethod
    def resolve_weekdays(obj: Reminder) -> list[int]:
        from tracker.rules.reminders import weekdays_from_mask

        return weekdays_from_mask(obj.weekdays)

    @staticmethod
    def resolve_time(obj: Reminder) -> str:
        return obj.time.strftime("%H:%M")


class SnoozeIn(In):
    minutes: Annotated[int, Field(strict=True, ge=5, le=12 * 60)] = 60


class PushKeys(In):
    p256dh: Annotated[
        str, Field(min_length=1, max_length=200, json_schema_extra=NO_NUL), AfterValidator(_no_nul)
    ]
    auth: Annotated[
        str, Field(min_length=1, max_length=100, json_schema_extra=NO_NUL), AfterValidator(_no_nul)
    ]


class PushSubscriptionIn(In):
    endpoint: Annotated[
        str, Field(min_length=1, max_length=2048, json_schema_extra=NO_NUL), AfterValidator(_no_nul)
    ]
    expirationTime: Annotated[int, Field(ge=0, le=2**62)] | None = None
    keys: PushKeys


class PushSubscriptionOut(Schema):
    id: int
    endpoint: str
    expirationTime: int | None = Field(None, alias="expiration_time")


class VapidKeyOut(Schema):
    key: str


class CalendarOut(Schema):
    url: str


# --- Import ---------------------------------------------------------------------------------
class ImportIn(In):
    """A JSON export (``GET export?format=json``); other keys in it are ignored."""

    format: Literal["hip2knee-export"]
    version: Literal[1]
    sessions: Annotated[list[SessionIn], Field(max_length=20_000)] = []
    checkins: Annotated[list[CheckInIn], Field(max_length=20_000)] = []


class ImportCountOut(Schema):
    created: int
    existing: int


class ImportOut(Schema):
    sessions: ImportCountOut
    checkins: ImportCountOut


# --- Physiotherapist report -----------------------------------------------------------------
class ReportFilters(Schema):
    weeks: int = Field(12, ge=1, le=52, description="How many weeks, up to the current one.")


class ExerciseLoadOut(Out):
    exercise: str
    name: str
    sets: int
    first_done: dt.datetime
    last_done: dt.datetime
    top_band: str | None
    top_load_kg: float | None
    top_reps: int | None
    top_seconds: int | None


class ReportOut(Out):
    generated_at: dt.datetime
    progress: ProgressOut
    loads: list[ExerciseLoadOut]


class ReportShareIn(In):
    days: Annotated[int, Field(strict=True, ge=1, le=90)] = 30


class ReportShareOut(Schema):
    id: int
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None


class ReportShareCreatedOut(ReportShareOut):
    url: str = Field(description="The read-only link; shown only in this answer.")
    token: str = Field(description="The secret part of the link; shown only in this answer.")


class PushTestOut(Schema):
    sent: int
    failed: int
    detail: str
