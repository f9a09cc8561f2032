"""The shape of ``GET vocabulary``: the words and limits the pages share, and the page table."""

from __future__ import annotations

from ninja import Field, Schema


class RedFlagOut(Schema):
    code: str
    label: str = Field(description="The check-in's tick box, in the person's own words.")
    reported: str = Field(description='What the app says back: "You reported: ...".')


class PainScaleOut(Schema):
    """Knee pain on the 0-10 numeric rating scale, and the pain-monitoring model's limits for
    pain during exercise: up to ``safe_max`` is safe, up to ``acceptable_max`` acceptable,
    above it is not."""

    min: int
    max: int
    safe_max: int
    acceptable_max: int


class MeaningfulChangeOut(Schema):
    """The smallest fall in weekly knee pain from the first week that matters: at least
    ``points`` points, or at least ``percent`` percent of the first week's mean when that is
    also at least ``percent_min_points`` points."""

    points: float
    percent: float
    percent_min_points: float


class WeeklyTargetOut(Schema):
    min: int
    max: int
    default: int
    recommended_min: int
    recommended_max: int


class SafetyWordsOut(Schema):
    """The safety words a page says without the server (offline, or before a write syncs)."""

    see_clinician_first: str = Field(description="What a red flag asks of the person.")
    clinician_seen: str = Field(
        description="The confirmation that lifts the hold a red flag puts on the plan."
    )
    ease_off: str = Field(description="What easing off means.")


class PageOut(Schema):
    name: str
    path: str
    reads: list[str] = Field(
        description="The API reads (under /api/v1/) the page makes as it opens, as it makes them."
    )
    offline: bool = Field(description="Kept by the service worker for use without a signal.")


class VocabularyOut(Schema):
    bands: list[str] = Field(description="Resistance bands, lightest first.")
    red_flags: list[RedFlagOut]
    pain: PainScaleOut
    meaningful_change: MeaningfulChangeOut
    weekly_target: WeeklyTargetOut
    safety: SafetyWordsOut
    pages: list[PageOut]


class TimeZonesOut(Schema):
    timezones: list[str] = Field(
        description='IANA region names ("Europe/London") and "UTC", sorted.'
    )
