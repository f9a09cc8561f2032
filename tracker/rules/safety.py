"""Is it safe to go on? The pain-monitoring model and the red flags, in plain words.

Source: Silbernagel et al. 2007 (Am J Sports Med), the pain-monitoring model: knee pain 0-3 during
exercise is safe, 4-5 acceptable, above 5 is not; pain must settle (back to usual within about an
hour) and must not be higher the next morning than usual; if it is, or if it rises week on week,
ease off. Red flags (NHS musculoskeletal pathways) always mean "see a clinician" and stop the plan
until the person confirms that a clinician has seen the knee; they never expire on their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median
from zoneinfo import ZoneInfo

from tracker.rules.progress import CheckInFact, SessionFact, Week
from tracker.rules.vocabulary import KNEE_TRACKING_CUE, RED_FLAGS, unit_word
from tracker.rules.weeks import local_date

SAFE_MAX = 3
ACCEPTABLE_MAX = 5
EASY_SESSIONS_TO_LIFT = 2  # easy sessions after pain above 5 that lift its ease-off
RISE_POINTS = 1.0  # over the two weeks
RECENT_DAYS = 14
USUAL_DAYS = 14  # "usual": the median of the check-ins of the 14 days before
ASK_SEEN_DAYS = 14  # from then on, the red notice asks whether a clinician has seen the knee
EVERYDAY_PAIN_MAX = 3  # everyday pain ideally stays below 2-3: context, never a warning

STOP_IF_WORSE = "Stop if pain increases instead of improving."
EASE_OFF_WAYS = "fewer sets, a lighter band or an easier variant"
NEXT_SESSION_EASE_OFF = f"Next session, ease off: {EASE_OFF_WAYS}."
RISING_ADVICE = (
    f"Stop if pain increases instead of improving: ease off ({EASE_OFF_WAYS}), and see a "
    "physiotherapist if it keeps rising."
)
# what each amber flag advises, after the sentence that says what happened
AMBER_ADVICE = {
    "pain_rising": RISING_ADVICE,
    "pain_above_5": NEXT_SESSION_EASE_OFF,
    "not_settled": NEXT_SESSION_EASE_OFF,
}
CLEARANCE_WORDS = "A clinician has seen my knee and I may exercise"
SEE_A_CLINICIAN_FIRST = (
    "Stop the exercises and see a clinician first (your GP, a physiotherapist, or urgent care if "
    "it is severe)."
)


@dataclass(frozen=True)
class Flag:
    code: str
    message: str
    since: date


def pain_rising(weeks: Sequence[Week]) -> Flag | None:
    """The weekly mean rose in each of the last two completed weeks, by at least 1 point in all.

    Example, completed weeks oldest first: 3.0, 3.5, 4.0 -> rising since the week of 3.5;
    3.0, 3.1, 3.2 -> not (a tenth a week is everyday noise); 3.0, -, 4.0 -> not (a gap).
    """
    complete = [w for w in weeks if w.complete]
    if len(complete) < 3:
        return None
    a, b, c = (w.pain_mean for w in complete[-3:])
    if a is None or b is None or c is None or not a < b < c or c - a < RISE_POINTS - 1e-9:
        return None
    return Flag(
        "pain_rising",
        f"Your knee pain has gone up two weeks running. {RISING_ADVICE}",
        complete[-2].week_start,
    )


def _recent(moment: datetime, now: datetime) -> bool:
    return now - timedelta(days=RECENT_DAYS) <= moment <= now + timedelta(days=1)


def _flag_since_first(
    code: str, message: str, hits: Sequence[SessionFact], tz: ZoneInfo
) -> Flag | None:
    """The flag, dated by the earliest session that raised it; None when none did."""
    if not hits:
        return None
    first = min(hits, key=lambda s: s.started_at)
    return Flag(code, message, local_date(first.started_at, tz))


def pain_above_5(sessions: Sequence[SessionFact], now: datetime, tz: ZoneInfo) -> Flag | None:
    """A session in the last 14 days with knee pain above 5 during it, until two sessions after
    the last such one were easy (pain at 3 or below): the easing off has done its work, and the
    person is not told to ease off after sessions that went well."""
    hits = [
        s
        for s in sessions
        if _recent(s.started_at, now)
        and s.pain_during is not None
        and s.pain_during > ACCEPTABLE_MAX
    ]
    if hits:
        last = max(s.started_at for s in hits)
        easy_since = [
            s
            for s in sessions
            if s.started_at > last and s.pain_during is not None and s.pain_during <= SAFE_MAX
        ]
        if len(easy_since) >= EASY_SESSIONS_TO_LIFT:
            return None
    return _flag_since_first(
        "pain_above_5",
        f"Knee pain went above 5 during a session (up to 5 is acceptable). {NEXT_SESSION_EASE_OFF}",
        hits,
        tz,
    )


def usual_pain(started_at: datetime, checkins: Sequence[CheckInFact], tz: ZoneInfo) -> float | None:
    """The knee's usual level before a session: the pain answered that day before the session
    started, when there is one; else the median of the check-ins of the 14 days before that day.
    None with nothing to compare.

    Example: check-ins of 2, 3, 2, 6 in the days before and none that morning -> 2.5 (one bad day
    does not make "usual"); a check-in of 1 that morning before the session -> 1.
    """
    day = local_date(started_at, tz)
    same_day = [
        c
        for c in checkins
        if c.day == day and c.recorded_at is not None and c.recorded_at <= started_at
    ]
    if same_day:
        return float(same_day[-1].pain)
    window = [c.pain for c in checkins if day - timedelta(days=USUAL_DAYS) <= c.day < day]
    return float(median(window)) if window else None


def not_settled(
    sessions: Sequence[SessionFact], checkins: Sequence[CheckInFact], now: datetime, tz: ZoneInfo
) -> Flag | None:
    """A session in the last 14 days whose next-morning pain was higher than the knee's usual
    level before it (``usual_pain``), not than one day's 24-hour worst."""
    hits = []
    for s in sessions:
        if not _recent(s.started_at, now) or s.pain_next_morning is None:
            continue
        usual = usual_pain(s.started_at, checkins, tz)
        if usual is not None and s.pain_next_morning > usual:
            hits.append(s)
    return _flag_since_first(
        "not_settled",
        "The morning after a session your knee hurt more than usual: it had not settled. "
        f"{NEXT_SESSION_EASE_OFF}",
        hits,
        tz,
    )


