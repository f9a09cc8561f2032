"""The history as lists of facts, summed in Python the way the progress selector has the
database sum it: the rules' tests write histories as facts, and the selector's sums are checked
against these (tests/api/test_progress_totals.py)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from tracker.rules.progress import (
    CheckInFact,
    History,
    SessionFact,
    Totals,
    WeekPains,
    build_history,
)
from tracker.rules.progression import ExerciseInfo, LoggedSession, PlannedDose
from tracker.rules.report import progress_report
from tracker.rules.weeks import local_date, week_start


def totals_of(
    sessions: Sequence[SessionFact], checkins: Sequence[CheckInFact], tz_name: str
) -> Totals:
    tz = ZoneInfo(tz_name)
    pains: dict[date, list[int]] = defaultdict(list)
    for c in checkins:
        pains[week_start(c.day)].append(c.pain)
    return Totals(
        session_days=dict(Counter(local_date(s.started_at, tz) for s in sessions)),
        pain_weeks={monday: WeekPains(len(p), sum(p)) for monday, p in pains.items()},
        rest_days=frozenset(c.day for c in checkins if c.rest_day),
        first_checkins=tuple((c.day, c.pain) for c in sorted(checkins, key=lambda c: c.day)[:2]),
    )


def history_of(
    *,
    sessions: Sequence[SessionFact],
    checkins: Sequence[CheckInFact],
    tz_name: str,
    weekly_target: int,
    now: datetime,
) -> History:
    return build_history(
        totals=totals_of(sessions, checkins, tz_name),
        tz_name=tz_name,
        weekly_target=weekly_target,
        now=now,
    )


def report_of(
    *,
    sessions: Sequence[SessionFact],
    checkins: Sequence[CheckInFact],
    logged: Sequence[LoggedSession] = (),
    library: dict[str, ExerciseInfo] | None = None,
    plan: dict[str, PlannedDose] | None = None,
    tz_name: str,
    weekly_target: int,
    now: datetime,
    weeks: int,
) -> dict[str, Any]:
    """The progress answer from every fact, each read whole."""
    return progress_report(
        totals=totals_of(sessions, checkins, tz_name),
        recent_sessions=sessions,
        recent_checkins=checkins,
        logged=logged,
        library=library or {},
        plan=plan,
        tz_name=tz_name,
        weekly_target=weekly_target,
        now=now,
        weeks=weeks,
    )
