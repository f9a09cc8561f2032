"""The weekly progress answer."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from tracker.api.schemas.common import Out


class WeekOut(Out):
    """One ISO week (Monday to Sunday) in the user's time zone."""

    week_start: dt.date = Field(description="The week's Monday, a local date.")
    sessions: int = Field(description="Sessions logged that week.")
    target: int = Field(description="The weekly target.")
    met: bool = Field(description="At least the target was logged.")
    pain_mean: float | None = Field(description="Mean knee pain (0-10) of the week's check-ins.")
    pain_change_pct: float | None = Field(
        description="Against the first week's pain, in percent: negative is less pain."
    )
    checkins: int = Field(description="Check-ins that week.")
    rest_week: bool = Field(description="Mostly rest or flare days: the streak holds.")
    complete: bool = Field(description="False for the current week, still in progress.")


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
    """Advice about one exercise; ``to_*`` say how applying it changes the routine."""

    exercise: str
    action: Literal["progress", "hold", "ease_off", "stop"]
    message: str
    to_exercise: str | None = Field(description="This exercise in its place.")
    to_band: str | None = Field(description="The band to use from next time.")
    to_sets: int | None = Field(description="The new number of sets.")
    to_target: int | None = Field(description="The new reps, steps or seconds per set.")


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
