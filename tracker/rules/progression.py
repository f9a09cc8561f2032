"""When to push harder, hold, or ease off, per exercise.

Source: the dose of the hip-strengthening trials (Dolak et al. 2011; Collins et al. 2018): slow,
controlled reps, form over intensity; reps progress before load: 2 more reps at a time up to
3x12, and only once 3x12 clean reps are easy and pain rules allow (pain during exercise 0-3;
Silbernagel et al. 2007) a harder variant, a heavier band or 2-10% more load.

Worked example: a routine's glute bridge at 3x10. Two sessions in a row with every set at 10 reps
or more and knee pain during at most 3 suggest 3x12. Two such sessions at 3x12 suggest the
single-leg bridge. Each suggestion names its exercise, and there is one per exercise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from tracker.rules.vocabulary import BANDS, unit_word

TOP_SETS = 3
TOP_REPS = 12
TOP_STEPS = 20
REPS_STEP = 2
LOAD_STEP_PCT = (2, 10)
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
class PlannedDose:
    """What the user's routine asks of one exercise (its main work, not the warm-up)."""

    sets: int
    target: int
    band: str | None = None


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
    """One piece of advice about one exercise. ``to_*`` say how the routine would change when the
    advice is applied: another exercise in its place, a band to use, or a new dose."""

    exercise: str
    action: str  # "progress", "hold", "ease_off", "stop"
    message: str
    to_exercise: str | None = None
    to_band: str | None = None
    to_sets: int | None = None
    to_target: int | None = None


def band_advice(*, unit: str, starting_band: str) -> str:
    """Which band to start with and when to move up, in the exercise's own unit; empty where no
    band is used. Lateral band walk: "... move up one band once 3 x 20 clean steps are easy." """
    if not starting_band:
        return ""
    return (
        f"Band: start with {starting_band} (the lightest); move up one band once "
        f"{TOP_SETS} × {top_of(unit)} clean {unit_word(unit)} are easy."
    )


def top_of(unit: str) -> int:
    """The most reps (or steps) per set before load goes up: 12 reps, 20 steps."""
    return TOP_STEPS if unit == "steps" else TOP_REPS


def at_dose(sets: Sequence[SetFact], *, sets_needed: int, reps_needed: int) -> bool:
    """At least ``sets_needed`` sets of at least ``reps_needed`` on every side that was worked:
    for 3x12, ``3x12 left + 3x12 right`` is there; ``3x12 left + 2x12 right`` is not."""
    per_side = {"left": 0, "right": 0}
    sides_worked: set[str] = set()
    for s in sets:
        sides = ("left", "right") if s.side == "both" else (s.side,)
        sides_worked.update(sides)
        if s.reps is not None and s.reps >= reps_needed:
            for side in sides:
                per_side[side] += 1
    return bool(sides_worked) and all(per_side[side] >= sets_needed for side in sides_worked)


def below_top(dose: PlannedDose, unit: str) -> bool:
    return dose.target < top_of(unit) or dose.sets < TOP_SETS


def _next_band(sets: Sequence[SetFact]) -> str | None:
    """The band after the heaviest one used; the lightest when none was used; None after the
    heaviest."""
    used = [BANDS.index(s.band) for s in sets if s.band in BANDS]
    if not used:
        return BANDS[0]
    heaviest = max(used)
    return BANDS[heaviest + 1] if heaviest + 1 < len(BANDS) else None


def _more_load(sets: Sequence[SetFact]) -> str:
    """2-10% more load, in kilograms where the sets carried some."""
    loads = [s.load_kg for s in sets if s.load_kg]
    low, high = LOAD_STEP_PCT
    if not loads:
        return f"{low}–{high}% more load"
    heaviest = max(loads)
    return (
        f"{low}–{high}% more load (from {heaviest:g} kg to "
        f"{heaviest * (1 + low / 100):.1f}–{heaviest * (1 + high / 100):.1f} kg)"
    )


