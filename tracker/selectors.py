"""Every read: each returns only what the given user may see, in a fixed number of queries."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
from django.db.models import (
    Aggregate,
    Count,
    JSONField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import JSONArray
from django.utils import timezone

from tracker.caching import cache_delete, cache_get, cache_set, user_part
from tracker.errors import NotFound
from tracker.models import (
    ApiToken,
    CheckIn,
    Exercise,
    Profile,
    PushSubscription,
    Reminder,
    ReportShare,
    Routine,
    RoutineItem,
    SessionSet,
    User,
    WorkoutSession,
)
from tracker.rules import vocabulary as vocab
from tracker.rules.progress import CheckInFact, SessionFact, summarize_older
from tracker.rules.progression import ExerciseInfo, LoggedSession, SetFact
from tracker.rules.reminders import weekdays_from_mask
from tracker.rules.report import SUGGESTION_DAYS, progress_report
from tracker.rules.weeks import week_start as week_monday
from tracker.tokens import token_digest


def token_user(raw: str) -> tuple[ApiToken, User] | None:
    """The token row and its user (with the profile) for a raw bearer token, or None; one
    query."""
    token = (
        ApiToken.objects.select_related("user__profile")
        .filter(digest=token_digest(raw), user__is_active=True)
        .first()
    )
    return (token, token.user) if token else None


def token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def profile_get(*, user: User) -> Profile:
    return Profile.objects.get(user=user)


def exercise_list() -> QuerySet[Exercise]:
    return Exercise.objects.all()


@dataclass(frozen=True)
class ExerciseFacts:
    """What validating a logged set needs to know of an exercise."""

    slug: str
    name: str
    unit: str
    per_side: bool
    category: str
    easier: str | None
    harder: str | None


LIBRARY_CACHE_KEY = "tracker:exercise-facts:v2"
LIBRARY_CACHE_SECONDS = 300


def exercise_facts() -> dict[str, ExerciseFacts]:
    """The library by slug, cached: it changes only by migration, ``load_library`` or the admin,
    and any save or delete of an exercise clears the cache (see ``apps.py``)."""
    facts = cache_get(LIBRARY_CACHE_KEY)
    if facts is None:
        facts = {
            row[0]: ExerciseFacts(*row)
            for row in Exercise.objects.values_list(
                "slug", "name", "unit", "per_side", "category", "easier_id", "harder_id"
            )
        }
        cache_set(LIBRARY_CACHE_KEY, facts, LIBRARY_CACHE_SECONDS)
    return facts


def exercise_facts_forget() -> None:
    cache_delete(LIBRARY_CACHE_KEY)


def _routines_visible_to(user: User) -> QuerySet[Routine]:
    items = RoutineItem.objects.order_by("position")
    return Routine.objects.filter(Q(user=user) | Q(starter=True)).prefetch_related(
        Prefetch("items", queryset=items)
    )


def routine_list(*, user: User) -> QuerySet[Routine]:
    return _routines_visible_to(user)


def routine_get(*, user: User, routine_id: int) -> Routine:
    routine = _routines_visible_to(user).filter(pk=routine_id).first()
    if routine is None:
        raise NotFound("No such routine.")
    return routine


def _sessions_of(user: User) -> QuerySet[WorkoutSession]:
    return WorkoutSession.objects.filter(user=user).prefetch_related(
        Prefetch("sets", queryset=SessionSet.objects.order_by("position"))
    )


def _bound(value: date | datetime, tz: ZoneInfo, *, end: bool) -> datetime:
    """A date means the whole local day in the user's zone; a datetime means itself."""
    if isinstance(value, datetime):
        return value
    day = value + timedelta(days=1) if end else value
    return datetime.combine(day, time.min, tzinfo=tz)


def session_list(
    *, user: User, start: date | datetime | None = None, end: date | datetime | None = None
) -> QuerySet[WorkoutSession]:
    """Newest first; ``start``/``end`` are inclusive local dates or exact instants. Each
    session brings its sets in the same query (``set_rows``; ``with_set_dicts`` makes them the
    API's)."""
    sessions = WorkoutSession.objects.filter(user=user)
    if start is not None:
        tz = ZoneInfo(user.profile.timezone)
        sessions = sessions.filter(started_at__gte=_bound(start, tz, end=False))
    if end is not None:
        if isinstance(end, datetime):
            sessions = sessions.filter(started_at__lte=end)
        else:
            tz = ZoneInfo(user.profile.timezone)
            sessions = sessions.filter(started_at__lt=_bound(end, tz, end=True))
    return sessions.annotate(set_rows=SET_ROWS).order_by("-started_at", "-id")


