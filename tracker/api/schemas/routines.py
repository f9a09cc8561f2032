"""Routines and their items."""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Schema
from pydantic import model_validator

from tracker.api.schemas.common import (
    In,
    Name,
    ObjectId,
    Slug,
    StrictBool,
)


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
