"""Weekly progress: the user's history summed by the database, and the last weeks in detail.

Four queries, whatever the length of the history:

1. sessions per local day (in the user's time zone);
2. check-ins per week: how many, their knee pain added up, and the dates the rules need one by
   one (the first of each week, the last before the recent weeks);
3. the check-ins the rules read one by one: every rest day, the first two (the baseline), those
   of the last ``RECENT_DAYS`` (safety flags) and the last one before them (the usual pain before
   a session), found by the dates of query 2;
4. the sessions of the last ``RECENT_DAYS``, each with its sets as one JSON array.

The rules get plain values (``rules.progress.Totals``) and know nothing of how they were read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone

from tracker.models import CheckIn, User, WorkoutSession
from tracker.rules import vocabulary as vocab
from tracker.rules.progress import CheckInFact, SessionFact, Totals, WeekPains
from tracker.rules.progression import ExerciseInfo, LoggedSession, SetFact
from tracker.rules.report import SUGGESTION_DAYS, progress_report
from tracker.rules.weeks import local_date
from tracker.selectors.expressions import Day, LocalDay, Week, day_of, monday_of
from tracker.selectors.library import exercise_facts
from tracker.selectors.sets import SET_ROWS, in_order

RECENT_DAYS = 29  # read one by one: suggestions look back 28 days, the safety rules 14


class CheckInRow(NamedTuple):
    """A check-in the rules read one by one (the names are the columns read)."""

    date: date
    pain: int
    rest_day: bool
    red_flags: list[str]
    created_at: datetime


class SessionRow(NamedTuple):
    """A recent session with its sets as ``SET_ROWS`` reads them."""

    id: int
    started_at: datetime
    pain_during: int | None
    pain_next_morning: int | None
    set_rows: list[list[Any]] | None


@dataclass(frozen=True)
class CheckInWeek:
    """A week's check-ins as the database sums them."""

    monday: date
    pains: WeekPains
    first: date  # its first check-in's date
    last_before_recent: date | None  # its last check-in dated before the recent days


def session_days(*, user: User, tz: ZoneInfo) -> dict[date, int]:
    """Sessions per local day, counted by the database."""
    rows = (
        WorkoutSession.objects.filter(user=user)
        .annotate(day=LocalDay("started_at", tz.key))
        .order_by()
        .values("day")
        .annotate(sessions=Count("id"))
        .values_list("day", "sessions")
    )
    return {day_of(number): sessions for number, sessions in rows}


def checkin_weeks(*, user: User, recent_from: date) -> list[CheckInWeek]:
    """Check-ins per week, oldest first, summed by the database."""
    rows = (
        CheckIn.objects.filter(user=user)
        .annotate(week=Week("date"))
        .order_by("week")
        .values("week")
        .annotate(
            count=Count("id"),
            total=Sum("pain"),
            first=Min(Day("date")),
            last_before=Max(Day("date"), filter=Q(date__lt=recent_from)),
        )
        .values_list("week", "count", "total", "first", "last_before", named=True)
    )
    return [
        CheckInWeek(
            monday_of(r.week),
            WeekPains(r.count, r.total),
            day_of(r.first),
            None if r.last_before is None else day_of(r.last_before),
        )
        for r in rows
    ]


def _dates_read_one_by_one(weeks: list[CheckInWeek]) -> Q:
    """The check-ins besides rest days and recent ones: the first two, and the last before the
    recent days."""
    wanted = Q(pk__in=[])
    if weeks:  # the first two: the first week's, and the next week's first when it had one
        first = weeks[0].monday
        wanted |= Q(date__gte=first, date__lt=first + timedelta(weeks=1))
        if weeks[0].pains.count < 2 and len(weeks) > 1:
            wanted |= Q(date=weeks[1].first)
    before = [w.last_before_recent for w in weeks if w.last_before_recent is not None]
    if before:
        wanted |= Q(date=before[-1])
    return wanted


def weekly_progress(*, user: User, weeks: int, now: datetime | None = None) -> dict[str, Any]:
    """The ``progress/weekly`` answer for the last ``weeks`` weeks (see the module's docstring)."""
    now = now or timezone.now()
    profile = user.profile
    tz = ZoneInfo(profile.timezone)
    recent_from = local_date(now, tz) - timedelta(days=RECENT_DAYS)
    summed = checkin_weeks(user=user, recent_from=recent_from)
    picked = [
        CheckInRow._make(row)
        for row in CheckIn.objects.filter(user=user)
        .filter(Q(rest_day=True) | Q(date__gte=recent_from) | _dates_read_one_by_one(summed))
        .order_by("date")
        .values_list(*CheckInRow._fields)
    ]
    recent_sessions = [
        SessionRow._make(row)
        for row in WorkoutSession.objects.filter(
            user=user, started_at__gte=datetime.combine(recent_from, time.min, tz)
        )
        .annotate(set_rows=SET_ROWS)
        .order_by("-started_at", "-id")
        .values_list(*SessionRow._fields)
    ]
    last_before = [c for c in picked if c.date < recent_from][-1:]
    totals = Totals(
        session_days=session_days(user=user, tz=tz),
        pain_weeks={w.monday: w.pains for w in summed},
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


def _suggestion_sets(sessions: list[SessionRow], now: datetime) -> dict[int, list[SetFact]]:
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
