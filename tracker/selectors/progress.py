"""Weekly progress: the facts the rules need, read in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import (
    OuterRef,
    Subquery,
)
from django.utils import timezone

from tracker.caching import cache_get, cache_set, user_part
from tracker.models import (
    CheckIn,
    Profile,
    User,
    WorkoutSession,
)
from tracker.rules import vocabulary as vocab
from tracker.rules.progress import CheckInFact, SessionFact, summarize_older
from tracker.rules.progression import ExerciseInfo, LoggedSession, SetFact
from tracker.rules.report import SUGGESTION_DAYS, progress_report
from tracker.rules.weeks import week_start as week_monday
from tracker.selectors.library import exercise_facts
from tracker.selectors.sets import SET_ROWS, in_order

LIVE_DAYS = 29  # read fresh: suggestions look back 28 days, the safety rules 14

HISTORY_CACHE_SECONDS = 24 * 3600  # the boundary moves daily; the TTL bounds an admin's edit


def history_boundary(tz: ZoneInfo, now: datetime) -> date:
    """The first local date progress reads fresh; what is older comes from the history cache."""
    return now.astimezone(tz).date() - timedelta(days=LIVE_DAYS)


def weekly_progress(*, user: User, weeks: int, now: datetime | None = None) -> dict[str, Any]:
    """The progress answer, in about the same time however long the history.

    The last ``LIVE_DAYS`` are read on every call, in two queries: their sessions, each with
    its sets as a JSON array (the suggestions keep, for each exercise of the last four weeks,
    its sets in its two newest sessions), and their check-ins. What is older is kept
    in the cache, summed per day and week (``rules.progress.Older``), until a change dated
    before the boundary raises the profile's ``history_version`` (``services.history_touched``).
    On a miss, one query finds the first day of activity, then the older sessions and all
    check-ins of the first eight weeks (baseline, milestones) and of the last year (or of the
    weeks asked for) are read, the check-ins split at the boundary. The rules get plain values.
    """
    now = now or timezone.now()
    profile = user.profile
    tz = ZoneInfo(profile.timezone)
    boundary = history_boundary(tz, now)
    live_from = datetime.combine(boundary, time.min, tz)
    sessions = WorkoutSession.objects.filter(user=user).order_by()  # the rules need no order
    checkins = CheckIn.objects.filter(user=user).order_by()
    key = (
        f"tracker:history:v1:{user_part(user)}:"
        f"{profile.history_version}:{profile.timezone}:{boundary}:{max(weeks, LAST_WEEKS_READ)}"
    )
    cached = cache_get(key)
    older_rows: list[tuple[Any, ...]] = []
    if cached is not None:
        unread, older = cached
        checkins = checkins.filter(date__gte=boundary)
    else:
        first_session, first_checkin = (
            Profile.objects.filter(pk=profile.pk)
            .annotate(
                first_session=Subquery(
                    WorkoutSession.objects.filter(user=OuterRef("user"))
                    .order_by("started_at")
                    .values("started_at")[:1]
                ),
                first_checkin=Subquery(
                    CheckIn.objects.filter(user=OuterRef("user"))
                    .order_by("date")
                    .values("date")[:1]
                ),
            )
            .values_list("first_session", "first_checkin")
            .get()
        )
        unread = _unread_weeks(first_session, first_checkin, tz, now, weeks)
        older_sessions = sessions.filter(started_at__lt=live_from)
        if unread is not None:
            gap_from = datetime.combine(unread[0], time.min, tz)
            gap_to = datetime.combine(unread[1], time.min, tz)
            older_sessions = older_sessions.exclude(started_at__gte=gap_from, started_at__lt=gap_to)
            checkins = checkins.exclude(date__gte=unread[0], date__lt=unread[1])
        older_rows = list(
            older_sessions.values_list("started_at", "pain_during", "pain_next_morning")
        )
    # The live sessions, each with its sets as one JSON array (``_set_rows``): one query
    live = list(
        sessions.filter(started_at__gte=live_from)
        .annotate(set_rows=SET_ROWS)
        .order_by("-started_at", "-id")
        .values_list("id", "started_at", "pain_during", "pain_next_morning", "set_rows")
    )
    checkin_rows = list(checkins.values_list("date", "pain", "rest_day", "red_flags", "created_at"))
    if cached is None:
        older = summarize_older(
            [SessionFact(*row) for row in older_rows],
            [CheckInFact(*row[:3]) for row in checkin_rows if row[0] < boundary],
            profile.timezone,
        )
        checkin_rows = [row for row in checkin_rows if row[0] >= boundary]
        cache_set(key, (unread, older), HISTORY_CACHE_SECONDS)
    sets_by_session = _suggestion_sets(live, now)
    library = {
        slug: ExerciseInfo(f.slug, f.name, f.category, f.unit, f.easier, f.harder)
        for slug, f in exercise_facts().items()
    }
    return progress_report(
        sessions=[SessionFact(at, during, morning) for _, at, during, morning, _ in live],
        checkins=[
            CheckInFact(day, pain, rest_day, tuple(flags or ()), recorded_at)
            for day, pain, rest_day, flags, recorded_at in checkin_rows
        ],
        recent_sessions=[
            LoggedSession(at, during, tuple(sets_by_session[sid]))
            for sid, at, during, _, _ in live
            if sid in sets_by_session
        ],
        library=library,
        tz_name=profile.timezone,
        weekly_target=profile.weekly_target,
        now=now,
        weeks=weeks,
        unread=unread,
        older=older,
    )


def _suggestion_sets(live: list[tuple[Any, ...]], now: datetime) -> dict[int, list[SetFact]]:
    """The sets suggestions need, per session id, from the live sessions (newest first, each
    ``(id, started_at, ..., set_rows)``): for each exercise done in the last four weeks, its
    sets in the two newest sessions that have it."""
    since = now - timedelta(days=SUGGESTION_DAYS)
    sessions_of: dict[str, list[int]] = defaultdict(list)
    picked: dict[int, list[SetFact]] = defaultdict(list)
    for sid, started_at, *_, set_rows in live:
        if started_at < since:
            continue
        for row in in_order(set_rows):
            exercise, band, load_kg = row["exercise"], row["band"], row["load_kg"]
            seen = sessions_of[exercise]
            if sid not in seen:
                if len(seen) == 2:
                    continue
                seen.append(sid)
            picked[sid].append(
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


FIRST_WEEKS_READ = 8  # weeks 1-8: the baseline and the week-4 and week-8 milestones

LAST_WEEKS_READ = 53  # a year and the current week: streak, habit score, flags, "does it help"


def _unread_weeks(
    first_session: datetime | None,
    first_checkin: date | None,
    tz: ZoneInfo,
    now: datetime,
    weeks: int,
) -> tuple[date, date] | None:
    """The Mondays ``[from, to)`` a long history leaves unread, or None when all is read."""
    firsts = [
        d
        for d in (first_session.astimezone(tz).date() if first_session else None, first_checkin)
        if d is not None
    ]
    if not firsts:
        return None
    first_monday = week_monday(min(firsts))
    this_monday = week_monday(now.astimezone(tz).date())
    read_from = this_monday - timedelta(weeks=max(LAST_WEEKS_READ, weeks) - 1)
    early_to = first_monday + timedelta(weeks=FIRST_WEEKS_READ)
    return (early_to, read_from) if early_to < read_from else None