def session_page(
    *,
    user: User,
    start: date | datetime | None = None,
    end: date | datetime | None = None,
    limit: int,
    offset: int = 0,
) -> tuple[list[WorkoutSession], int]:
    """A page of ``session_list`` with every session's sets (``set_dicts``) and how many
    sessions there are, from one query: the count is a window over the same rows."""
    sessions = session_list(user=user, start=start, end=end)
    items = list(sessions.annotate(total_count=Window(Count("pk")))[offset : offset + limit])
    if items:
        count = items[0].total_count  # type: ignore[attr-defined]
    else:  # past the end (or nothing at all): the window had no row to ride on
        count = sessions.count() if offset else 0
    return with_set_dicts(items), count


def session_get(*, user: User, session_id: int) -> WorkoutSession:
    session = _sessions_of(user).filter(pk=session_id).first()
    if session is None:
        raise NotFound("No such session.")
    return session


def checkin_list(
    *, user: User, start: date | None = None, end: date | None = None
) -> QuerySet[CheckIn]:
    checkins = CheckIn.objects.filter(user=user)
    if start is not None:
        checkins = checkins.filter(date__gte=start)
    if end is not None:
        checkins = checkins.filter(date__lte=end)
    return checkins.order_by("-date")


def checkin_get(*, user: User, checkin_id: int) -> CheckIn:
    checkin = CheckIn.objects.filter(user=user, pk=checkin_id).first()
    if checkin is None:
        raise NotFound("No such check-in.")
    return checkin