@dataclass(frozen=True)
class Clearance:
    """The person's word that a clinician has seen the knee and they may exercise: when they
    gave it (an instant) and on which of their local days."""

    seen_at: datetime
    day: date


def _cleared(checkin: CheckInFact, clearance: Clearance | None) -> bool:
    """Red flags reported on a day before the confirmation are cleared by it, and those of that
    same day when they were added before it (a later save of that check-in that adds none does
    not raise them again); a red flag reported later stands."""
    if clearance is None:
        return False
    if checkin.day != clearance.day:
        return checkin.day < clearance.day
    saved = checkin.red_flags_at or checkin.updated_at or checkin.recorded_at
    return saved is not None and saved <= clearance.seen_at


def red_flag(
    checkins: Sequence[CheckInFact], today: date, clearance: Clearance | None = None
) -> Flag | None:
    """Any red flag reported and not yet cleared: stop and see a clinician.

    It never expires on its own: it stays up until the person confirms that a clinician has seen
    the knee (``clearance``). From day 14 its notice asks whether they have been seen. Example: the
    knee locked on 1 March; on 10 March the flag is up; on 15 March it is up and asks; after a
    confirmation on 16 March it is gone, and a new red flag on 17 March raises it again.
    """
    up = [c for c in checkins if c.red_flags and not _cleared(c, clearance)]
    if not up:
        return None
    codes = sorted({code for c in up for code in c.red_flags})
    what = "; ".join(RED_FLAGS.get(code, code) for code in codes)
    since = min(c.day for c in up)
    if today - since >= timedelta(days=ASK_SEEN_DAYS):
        message = (
            f"Since {since.day} {since:%B} you reported: {what}. Has a clinician seen your "
            "knee? Until one has, hold the exercises and see your GP, a physiotherapist, or "
            "urgent care if it is severe."
        )
    else:
        message = f"You reported: {what}. {SEE_A_CLINICIAN_FIRST}"
    return Flag("red_flag", message, since)


def safety_flags(
    *,
    weeks: Sequence[Week],
    sessions: Sequence[SessionFact],
    checkins: Sequence[CheckInFact],
    now: datetime,
    tz: ZoneInfo,
    clearance: Clearance | None = None,
) -> list[Flag]:
    """Every flag that is up, the red flag first.

    ``checkins``: those of the last weeks (the usual pain before a session) and every one that
    reported a red flag after ``clearance``, the person's latest confirmation.
    """
    today = local_date(now, tz)
    sessions = [s for s in sessions if _recent(s.started_at, now)]  # both session rules look back
    red = red_flag(checkins, today, clearance)
    amber = [
        f
        for f in (
            pain_rising(weeks),
            pain_above_5(sessions, now, tz),
            not_settled(sessions, checkins, now, tz),
        )
        if f is not None
    ]
    return ([red] if red else []) + _advice_once(amber, red is not None)


