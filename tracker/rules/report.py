"""The weekly progress answer (``GET /api/v1/progress/weekly``), composed from plain values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from tracker.rules.progress import (
    CheckInFact,
    History,
    Milestone,
    SessionFact,
    Totals,
    Week,
    WeekPains,
    build_history,
    habit_score,
    helps,
    milestone,
    round1,
    streak_weeks,
    toward_zero1,
)
from tracker.rules.progression import ExerciseInfo, LoggedSession, PlannedDose, suggest
from tracker.rules.safety import RECENT_DAYS, Clearance, safety_flags, usual_pain
from tracker.rules.weeks import week_number

SUGGESTION_DAYS = 28  # suggestions look at the sessions of the last four weeks
RECENT = timedelta(days=RECENT_DAYS)


def _week_row(week: Week, number: int, pains: WeekPains | None) -> dict[str, Any]:
    means = (pains or WeekPains(0, 0)).function_means()
    return {
        "week_number": number,
        "week_start": week.week_start,
        "sessions": week.sessions,
        "target": week.target,
        "met": week.met,
        "pain_mean": round1(week.pain_mean),
        "pain_change_pct": round1(week.pain_change_pct),
        "checkins": week.checkins,
        "rest_week": week.rest_week,
        "complete": week.complete,
        "function": {question: round1(mean) for question, mean in means.items()},
    }


def _week_number(week: Week, history: History) -> int:
    """1 for the week of the first session or check-in, 2 for the next, ..."""
    return week_number(week.week_start, history.first_week or week.week_start)


def _milestone_row(m: Milestone | None) -> dict[str, Any] | None:
    if m is None:
        return None
    return {
        "week_start": m.week_start,
        "pain_mean": round1(m.pain_mean),
        "change_points": toward_zero1(m.change_points),  # as its message words it
        "pain_change_pct": round1(m.pain_change_pct),
        "meaningful": m.meaningful,
        "message": m.message,
    }


def _empty_week(history: History, weekly_target: int) -> Week:
    return Week(
        week_start=history.current_week,
        sessions=0,
        target=weekly_target,
        met=False,
        pain_mean=None,
        pain_change_pct=None,
        checkins=0,
        rest_week=False,
        complete=False,
    )


def progress_report(
    *,
    totals: Totals,
    recent_sessions: Sequence[SessionFact],
    recent_checkins: Sequence[CheckInFact],
    logged: Sequence[LoggedSession],
    library: dict[str, ExerciseInfo],
    tz_name: str,
    weekly_target: int,
    now: datetime,
    weeks: int,
    plan: dict[str, PlannedDose] | None = None,
    clearance: Clearance | None = None,
) -> dict[str, Any]:
    """Everything the progress screen shows, for the last ``weeks`` weeks up to the current one.

    ``totals``: the whole history summed per day and week (the weekly rows, baseline, streak,
    habit score and "does it help" count every week, however long the history).
    ``recent_sessions`` and ``recent_checkins``: those of the last weeks, for the safety flags
    (with the check-ins before them: the usual pain before a session) and every check-in that
    reported a red flag after ``clearance`` (the person's latest word that a clinician has seen
    the knee); ``logged``: the sessions with their sets that the suggestions read; ``plan``: the
    dose of each exercise in the routine the user is following (None without one), which the
    suggestions progress.
    """
    history = build_history(totals=totals, tz_name=tz_name, weekly_target=weekly_target, now=now)
    all_weeks = history.weeks or [_empty_week(history, weekly_target)]
    shown = [w for w in all_weeks if w.week_start <= history.current_week][-weeks:]
    flags = safety_flags(
        weeks=history.weeks,
        sessions=recent_sessions,
        checkins=recent_checkins,
        now=now,
        tz=history.tz,
        clearance=clearance,
    )
    held = any(f.code == "red_flag" for f in flags)  # no encouragement until a clinician saw it
    # the usual level the next morning is compared with: before the latest recent session
    recent_starts = [s.started_at for s in recent_sessions if s.started_at >= now - RECENT]
    latest = max(recent_starts, default=now)
    since = now - timedelta(days=SUGGESTION_DAYS)
    recent = [s for s in logged if s.started_at >= since]
    score = habit_score(
        session_days=totals.session_days,
        rest_days=totals.rest_days,
        weekly_target=weekly_target,
        first_day=totals.first_day,
        today=history.today,
    )
    return {
        "timezone": tz_name,
        "weekly_target": weekly_target,
        "baseline_pain": round1(history.baseline),
        "streak_weeks": streak_weeks(history.weeks),
        "habit_score": round1(score),
        "weeks": [
            _week_row(w, _week_number(w, history), totals.pain_weeks.get(w.week_start))
            for w in shown
        ],
        "milestones": {
            "week4": _milestone_row(milestone(history, 4, on_hold=held)),
            "week8": _milestone_row(milestone(history, 8, on_hold=held)),
        },
        "flags": [asdict(f) for f in flags],
        "suggestions": [
            asdict(s)
            for s in suggest(
                sessions=recent,
                library=library,
                flag_codes=[f.code for f in flags],
                plan=plan,
                counts_from=None if clearance is None else clearance.seen_at,
            )
        ],
        "helps": asdict(helps(history.weeks)),
        "usual_pain": round1(usual_pain(latest, recent_checkins, history.tz)),
        "clinician_seen": None
        if clearance is None
        else {"seen_at": clearance.seen_at, "date": clearance.day},
    }
