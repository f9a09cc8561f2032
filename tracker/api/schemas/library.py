"""The exercise library, and the guidance for one set."""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Field, Schema

from tracker.models import Exercise
from tracker.rules import vocabulary as vocab
from tracker.rules.progression import band_advice


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
    tempo: str = Field(
        description='How a rep is paced, e.g. "2 s up, hold 2 s, 3 s down"; empty for holds.'
    )
    rest_seconds: int = Field(
        description="Rest between sets, in seconds (none between the two sides of one set)."
    )
    starting_band: vocab.Band | None = Field(
        None, description="The band to start with, where the exercise uses one."
    )
    easier: str | None = Field(None, alias="easier_id")
    harder: str | None = Field(None, alias="harder_id")

    band_advice: str = Field(
        "",
        description="Which band to start with and when to move up, in the exercise's own unit "
        "(reps, steps or seconds); empty where no band is used.",
    )

    @staticmethod
    def resolve_starting_band(exercise: Exercise) -> str | None:
        return exercise.starting_band or None

    @staticmethod
    def resolve_band_advice(exercise: Exercise) -> str:
        return band_advice(unit=exercise.unit, starting_band=exercise.starting_band)


class GuidanceFilters(Schema):
    felt_in_knee: bool = False
    pain_during: Annotated[int, Field(ge=vocab.PAIN_MIN, le=vocab.PAIN_MAX)] | None = None


class GuidanceOut(Schema):
    action: Literal["continue", "fewer_reps", "easier", "stop_today"]
    message: str
    easier: str | None