def _dose_text(sets: int, target: int, unit: str) -> str:
    word = {"steps": " steps", "seconds": " s"}.get(unit, "")
    return f"{sets}×{target}{word}"


def suggest(
    *,
    sessions: Sequence[LoggedSession],
    library: Mapping[str, ExerciseInfo],
    flag_codes: Sequence[str],
    plan: Mapping[str, PlannedDose] | None = None,
    counts_from: datetime | None = None,
) -> list[Suggestion]:
    """One suggestion per exercise in the recent sessions (newest session's exercises first),
    each naming its exercise.

    ``counts_from``: when a clinician last confirmed the knee may be exercised. Only sessions
    after it count as easy ones, so a person back from a red flag starts again at their dose
    and is not pushed on by sessions done before it.

    A red flag stops everything; any other flag eases off. ``plan`` is the user's routine: when
    there is one, only its exercises get advice, and below 3x12 two easy sessions at its dose add
    2 reps (then a set) up to 3x12; at 3x12, two easy sessions progress to the harder variant,
    the next band, or 2-10% more load; everything else holds.
    """
    newest_first = sorted(sessions, key=lambda s: s.started_at, reverse=True)
    order: list[str] = []
    for session in newest_first:
        for s in session.sets:
            if s.exercise not in order and s.exercise in library:
                if plan is None or s.exercise in plan:
                    order.append(s.exercise)
    codes = set(flag_codes)
    result = []
    for slug in order:
        info = library[slug]
        if "red_flag" in codes:
            result.append(
                Suggestion(
                    slug, "stop", f"{info.name}: paused until a clinician has seen your knee."
                )
            )
            continue
        if codes & EASING_FLAGS:
            latest = next(
                ([x for x in s.sets if x.exercise == slug] for s in newest_first
                 if any(x.exercise == slug for x in s.sets)),
                [],
            )  # fmt: skip
            result.append(_ease_off(info, library, plan, latest))
            continue
        dose = plan.get(slug) if plan is not None else None
        since = [s for s in newest_first if counts_from is None or s.started_at > counts_from]
        result.append(_progress_or_hold(info, since, library, dose, plan))
    return result


def _ease_off(
    info: ExerciseInfo,
    library: Mapping[str, ExerciseInfo],
    plan: Mapping[str, PlannedDose] | None,
    latest: Sequence[SetFact],
) -> Suggestion:
    """What easing off means for one exercise, named: the flag above the suggestions already says
    why, once, so each says only what to change ("ease off" is not repeated per exercise). The
    easier variant when the routine does not hold it already (a switch would do it twice);
    otherwise less of what the person used: a lighter band or less load only when they used one."""
    easier = library.get(info.easier) if info.easier else None
    if easier is not None and (plan is None or easier.slug not in plan):
        return Suggestion(
            info.slug,
            "ease_off",
            f"{info.name}: switch to {easier.name} for now, or do fewer sets.",
            to_exercise=easier.slug,
        )
    if info.category != "strength":
        word = unit_word(info.unit)
        gentler = "gentler holds" if info.unit == "seconds" else f"fewer, gentler {word}"
        less = f"fewer sets and {gentler}"
    elif any(s.band for s in latest):
        less = "fewer sets and a lighter band"
    elif any(s.load_kg for s in latest):
        less = "fewer sets and less load"
    else:
        fewer = {"steps": "fewer steps", "seconds": "shorter holds"}.get(info.unit, "fewer reps")
        less = f"fewer sets or {fewer}"
    return Suggestion(info.slug, "ease_off", f"{info.name}: {less} for now.")


def _easy_at(
    info: ExerciseInfo,
    newest_first: Sequence[LoggedSession],
    *,
    sets_needed: int,
    reps_needed: int,
) -> tuple[bool, list[SetFact]]:
    """Whether the two newest sessions with this exercise were both easy (pain during at most 3)
    and at the dose; and the newest session's sets of it."""
    last_two = [s for s in newest_first if any(x.exercise == info.slug for x in s.sets)][:2]
    latest = [x for x in last_two[0].sets if x.exercise == info.slug] if last_two else []
    if len(last_two) < 2:
        return False, latest
    for session in last_two:
        sets = [x for x in session.sets if x.exercise == info.slug]
        easy = session.pain_during is not None and session.pain_during <= EASY_PAIN_MAX
        if not (easy and at_dose(sets, sets_needed=sets_needed, reps_needed=reps_needed)):
            return False, latest
    return True, latest


