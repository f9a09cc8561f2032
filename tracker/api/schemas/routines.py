"""Routines and their items."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import model_validator

from tracker.api.schemas.common import (
    Band,
    In,
    Name,
    ObjectId,
    Slug,
    StrictBool,
)
from tracker.rules import vocabulary as vocab


class RoutineItemIn(In):
    exercise: Slug
    sets: Annotated[int, Field(strict=True, ge=1, le=20)]
    target: Annotated[int, Field(strict=True, ge=1, le=3600)]
    per_side: StrictBool | None = None
    warmup: StrictBool = Field(False, description="Part of the warm-up block, done first.")
    band: Band | None = Field(None, description="The band to use; Log prefills it.")


class RoutineItemOut(Schema):
    exercise: str = Field(alias="exercise_id")
    sets: int
    target: int
    per_side: bool
    warmup: bool
    band: Band | None

    @staticmethod
    def resolve_band(obj: Any) -> str | None:
        return None if obj.band is None else vocab.band_name(obj.band)


class RoutineIn(In):
    name: Name | None = None
    items: Annotated[list[RoutineItemIn], Field(max_length=40)] | None = Field(
        None, description="With copy_of: the copy holds these items instead of the source's."
    )
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
    proposed: bool = Field(
        False,
        description="The routine proposed next: the user's own routine saved last or the one "
        "of the session logged last, whichever is newer (else the first starter).",
    )
    items: list[RoutineItemOut] = Field(description="In order; warm-up items come first.")
    updated_at: datetime = Field(
        description="When the routine was last saved: Log fills in its dose rather than the "
        "last session's when the routine changed after that session."
    )
