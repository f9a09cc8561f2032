"""Is it safe to go on? The pain-monitoring model and the red flags, in plain words.

Source: Silbernagel et al. 2007 (Am J Sports Med), the pain-monitoring model: knee pain 0-3 during
exercise is safe, 4-5 acceptable, above 5 is not; pain must settle (back to usual within about an
hour) and must not be higher the next morning; if it is, or if it rises week on week, ease off.
Red flags (NHS musculoskeletal pathways) always mean "see a clinician" and stop the encouragement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tracker.rules.progress import CheckInFact, SessionFact, Week
from tracker.rules.vocabulary import RED_FLAGS
from tracker.rules.weeks import local_date

SAFE_MAX = 3
ACCEPTABLE_MAX = 5
RISE_POINTS = 1.0  # over the two weeks
RECENT_DAYS = 14

STOP_IF_WORSE = "Stop if pain increases instead of improving."
EASE_OFF = "Ease off: fewer sets, a lighter band or an easier variant."


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
        f"Your knee pain has been going up week on week. {STOP_IF_WORSE} {EASE_OFF} "
        "If it keeps rising, see a physiotherapist.",
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
    """A session in the last 14 days with knee pain above 5 during it."""
    hits = [
        s
        for s in sessions
        if _recent(s.started_at, now)
        and s.pain_during is not None
        and s.pain_during > ACCEPTABLE_MAX
    ]
    return _flag_since_first(
        "pain_above_5",
        "Knee pain went above 5 during a session. Pain up to 5 is acceptable, above 5 is not. "
        f"{EASE_OFF} {STOP_IF_WORSE}",
        hits,
        tz,
    )


def _pain_before(
    session: SessionFact, newest_first: Sequence[CheckInFact], tz: ZoneInfo
) -> int | None:
    """The user's latest check-in pain before a session: an earlier day, or the same day if it
    was recorded before the session started. ``newest_first``: the check-ins, newest first."""
    day = local_date(session.started_at, tz)
    for c in newest_first:
        if c.day < day or (
            c.day == day and c.recorded_at is not None and c.recorded_at <= session.started_at
        ):
            return c.pain
    return None


def not_settled(
    sessions: Sequence[SessionFact], checkins: Sequence[CheckInFact], now: datetime, tz: ZoneInfo
) -> Flag | None:
    """A session in the last 14 days whose next-morning pain was higher than the user's usual
    (their latest check-in before that session)."""
    hits = []
    newest_first = sorted(
        checkins, key=lambda c: (c.day, c.recorded_at or datetime.min), reverse=True
    )
    for s in sessions:
        if not _recent(s.started_at, now) or s.pain_next_morning is None:
            continue
        usual = _pain_before(s, newest_first, tz)
        if usual is not None and s.pain_next_morning > usual:
            hits.append(s)
    return _flag_since_first(
        "not_settled",
        "The morning after a session your knee hurt more than usual: the pain had not settled. "
        f"{EASE_OFF} {STOP_IF_WORSE}",
        hits,
        tz,
    )


def red_flag(checkins: Sequence[CheckInFact], today: date) -> Flag | None:
    """Any red flag on a check-in in the last 14 days: stop and see a clinician."""
    recent = [c for c in checkins if c.red_flags and today - c.day < timedelta(days=RECENT_DAYS)]
    if not recent:
        return None
    codes = sorted({code for c in recent for code in c.red_flags})
    what = "; ".join(RED_FLAGS.get(code, code) for code in codes)
    return Flag(
        "red_flag",
        f"You reported: {what}. Stop the exercises and see a clinician (your GP, a "
        "physiotherapist, or urgent care if it is severe) before going on.",
        min(c.day for c in recent),
    )


def safety_flags(
    *,
    weeks: Sequence[Week],
    sessions: Sequence[SessionFact],
    checkins: Sequence[CheckInFact],
    now: datetime,
    tz: ZoneInfo,
) -> list[Flag]:
    """Every flag that is up, the red flag first."""
    today = local_date(now, tz)
    sessions = [s for s in sessions if _recent(s.started_at, now)]  # both session rules look back
    found = [
        red_flag(checkins, today),
        pain_rising(weeks),
        pain_above_5(sessions, now, tz),
        not_settled(sessions, checkins, now, tz),
    ]
    return [f for f in found if f is not None]


@dataclass(frozen=True)
class SetGuidance:
    action: str  # "continue", "fewer_reps", "easier", "stop_today"
    message: str
    easier: str | None = None


def set_guidance(
    *,
    exercise_name: str,
    easier_slug: str | None,
    easier_name: str | None,
    felt_in_knee: bool,
    pain_during: int | None,
) -> SetGuidance:
    """The answer for one set, at once: the PWA runs the same rule offline.

    Pain above 5: stop this exercise today. Felt in the knee at 4-5 (or unrated): the easier
    variant, or fewer reps when there is none. Felt in the knee at 0-3: fewer, slower reps.
    """
    if pain_during is not None and pain_during > ACCEPTABLE_MAX:
        return SetGuidance(
            "stop_today",
            f"Pain above 5: stop {exercise_name} for today. If the knee has not settled within "
            f"about an hour, or is worse tomorrow morning, ease off next time. {STOP_IF_WORSE}",
        )
    if not felt_in_knee:
        if pain_during is not None and pain_during > SAFE_MAX:
            return SetGuidance(
                "continue",
                "Pain 4-5 is acceptable if it settles within about an hour. Keep the reps slow.",
            )
        return SetGuidance("continue", "Pain 0-3 is safe. Carry on with slow, controlled reps.")
    if pain_during is None or pain_during > SAFE_MAX:
        if easier_slug:
            return SetGuidance(
                "easier",
                f"Felt it in the knee: switch to {easier_name} for the rest of today.",
                easier_slug,
            )
        return SetGuidance(
            "fewer_reps",
            "Felt it in the knee: do about a third fewer reps, slower, and only as deep as is "
            "comfortable. Knees track over the 2nd–3rd toe, hips drive back, torso tall.",
        )
    return SetGuidance(
        "fewer_reps",
        "Felt it a little in the knee: fewer, slower reps and check your form. Knees track over "
        "the 2nd–3rd toe, hips drive back, torso tall.",
    )