def _more_reps(
    info: ExerciseInfo, newest_first: Sequence[LoggedSession], dose: PlannedDose
) -> Suggestion:
    """Below 3x12: two easy sessions at the routine's dose add 2 reps, then a set, up to 3x12."""
    top = top_of(info.unit)
    now = _dose_text(dose.sets, dose.target, info.unit)
    ready, _ = _easy_at(info, newest_first, sets_needed=dose.sets, reps_needed=dose.target)
    if not ready:
        return Suggestion(
            info.slug,
            "hold",
            f"{info.name}: keep {now}. After two sessions at it with knee pain at 3 or below, "
            f"add {REPS_STEP} {unit_word(info.unit)}.",
        )
    sets, target = dose.sets, min(dose.target + REPS_STEP, top)
    if dose.target >= top:
        sets = min(dose.sets + 1, TOP_SETS)
    more = (
        "one more set"
        if sets > dose.sets
        else f"{target - dose.target} more {unit_word(info.unit)}"
    )
    return Suggestion(
        info.slug,
        "progress",
        f"{info.name}: two easy sessions at {now}. Ready for {more}: "
        f"{_dose_text(sets, target, info.unit)}.",
        to_sets=sets,
        to_target=target,
    )


def _progress_or_hold(
    info: ExerciseInfo,
    newest_first: Sequence[LoggedSession],
    library: Mapping[str, ExerciseInfo],
    dose: PlannedDose | None,
    plan: Mapping[str, PlannedDose] | None = None,
) -> Suggestion:
    """``plan``: the routine's exercises; a harder variant it already holds is not offered
    in this one's place (it would be there twice): the band or load goes up instead."""
    name = info.name
    if info.category != "strength":
        return Suggestion(
            info.slug, "hold", f"{name}: keep it up. Stretches and mobility work stay as they are."
        )
    top = top_of(info.unit)
    top_text = _dose_text(TOP_SETS, top, info.unit)
    word = unit_word(info.unit)
    ready, latest = _easy_at(info, newest_first, sets_needed=TOP_SETS, reps_needed=top)
    if not ready and dose is not None and below_top(dose, info.unit):
        return _more_reps(info, newest_first, dose)
    if not ready:
        return Suggestion(
            info.slug,
            "hold",
            f"{name}: keep this dose. Progress once {top_text} slow, clean {word} feel easy and "
            "knee pain stays at 3 or below.",
        )
    if info.harder and info.harder in library and (plan is None or info.harder not in plan):
        harder = library[info.harder].name
        return Suggestion(
            info.slug,
            "progress",
            f"{name}: {top_text} is easy. Ready for more: try {harder} instead.",
            to_exercise=info.harder,
        )
    planned_band = dose.band if dose is not None else None
    if any(s.load_kg for s in latest) and not any(s.band for s in latest):
        return Suggestion(
            info.slug,
            "progress",
            f"{name}: {top_text} is easy. Ready for more: {_more_load(latest)}; keep {word} slow.",
        )
    band = _next_band(latest)
    if (
        band is not None
        and planned_band in BANDS
        and BANDS.index(planned_band) >= BANDS.index(band)
    ):
        return Suggestion(
            info.slug, "hold", f"{name}: your routine has the {planned_band} band for next time."
        )
    if band is not None:
        return Suggestion(
            info.slug,
            "progress",
            f"{name}: {top_text} is easy. Ready for more: move up to the {band} band.",
            to_band=band,
        )
    return Suggestion(
        info.slug,
        "progress",
        f"{name}: {top_text} is easy with the heaviest band. Ready for more: {_more_load(latest)}; "
        f"keep {word} slow.",
    )
