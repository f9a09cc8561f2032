"""The physiotherapist report and its share links."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from tracker.api.schemas.common import In, Out
from tracker.api.schemas.progress import ProgressOut

WEEKS_MAX = 52
WEEKS_DEFAULT = 12


class ReportFilters(Schema):
    weeks: int = Field(
        WEEKS_DEFAULT, ge=1, le=WEEKS_MAX, description="How many weeks, up to the current one."
    )


class ExerciseLoadOut(Out):
    exercise: str
    name: str
    sets: int = Field(
        description="Sets done, each side counted once: one left and one right are one set."
    )
    first_done: dt.datetime
    last_done: dt.datetime
    top_band: str | None
    top_load_kg: float | None
    top_reps: int | None
    top_seconds: int | None


class ReportRoutineItemOut(Out):
    exercise: str
    name: str
    unit: str = Field(description='"reps", "seconds" or "steps": what the target counts.')
    sets: int
    target: int
    per_side: bool


class ReportRoutineOut(Out):
    """The routine of the latest session that followed one, as planned."""

    name: str
    items: list[ReportRoutineItemOut]


class ReportedRedFlagOut(Out):
    """A check-in that reported a red flag."""

    date: dt.date
    red_flags: list[str] = Field(description="The codes, as GET vocabulary lists them.")
    words: list[str] = Field(description="The same, in plain words.")


class ReportOut(Out):
    generated_at: dt.datetime
    progress: ProgressOut
    red_flags: list[ReportedRedFlagOut] = Field(
        description="The check-ins of the weeks shown that reported a red flag, oldest first, "
        "cleared or not (progress.clinician_seen says when a clinician was confirmed)."
    )
    loads: list[ExerciseLoadOut]
    routine: ReportRoutineOut | None = Field(
        description="The routine the latest session followed; null when none did."
    )


class ReportShareIn(In):
    days: Annotated[int, Field(strict=True, ge=1, le=90)] = 30
    weeks: Annotated[
        int,
        Field(strict=True, ge=1, le=WEEKS_MAX, description="How many weeks the link shows."),
    ] = WEEKS_DEFAULT


class ReportShareOut(Schema):
    id: int
    weeks: int
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None


class ReportShareCreatedOut(ReportShareOut):
    url: str = Field(description="The read-only link; shown only in this answer.")
    token: str = Field(description="The secret part of the link; shown only in this answer.")
