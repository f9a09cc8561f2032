"""The weekly progress answer (``GET /api/v1/progress/weekly``), composed from plain facts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Any

from tracker.rules.progress import (
    CheckInFact,
    History,
    Milestone,
    Older,
    SessionFact,
    Week,
    build_history,
    habit_score,
    helps,
    milestone,
    round1,
    streak_weeks,
)
from tracker.rules.progression import ExerciseInfo, LoggedSession, suggest
from tracker.rules.safety import safety_flags
from tracker.rules.weeks import local_date

SUGGESTION_DAYS = 28  # suggestions look at the sessions of the last four weeks


def _week_row(week: Week) -> dict[str, Any]:
    return {
        "week_start": week.week_start,
        "sessions": week.sessions,
        "target": week.target,
        "met": week.met,
        "pain_mean": round1(week.pain_mean),
        "pain_change_pct": round1(week.pain_change_pct),
        "checkins": week.checkins,
        "rest_week": week.rest_week,
        "complete": week.complete,
    }


def _milestone_row(m: Milestone | None) -> dict[str, Any] | None:
    if m is None:
        return None
    return {
        "week_start": m.week_start,
        "pain_mean": round1(m.pain_mean),
        "change_points": round1(m.change_points),
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
    sessions: Sequence[SessionFact],
    checkins: Sequence[CheckInFact],
    recent_sessions: Sequence[LoggedSession],
    library: dict[str, ExerciseInfo],
    tz_name: str,
    weekly_target: int,
    now: datetime,
    weeks: int,
    unread: tuple[date, date] | None = None,
    older: Older | None = None,
) -> dict[str, Any]:
    """Everything the progress screen shows, for the last ``weeks`` weeks up to the current one.

    ``unread``: the Mondays ``[from, to)`` between the first weeks and the last year of a long
    history that the caller did not read (see ``build_history``); the habit score then starts
    at ``to``, which changes it by less than 0.001 (a year of decay at ``m`` ≈ 0.966 a day).
    ``older``: the facts before the given ones, summed (``summarize_older``); none of them is
    recent enough for a flag or a suggestion, except as the usual pain before a session.
    """
    history = build_history(
        sessions=sessions,
        checkins=checkins,
        tz_name=tz_name,
        weekly_target=weekly_target,
        now=now,
        unread=unread,
        older=older,
    )
    all_weeks = history.weeks or [_empty_week(history, weekly_target)]
    shown = [w for w in all_weeks if w.week_start <= history.current_week][-weeks:]
    usual = [older.last_checkin] if older is not None and older.last_checkin else []
    flags = safety_flags(
        weeks=history.weeks, sessions=sessions, checkins=[*usual, *checkins], now=now, tz=history.tz
    )
    since = now - timedelta(days=SUGGESTION_DAYS)
    recent = [s for s in recent_sessions if s.started_at >= since]
    session_days = [local_date(s.started_at, history.tz) for s in sessions]
    active_days: list[date] = session_days + [c.day for c in checkins]
    rest_days = [c.day for c in checkins if c.rest_day]
    if older is not None:
        session_days += Counter(older.session_days).elements()
        active_days += [older.first_day] if older.first_day else []
        rest_days += older.rest_days
    score = habit_score(
        session_days=session_days,
        rest_days=rest_days,
        weekly_target=weekly_target,
        first_day=unread[1] if unread else min(active_days) if active_days else None,
        today=history.today,
    )
    return {
        "timezone": tz_name,
        "weekly_target": weekly_target,
        "baseline_pain": round1(history.baseline),
        "streak_weeks": streak_weeks(history.weeks),
        "habit_score": round1(score),
        "weeks": [_week_row(w) for w in shown],
        "milestones": {
            "week4": _milestone_row(milestone(history, 4)),
            "week8": _milestone_row(milestone(history, 8)),
        },
        "flags": [asdict(f) for f in flags],
        "suggestions": [
            asdict(s)
            for s in suggest(sessions=recent, library=library, flag_codes=[f.code for f in flags])
        ],
        "helps": asdict(helps(history.weeks)),
    }