def _advice_once(amber: list[Flag], red: bool) -> list[Flag]:
    """Each amber flag says what happened; only the first says what to do about it, so several
    flags never read "ease off ... ease off". Under a red flag none does: the red flag's "stop and
    see a clinician" is the one thing to do."""
    said = red
    out = []
    for flag in amber:
        if said:
            reason = flag.message.removesuffix(f" {AMBER_ADVICE[flag.code]}")
            flag = Flag(flag.code, reason, flag.since)
        said = True
        out.append(flag)
    return out


@dataclass(frozen=True)
class SetGuidance:
    action: str  # "continue", "fewer_reps", "easier", "stop_today"
    message: str
    easier: str | None = None


@dataclass(frozen=True)
class _Pace:
    """How the work of a set is said in its unit: reps and steps are slowed, holds eased."""

    keep: str
    carry_on: str
    less: str
    a_little_less: str


def _pace(unit: str) -> _Pace:
    if unit == "seconds":
        return _Pace(
            "Keep the holds gentle.",
            "Carry on with gentle, steady holds.",
            "hold about a third shorter, more gently,",
            "shorter, gentler holds",
        )
    word = unit_word(unit)
    return _Pace(
        f"Keep the {word} slow.",
        f"Carry on with slow, controlled {word}.",
        f"do about a third fewer {word}, slower,",
        f"fewer, slower {word}",
    )


def set_guidance(
    *,
    exercise_name: str,
    easier_slug: str | None,
    easier_name: str | None,
    felt_in_knee: bool,
    pain_during: int | None,
    form_cue: bool = False,
    unit: str = "reps",
) -> SetGuidance:
    """The answer for one set, at once: the PWA runs the same rule offline.

    Pain above 5: stop this exercise today. Felt in the knee at 4-5 (or unrated): the easier
    variant, or fewer reps when there is none. Felt in the knee at 0-3: fewer, slower reps.
    ``form_cue``: the exercise is a squat, lunge or hinge, whose form cue (knees over the 2nd-3rd
    toe) is repeated; a bridge or a clamshell has none. ``unit``: what the exercise counts, so
    the words are its own (fewer steps on a band walk, shorter holds on a stretch).
    """
    form = f" {KNEE_TRACKING_CUE}" if form_cue else ""
    pace = _pace(unit)
    if pain_during is not None and pain_during > ACCEPTABLE_MAX:
        return SetGuidance(
            "stop_today", f"Pain above 5 is too much: stop {exercise_name} for today."
        )
    if not felt_in_knee:
        if pain_during is not None and pain_during > SAFE_MAX:
            return SetGuidance(
                "continue",
                f"Pain 4–5 is acceptable if it settles within about an hour. {pace.keep}",
            )
        return SetGuidance("continue", f"Pain 0–3 is safe. {pace.carry_on}")
    if pain_during is None or pain_during > SAFE_MAX:
        if easier_slug:
            return SetGuidance(
                "easier",
                f"Felt it in the knee: switch to {easier_name} for the rest of today.",
                easier_slug,
            )
        return SetGuidance(
            "fewer_reps",
            f"Felt it in the knee: {pace.less} and only as far as is comfortable.{form}",
        )
    return SetGuidance(
        "fewer_reps",
        f"Felt it a little in the knee: {pace.a_little_less} and check your form.{form}",
    )


def session_pain_answer(pain_during: int) -> str:
    """The answer to the knee pain of a whole session, rated as it ends: about the next one
    (the session is over; "stop this exercise" would come too late).

    7 -> ease off next session; 4 -> acceptable if it settles; 2 -> safe.
    """
    if pain_during > ACCEPTABLE_MAX:
        return (
            f"Pain above {ACCEPTABLE_MAX} is more than the knee should take. Next session, ease "
            f"off: {EASE_OFF_WAYS}."
        )
    if pain_during > SAFE_MAX:
        return (
            f"Pain {SAFE_MAX + 1}–{ACCEPTABLE_MAX} is acceptable if it settles within about an "
            "hour and the knee is no worse than usual tomorrow morning."
        )
    return f"Pain 0–{SAFE_MAX} is safe. Keep the same dose next session."