# --- Progress -------------------------------------------------------------------------------
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
        for _, exercise, side, reps, seconds, load_kg, band, _ in _in_order(set_rows):
            seen = sessions_of[exercise]
            if sid not in seen:
                if len(seen) == 2:
                    continue
                seen.append(sid)
            picked[sid].append(
                SetFact(
                    exercise,
                    side,
                    reps,
                    seconds,
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


# --- Export ---------------------------------------------------------------------------------
EXPORT_FORMAT = "hip2knee-export"
EXPORT_VERSION = 1


SET_COLUMNS = ("exercise_id", "side", "reps", "seconds", "load_kg", "band", "felt_in_knee")


class JSONArrayAgg(Aggregate):
    """The group's values as one JSON array: ``jsonb_agg`` on PostgreSQL, ``json_group_array``
    on SQLite (Django 5.2 has no portable one)."""

    function = "JSONB_AGG"  # jsonb: Django reads it back as a JSONField, not psycopg
    output_field = JSONField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra)


def _set_rows() -> Subquery:
    """A session's sets as a JSON array of ``[position, *SET_COLUMNS]`` rows (null for none):
    a page of 20 sessions holds hundreds of sets, read with the page instead of after it."""
    return Subquery(
        SessionSet.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(rows=JSONArrayAgg(JSONArray("position", *SET_COLUMNS)))
        .values("rows"),
        output_field=JSONField(),
    )


SET_ROWS = _set_rows()  # built once: each query that uses it resolves its own copy


def with_set_dicts(sessions: list[WorkoutSession]) -> list[WorkoutSession]:
    """Turns each session's ``set_rows`` (``session_list``) into its sets as API dicts
    (``set_dicts``), in their order: plain rows cost a twentieth of model instances."""
    for session in sessions:
        session.set_dicts = [  # type: ignore[attr-defined]
            set_dict(exercise, side, reps, seconds, load_kg, band, bool(felt_in_knee))
            for _, exercise, side, reps, seconds, load_kg, band, felt_in_knee in _in_order(
                session.set_rows  # type: ignore[attr-defined]
            )
        ]
    return sessions


def _in_order(set_rows: list[list[Any]] | None) -> list[list[Any]]:
    """``_set_rows``' array in the sets' order (an aggregate keeps none of its own)."""
    return sorted(set_rows or (), key=lambda row: row[0])


def set_dict(
    exercise: str,
    side: str,
    reps: int | None,
    seconds: int | None,
    load_kg: Decimal | float | None,
    band: int | None,
    felt_in_knee: bool,
) -> dict[str, Any]:
    """A set as the API and the export give it, from its stored columns (SET_COLUMNS)."""
    return {
        "exercise": exercise,
        "side": side,
        "reps": reps,
        "seconds": seconds,
        "load_kg": None if load_kg is None else float(load_kg),
        "band": None if band is None else vocab.band_name(band),
        "felt_in_knee": felt_in_knee,
    }


def set_as_dict(s: SessionSet) -> dict[str, Any]:
    return set_dict(*(getattr(s, column) for column in SET_COLUMNS))


def export_data(*, user: User) -> dict[str, Any]:
    """Everything the user owns, in the shape ``import`` reads back."""
    profile = user.profile
    routines = Routine.objects.filter(user=user).prefetch_related(
        Prefetch("items", queryset=RoutineItem.objects.order_by("position"))
    )
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "account": {"email": user.email, "date_joined": user.date_joined.isoformat()},
        "profile": {
            "timezone": profile.timezone,
            "weekly_target": profile.weekly_target,
            "units": profile.units,
        },
        "routines": [
            {
                "id": r.id,
                "name": r.name,
                "items": [
                    {
                        "exercise": i.exercise_id,
                        "sets": i.sets,
                        "target": i.target,
                        "per_side": i.per_side,
                    }
                    for i in r.items.all()
                ],
            }
            for r in routines
        ],
        "sessions": [
            {
                "client_id": str(s.client_id),
                "started_at": s.started_at.isoformat(),
                "routine": s.routine_id,
                "pain_during": s.pain_during,
                "pain_next_morning": s.pain_next_morning,
                "notes": s.notes,
                "sets": [set_as_dict(x) for x in s.sets.all()],
            }
            for s in _sessions_of(user).order_by("started_at", "id")
        ],
        "checkins": [
            {
                "client_id": str(c.client_id),
                "date": c.date.isoformat(),
                "pain": c.pain,
                "stairs": c.stairs,
                "sitting": c.sitting,
                "squatting": c.squatting,
                "walking": c.walking,
                "rest_day": c.rest_day,
                "red_flags": c.red_flags,
            }
            for c in CheckIn.objects.filter(user=user).order_by("date")
        ],
        "reminders": [
            {
                "kind": r.kind,
                "weekdays": weekdays_from_mask(r.weekdays),
                "time": r.time.strftime("%H:%M"),
                "channel": r.channel,
                "enabled": r.enabled,
                "skip_if_done": r.skip_if_done,
            }
            for r in Reminder.objects.filter(user=user).order_by("id")
        ],
        "push_subscriptions": [
            {"endpoint": p.endpoint, "created_at": p.created_at.isoformat()}
            for p in PushSubscription.objects.filter(user=user).order_by("id")
        ],
    }


CSV_COLUMNS = [
    "record",
    "client_id",
    "date",
    "started_at",
    "routine",
    "set_number",
    "exercise",
    "side",
    "reps",
    "seconds",
    "load_kg",
    "band",
    "felt_in_knee",
    "pain_during",
    "pain_next_morning",
    "pain",
    "stairs",
    "sitting",
    "squatting",
    "walking",
    "rest_day",
    "red_flags",
    "notes",
]


