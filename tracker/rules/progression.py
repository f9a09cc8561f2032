"""When to push harder, hold, or ease off, per exercise.

Source: the dose of the hip-strengthening trials (Dolak et al. 2011; Collins et al. 2018): slow,
controlled reps, form over intensity; progress load (a heavier band, 2-10% more) once 3x12 clean
reps are easy and pain rules allow (pain during exercise 0-3; Silbernagel et al. 2007).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tracker.rules.vocabulary import BANDS

TOP_SETS = 3
TOP_REPS = 12
TOP_STEPS = 20
EASY_PAIN_MAX = 3
EASING_FLAGS = frozenset({"pain_rising", "pain_above_5", "not_settled"})


@dataclass(frozen=True)
class ExerciseInfo:
    slug: str
    name: str
    category: str
    unit: str
    easier: str | None = None
    harder: str | None = None


@dataclass(frozen=True)
class SetFact:
    exercise: str
    side: str
    reps: int | None = None
    seconds: int | None = None
    band: str | None = None
    load_kg: float | None = None


@dataclass(frozen=True)
class LoggedSession:
    started_at: datetime
    pain_during: int | None
    sets: tuple[SetFact, ...]


@dataclass(frozen=True)
class Suggestion:
    exercise: str
    action: str  # "progress", "hold", "ease_off", "stop"
    message: str
    to_exercise: str | None = None
    to_band: str | None = None


def at_top_of_dose(sets: Sequence[SetFact], unit: str) -> bool:
    """3 sets of 12 reps (20 steps) on every side that was worked: ``3x12 left + 3x12 right``
    is the top; ``3x12 left + 2x12 right`` is not."""
    top = TOP_STEPS if unit == "steps" else TOP_REPS
    per_side = {"left": 0, "right": 0}
    sides_worked: set[str] = set()
    for s in sets:
        sides = ("left", "right") if s.side == "both" else (s.side,)
        sides_worked.update(sides)
        if s.reps is not None and s.reps >= top:
            for side in sides:
                per_side[side] += 1
    return bool(sides_worked) and all(per_side[side] >= TOP_SETS for side in sides_worked)


def _next_band(sets: Sequence[SetFact]) -> str | None:
    used = [BANDS.index(s.band) for s in sets if s.band in BANDS]
    if not used:
        return None
    heaviest = max(used)
    return BANDS[heaviest + 1] if heaviest + 1 < len(BANDS) else None


def suggest(
    *,
    sessions: Sequence[LoggedSession],
    library: dict[str, ExerciseInfo],
    flag_codes: Sequence[str],
) -> list[Suggestion]:
    """One suggestion per exercise in the recent sessions (newest session's exercises first).

    A red flag stops everything; any other flag eases off; two sessions in a row at the top of
    the dose with pain during at most 3 progress to the harder variant, the next band, or 2-10%
    more load; everything else holds.
    """
    newest_first = sorted(sessions, key=lambda s: s.started_at, reverse=True)
    order: list[str] = []
    for session in newest_first:
        for s in session.sets:
            if s.exercise not in order and s.exercise in library:
                order.append(s.exercise)
    codes = set(flag_codes)
    result = []
    for slug in order:
        info = library[slug]
        # each names its exercise: the flag above them already says why, once
        if "red_flag" in codes:
            result.append(
                Suggestion(
                    slug, "stop", f"{info.name}: paused until a clinician has seen your knee."
                )
            )
            continue
        if codes & EASING_FLAGS:
            if info.easier and info.easier in library:
                easier = library[info.easier].name
                result.append(
                    Suggestion(
                        slug,
                        "ease_off",
                        f"{info.name}: switch to {easier} for now, or do fewer sets.",
                        to_exercise=info.easier,
                    )
                )
            else:
                lighter = "a lighter band" if info.category == "strength" else "gentler holds"
                result.append(
                    Suggestion(slug, "ease_off", f"{info.name}: fewer sets and {lighter} for now.")
                )
            continue
        result.append(_progress_or_hold(info, newest_first, library))
    return result


def _progress_or_hold(
    info: ExerciseInfo, newest_first: Sequence[LoggedSession], library: dict[str, ExerciseInfo]
) -> Suggestion:
    hold = Suggestion(
        info.slug,
        "hold",
        "Keep this dose. Progress once 3×12 slow, clean reps feel easy and pain stays at 3 "
        "or below.",
    )
    if info.category != "strength":
        return Suggestion(
            info.slug, "hold", "Keep it up: stretches and mobility work stay as they are."
        )
    last_two = [s for s in newest_first if any(x.exercise == info.slug for x in s.sets)][:2]
    if len(last_two) < 2:
        return hold
    for session in last_two:
        sets = [x for x in session.sets if x.exercise == info.slug]
        easy = session.pain_during is not None and session.pain_during <= EASY_PAIN_MAX
        if not (easy and at_top_of_dose(sets, info.unit)):
            return hold
    if info.harder and info.harder in library:
        return Suggestion(
            info.slug,
            "progress",
            f"Ready for more: try {library[info.harder].name}.",
            to_exercise=info.harder,
        )
    latest_sets = [x for x in last_two[0].sets if x.exercise == info.slug]
    band = _next_band(latest_sets)
    if band:
        return Suggestion(
            info.slug, "progress", f"Ready for more: move up to the {band} band.", to_band=band
        )
    return Suggestion(
        info.slug, "progress", "Ready for more: add a band or 2–10% more load, and keep reps slow."
    )
