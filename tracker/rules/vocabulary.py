"""The words the domain is written in: sides, units, bands, pain scale and red-flag codes."""

from __future__ import annotations

from datetime import date
from typing import Final, Literal, get_args

# Nothing in a log is dated earlier: a guard against typos, and the floor of every date range.
EARLIEST_DATE: Final = date(2000, 1, 1)

# Knee pain on the 0-10 numeric rating scale (NRS): 0 = no pain, 10 = worst imaginable.
PAIN_MIN: Final = 0
PAIN_MAX: Final = 10

Side = Literal["left", "right", "both"]
SIDES: Final[tuple[Side, ...]] = get_args(Side)
UNITS: Final = ("reps", "seconds", "steps")


def unit_word(unit: str) -> str:
    """What an exercise's target counts, in words: "reps", "steps" or "seconds"."""
    return unit if unit in ("steps", "seconds") else "reps"


CATEGORIES: Final = ("strength", "mobility", "soft_tissue")
WeightUnit = Literal["kg", "lb"]
WEIGHT_UNITS: Final[tuple[WeightUnit, ...]] = get_args(WeightUnit)

# Resistance bands from lightest to heaviest; the order is what "the next band" means.
Band = Literal["yellow", "red", "green", "blue", "black"]
BANDS: Final[tuple[Band, ...]] = get_args(Band)


# Rest between sets is at most this long (the library keeps 45-90 s for strength, less for
# mobility).
REST_SECONDS_MAX: Final = 300


def band_level(name: str) -> int:
    """1 for the lightest band, 5 for the heaviest: ``band_level("green") == 3``."""
    return BANDS.index(name) + 1


def band_name(level: int) -> str:
    return BANDS[level - 1]


# Red flags (NHS musculoskeletal pathways): any one means "see a clinician", and the app stops
# encouraging more load.
RedFlagCode = Literal[
    "cannot_bear_weight",
    "locking",
    "giving_way_fall",
    "major_swelling",
    "hot_red_fever",
    "after_injury",
    "night_or_constant_pain",
]
RED_FLAGS: Final[dict[str, str]] = {  # every RedFlagCode, in its order
    "cannot_bear_weight": "cannot bear weight on the leg",
    "locking": "the knee locks",
    "giving_way_fall": "the knee gives way and causes a fall",
    "major_swelling": "the knee is badly swollen",
    "hot_red_fever": "the knee is hot and red, or there is a fever",
    "after_injury": "the pain started after an injury",
    "night_or_constant_pain": "night pain, or constant pain that rest does not change",
}
# The same flags as the check-in asks them, in the person's own words (one tick box each).
RED_FLAG_QUESTIONS: Final[dict[str, str]] = {
    "cannot_bear_weight": "I cannot bear weight on the leg",
    "locking": "The knee locks",
    "giving_way_fall": "The knee gave way and I fell",
    "major_swelling": "The knee is badly swollen",
    "hot_red_fever": "The knee is hot and red, or I have a fever",
    "after_injury": "The pain started after an injury",
    "night_or_constant_pain": "Pain at night, or constant pain that rest does not change",
}

# Signs often seen with hip-related knee pain: a self-check, not a diagnosis; any one of them is
# a reason to ask a physiotherapist whether hip strengthening suits the knee (Ireland et al.
# 2003, Robinson & Nee 2007: hip weakness in patellofemoral pain).
HIP_SIGNS: Final[tuple[str, ...]] = (
    "Pain after sitting for a while, or on stairs",
    "A tight front of the hip or groin",
    "Knee pain in hip stretches such as pigeon pose",
    "Poor balance on one leg",
    "Knees caving inward in squats or lunges",
)

# The form cue of squats, lunges and hinges (not of bridges or clamshells, done lying down).
KNEE_TRACKING_CUE: Final = "Knees track over the 2nd–3rd toe, hips drive back, torso tall."

WEEKLY_TARGET_MIN: Final = 1
WEEKLY_TARGET_MAX: Final = 7
# 2-4 short sessions a week is what the guidance recommends (Collins et al. 2018); 3 by default
WEEKLY_TARGET_RECOMMENDED_MIN: Final = 2
WEEKLY_TARGET_RECOMMENDED_MAX: Final = 4
WEEKLY_TARGET_DEFAULT: Final = 3

CHANNELS: Final = ("push", "email")
# "session": a reminder to train; "morning_check": the morning after a session, how is the knee?
REMINDER_KINDS: Final = ("session", "morning_check")
DELIVERY_STATES: Final = ("claimed", "sending", "sent", "skipped", "failed")