def _cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text the user typed (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_csv(*, user: User) -> str:
    """One row per set (session columns repeated), per set-less session and per check-in."""
    data = export_data(user=user)
    tz = ZoneInfo(data["profile"]["timezone"])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for s in data["sessions"]:
        started = datetime.fromisoformat(s["started_at"])
        base = {
            "client_id": s["client_id"],
            "date": started.astimezone(tz).date().isoformat(),
            "started_at": s["started_at"],
            "routine": s["routine"],
            "pain_during": s["pain_during"],
            "pain_next_morning": s["pain_next_morning"],
            "notes": s["notes"],
        }
        if not s["sets"]:
            writer.writerow({k: _cell(v) for k, v in {"record": "session", **base}.items()})
        for n, x in enumerate(s["sets"], start=1):
            row = {"record": "set", **base, "set_number": n, **x}
            writer.writerow({k: _cell(v) for k, v in row.items()})
    for c in data["checkins"]:
        row = {**c, "record": "checkin", "red_flags": " ".join(c["red_flags"])}
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


# --- Reminders ------------------------------------------------------------------------------
def reminder_list(*, user: User) -> QuerySet[Reminder]:
    return Reminder.objects.filter(user=user)


def reminder_get(*, user: User, reminder_id: int) -> Reminder:
    reminder = Reminder.objects.filter(user=user, pk=reminder_id).first()
    if reminder is None:
        raise NotFound("No such reminder.")
    return reminder


def reminder_for_off_link(reminder_id: int) -> Reminder | None:
    return Reminder.objects.filter(pk=reminder_id).first()


ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def calendar_feed(*, token: str) -> bytes | None:
    """The user's reminder slots as an iCal feed, for a phone calendar to remind too."""
    profile = (
        Profile.objects.select_related("user")
        .filter(calendar_token_digest=token_digest(token))
        .first()
    )
    if profile is None or not token:
        return None
    tz = ZoneInfo(profile.timezone)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Hip2Knee//reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Hip2Knee reminders")
    today = timezone.now().astimezone(tz).date()
    for reminder in Reminder.objects.filter(user=profile.user, enabled=True, kind="session"):
        days = weekdays_from_mask(reminder.weekdays)
        first = next(
            today + timedelta(days=i)
            for i in range(7)
            if (today + timedelta(days=i)).weekday() in days
        )
        event = icalendar.Event()
        event.add("uid", f"reminder-{reminder.id}@hip2knee")
        event.add("summary", "Hip session (Hip2Knee)")
        event.add("description", "10 minutes of hip work. Skip it if your knee needs rest.")
        event.add("dtstart", datetime.combine(first, reminder.time, tzinfo=tz))
        event.add("duration", timedelta(minutes=15))
        event.add("dtstamp", timezone.now())
        event.add("rrule", {"freq": "weekly", "byday": [ICAL_DAYS[d] for d in days]})
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", "Time for your hips")
        alarm.add("trigger", timedelta(0))
        event.add_component(alarm)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


# --- Physiotherapist report -----------------------------------------------------------------
def exercise_loads(*, user: User) -> list[dict[str, Any]]:
    """Per exercise, from one query: how many sets, when first and last, the heaviest band and
    load used, and the most reps or seconds in a set."""
    names = {slug: f.name for slug, f in exercise_facts().items()}
    rows = (
        SessionSet.objects.filter(session__user=user)
        .values("exercise_id")
        .annotate(
            sets=Count("id"),
            first=Min("session__started_at"),
            last=Max("session__started_at"),
            top_band=Max("band"),
            top_load=Max("load_kg"),
            top_reps=Max("reps"),
            top_seconds=Max("seconds"),
        )
        .order_by("-last", "exercise_id")
    )
    return [
        {
            "exercise": row["exercise_id"],
            "name": names.get(row["exercise_id"], row["exercise_id"]),
            "sets": row["sets"],
            "first_done": row["first"],
            "last_done": row["last"],
            "top_band": None if row["top_band"] is None else vocab.band_name(row["top_band"]),
            "top_load_kg": None if row["top_load"] is None else float(row["top_load"]),
            "top_reps": row["top_reps"],
            "top_seconds": row["top_seconds"],
        }
        for row in rows
    ]


def report(*, user: User, weeks: int, now: datetime | None = None) -> dict[str, Any]:
    """The progress figures and the loads per exercise: what a physiotherapist reads."""
    now = now or timezone.now()
    return {
        "generated_at": now,
        "progress": weekly_progress(user=user, weeks=weeks, now=now),
        "loads": exercise_loads(user=user),
    }


def report_shares(*, user: User) -> QuerySet[ReportShare]:
    return ReportShare.objects.filter(user=user)


def report_share_owner(*, token: str, now: datetime | None = None) -> User | None:
    """The user whose report this link shows, while it is neither expired nor revoked."""
    now = now or timezone.now()
    share = (
        ReportShare.objects.select_related("user")
        .filter(
            digest=token_digest(token),
            expires_at__gt=now,
            revoked_at__isnull=True,
            user__is_active=True,
        )
        .first()
    )
    return share.user if share and token else None
