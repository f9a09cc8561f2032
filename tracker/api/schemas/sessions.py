"""Sessions and their sets."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator, AwareDatetime
from typing_extensions import TypedDict

from tracker.api.schemas.common import (
    Band,
    DateOrInstant,
    In,
    Notes,
    ObjectId,
    Pain,
    Side,
    Slug,
    StrictBool,
)


def _load_in_hundredths(value: float) -> float:
    """A load is kept to 0.01 kg: one that would be kept as another number is refused, not
    changed (``5e-324`` would be 0.00, ``2.675`` would be 2.68)."""
    exact = Decimal(str(value))
    if exact.quantize(Decimal("0.01")) != exact:
        raise ValueError("give the load in kg with at most 2 decimals, e.g. 6.25")
    return value


LoadKg = Annotated[
    float,
    Field(ge=0, le=500, allow_inf_nan=False, description="kg, at most 2 decimals"),
    AfterValidator(_load_in_hundredths),
]


class SetIn(In):
    exercise: Slug
    side: Side = "both"
    reps: Annotated[int, Field(strict=True, ge=1, le=1000)] | None = None
    seconds: Annotated[int, Field(strict=True, ge=1, le=3600)] | None = None
    load_kg: LoadKg | None = None
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


class SessionFilters(Schema):
    start: DateOrInstant | None = Field(None, alias="from")
    end: DateOrInstant | None = Field(None, alias="to")
