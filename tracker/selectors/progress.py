"""Weekly progress: the user's history summed by the database, and the last weeks in detail.

Four queries, whatever the length of the history:

1. sessions per local day (in the user's time zone);
2. check-ins per week: how many, and their knee pain added up;
3. the check-ins the rules read one by one: every rest day, the two earliest (the baseline),
   those of the last ``RECENT_DAYS`` (safety flags) and the last one before them (the usual pain
   before a session);
4. the sessions of the last ``RECENT_DAYS``, each with its sets as one JSON array.

The rules get plain values (``rules.progress.Totals``) and know nothing of how they were read.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone

from tracker.models import CheckIn, User, WorkoutSession
from tracker.rules import vocabulary as vocab
from tracker.rules.progress import CheckInFact, SessionFact, Totals, WeekPains
from tracker.rules.progression import ExerciseInfo, LoggedSession, SetFact
from tracker.rules.report import SUGGESTION_DAYS, progress_report
from tracker.rules.weeks import local_date
from tracker.selectors.library import exercise_facts
from tracker.selectors.sets import SET_ROWS, in_order

RECENT_DAYS = 29  # read one by one: suggestions look back 28 days, the safety rules 14


def history_totals(*, user: User, tz: ZoneInfo) -> tuple[dict[date, int], dict[date, WeekPains]]:
    """Sessions per local day and check-ins per week, summed by the database."""
    session_days = dict(
        WorkoutSession.objects.filter(user=user)
        .annotate(day=TruncDate("started_at", tzinfo=tz))
        .order_by()
        .values("day")
        .annotate(sessions=Count("id"))
        .values_list("day", "sessions")
    )
    pain_weeks = {
        row.week: WeekPains(row.count, row.total)
        for row in CheckIn.objects.filter(user=user)
        .annotate(week=TruncWeek("date"))
        .order_by()
        .values("week")
        .annotate(count=Count("id"), total=Sum("pain"))
        .values_list("week", "count", "total", named=True)
    }
    return session_days, pain_weeks


def weekly_progress(*, user: User, weeks: int, now: datetime | None = None) -> dict[str, Any]:
    """The ``progress/weekly`` answer for the last ``weeks`` weeks (see the module's docstring)."""
    now = now or timezone.now()
    profile = user.profile
    tz = ZoneInfo(profile.timezone)
    recent_from = local_date(now, tz) - timedelta(days=RECENT_DAYS)
    session_days, pain_weeks = history_totals(user=user, tz=tz)
    mine = CheckIn.objects.filter(user=user)
    picked = list(
        mine.filter(
            Q(rest_day=True)
            | Q(date__gte=recent_from)
            | Q(pk__in=mine.order_by("date").values("pk")[:2])
            | Q(pk__in=mine.filter(date__lt=recent_from).order_by("-date").values("pk")[:1])
        )
        .order_by("date")
        .values_list("date", "pain", "rest_day", "red_flags", "created_at", named=True)
    )
    recent_sessions = list(
        WorkoutSession.objects.filter(
            user=user, started_at__gte=datetime.combine(recent_from, time.min, tz)
        )
        .annotate(set_rows=SET_ROWS)
        .order_by("-started_at", "-id")
        .values_list("id", "started_at", "pain_during", "pain_next_morning", "set_rows", named=True)
    )
    last_before = [c for c in picked if c.date < recent_from][-1:]
    totals = Totals(
        session_days=session_days,
        pain_weeks=pain_weeks,
        rest_days=frozenset(c.date for c in picked if c.rest_day),
        first_checkins=tuple((c.date, c.pain) for c in picked[:2]),
    )
    library = {
        slug: ExerciseInfo(f.slug, f.name, f.category, f.unit, f.easier, f.harder)
        for slug, f in exercise_facts().items()
    }
    sets_by_session = _suggestion_sets(recent_sessions, now)
    return progress_report(
        totals=totals,
        recent_sessions=[
            SessionFact(s.started_at, s.pain_during, s.pain_next_morning) for s in recent_sessions
        ],
        recent_checkins=[
            CheckInFact(c.date, c.pain, c.rest_day, tuple(c.red_flags or ()), c.created_at)
            for c in [*last_before, *(c for c in picked if c.date >= recent_from)]
        ],
        logged=[
            LoggedSession(s.started_at, s.pain_during, tuple(sets_by_session[s.id]))
            for s in recent_sessions
            if s.id in sets_by_session
        ],
        library=library,
        tz_name=profile.timezone,
        weekly_target=profile.weekly_target,
        now=now,
        weeks=weeks,
    )


def _suggestion_sets(sessions: list[Any], now: datetime) -> dict[int, list[SetFact]]:
    """The sets suggestions need, per session id, from the recent sessions (newest first): for
    each exercise done in the last four weeks, its sets in the two newest sessions that have it."""
    since = now - timedelta(days=SUGGESTION_DAYS)
    sessions_of: dict[str, list[int]] = defaultdict(list)
    picked: dict[int, list[SetFact]] = defaultdict(list)
    for session in sessions:
        if session.started_at < since:
            continue
        for row in in_order(session.set_rows):
            exercise, band, load_kg = row["exercise"], row["band"], row["load_kg"]
            seen = sessions_of[exercise]
            if session.id not in seen:
                if len(seen) == 2:
                    continue
                seen.append(session.id)
            picked[session.id].append(
                SetFact(
                    exercise,
                    row["side"],
                    row["reps"],
                    row["seconds"],
                    None if band is None else vocab.band_name(band),
                    None if load_kg is None else float(load_kg),
                )
            )
    return picked
