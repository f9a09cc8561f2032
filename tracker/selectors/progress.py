"""Weekly progress: the user's whole history, summed by the database, in one statement.

One query, whatever the length of the history, returns five JSON arrays:

1. sessions per local day (in the user's time zone);
2. check-ins per week: how many, and their knee pain added up (and each function question's);
3. the check-ins the rules read one by one: every rest day, the first two (the baseline), those
   of the last ``RECENT_DAYS`` (safety flags) and the last one before them (the usual pain before
   a session), and every one with a red flag from the day of the latest confirmation that a
   clinician has seen the knee (a red flag stays up until then);
4. the sessions of the last ``RECENT_DAYS``, each with its sets;
5. the exercise library (names and variants, for the suggestions).

The suggestions also read the dose of the routine the user follows (``selectors.routines``, two
small queries of its own).

It is written in SQL, not with the ORM: five queries through the ORM cost more than the rest of
the answer together, and the ORM cannot aggregate the rows it has grouped. The local day and the
week are ``expressions``' SQL (held to ``rules.weeks`` by tests/test_expressions.py). The rules
get plain values (``rules.progress.Totals``) and know nothing of how they were read.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import timezone

from tracker.models import User
from tracker.rules import vocabulary as vocab
from tracker.rules.progress import (
    FUNCTION_QUESTIONS,
    CheckInFact,
    SessionFact,
    Totals,
    WeekPains,
)
from tracker.rules.progression import ExerciseInfo, LoggedSession, SetFact
from tracker.rules.report import SUGGESTION_DAYS, progress_report
from tracker.rules.safety import Clearance
from tracker.rules.weeks import local_date
from tracker.selectors.expressions import SQL, day_of, day_sql, local_day_sql, monday_of, week_sql
from tracker.selectors.routines import routine_plan
from tracker.selectors.sets import SET_COLUMNS, in_order

RECENT_DAYS = 29  # read one by one: suggestions look back 28 days, the safety rules 14

# The JSON functions of each database: (aggregate into an array, build an array, read JSON)
_JSON = {
    "postgresql": ("jsonb_agg", "jsonb_build_array", "{}"),
    "sqlite": ("json_group_array", "json_array", "json({})"),
}


class CheckInRow(NamedTuple):
    """A check-in the rules read one by one."""

    date: date
    pain: int
    rest_day: bool
    red_flags: list[str]
    created_at: datetime
    updated_at: datetime
    red_flags_at: datetime | None


class SessionRow(NamedTuple):
    """A recent session with its sets (as ``SET_COLUMNS`` orders them)."""

    id: int
    started_at: datetime
    pain_during: int | None
    pain_next_morning: int | None
    set_rows: list[list[Any]] | None


class HistoryRows(NamedTuple):
    """What the one statement reads, as the rules and suggestions take it."""

    totals: Totals
    checkins: list[CheckInRow]  # oldest first
    sessions: list[SessionRow]  # newest first
    library: dict[str, ExerciseInfo]


def history_statement(vendor: str, tz_name: str) -> SQL:
    """The one statement (see the module's docstring) and the parameters of its local day (the
    zone's offsets); ``history_read`` adds the user's id, the first recent day and its first
    instant where the statement names them."""
    agg, array, embed = _JSON[vendor]
    local_day, zone_params = local_day_sql(vendor, "started_at", tz_name)
    day, week = day_sql(vendor, "date"), week_sql(vendor, "date")
    sets = ", ".join(SET_COLUMNS.values())
    set_rows = embed.format(
        f"(SELECT {agg}({array}({sets})) FROM tracker_sessionset WHERE session_id = s.id)"  # noqa: S608
    )
    red_flags = embed.format("red_flags")
    function = ", ".join(f"COUNT({q}) AS {q}_n, SUM({q}) AS {q}_t" for q in FUNCTION_QUESTIONS)
    function_cols = ", ".join(f"{q}_n, {q}_t" for q in FUNCTION_QUESTIONS)
    # Every piece put in is this module's own SQL; every value is a parameter.
    sql = f"""
    SELECT
      (SELECT {agg}({array}(day, n)) FROM (
         SELECT {local_day} AS day, COUNT(*) AS n FROM tracker_workoutsession
         WHERE user_id = %s GROUP BY 1) AS days),
      (SELECT {agg}({array}(week, n, total, {function_cols})) FROM (
         SELECT {week} AS week, COUNT(*) AS n, SUM(pain) AS total, {function}
         FROM tracker_checkin WHERE user_id = %s GROUP BY 1) AS weeks),
      (SELECT {agg}({array}(
           {day}, pain, rest_day, {red_flags}, created_at, updated_at, red_flags_at))
         FROM tracker_checkin WHERE user_id = %s AND (rest_day OR date >= %s
           OR (red_flags <> '[]' AND date >= %s)
           OR id IN (SELECT id FROM tracker_checkin WHERE user_id = %s ORDER BY date LIMIT 2)
           OR id IN (SELECT id FROM tracker_checkin WHERE user_id = %s AND date < %s
                     ORDER BY date DESC LIMIT 1))),
      (SELECT {agg}({array}(id, started_at, pain_during, pain_next_morning, {set_rows}))
         FROM tracker_workoutsession AS s WHERE user_id = %s AND started_at >= %s),
      (SELECT {agg}({array}(slug, name, category, unit, easier_id, harder_id))
         FROM tracker_exercise)
    """  # noqa: S608
    return sql, zone_params


def history_read(
    *, user: User, tz: ZoneInfo, recent_from: date, red_flags_from: date = vocab.EARLIEST_DATE
) -> HistoryRows:
    """The history, in one round trip (see the module's docstring); the check-ins with a red
    flag from ``red_flags_from`` on."""
    sql, zone_params = history_statement(connection.vendor, tz.key)
    # as UTC without an offset: SQLite compares the stored UTC text, PostgreSQL reads it as UTC
    recent_start = datetime.combine(recent_from, time.min, tz).astimezone(UTC).replace(tzinfo=None)
    params = [
        *zone_params,
        user.pk,  # sessions per day
        user.pk,  # check-ins per week
        user.pk, recent_from, red_flags_from, user.pk, user.pk, recent_from,  # one by one
        user.pk, recent_start,  # recent sessions
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        days, weeks, picked, recent, exercises = (_json(value) for value in cursor.fetchone())
    checkins = sorted(
        (
            CheckInRow(
                day_of(d),
                pain,
                bool(rest),
                flags or [],
                _instant(at),
                _instant(changed),
                None if flagged is None else _instant(flagged),
            )
            for d, pain, rest, flags, at, changed, flagged in picked
        ),
        key=lambda c: c.date,
    )
    sessions = sorted(
        (
            SessionRow(sid, _instant(at), during, morning, set_rows)
            for sid, at, during, morning, set_rows in recent
        ),
        key=lambda s: (s.started_at, s.id),
        reverse=True,
    )
    totals = Totals(
        session_days={day_of(d): n for d, n in days},
        pain_weeks={monday_of(w): _week_pains(n, total, rest) for w, n, total, *rest in weeks},
        rest_days=frozenset(c.date for c in checkins if c.rest_day),
        first_checkins=tuple((c.date, c.pain) for c in checkins[:2]),
    )
    library = {
        slug: ExerciseInfo(slug, name, category, unit, easier, harder)
        for slug, name, category, unit, easier, harder in exercises
    }
    return HistoryRows(totals, checkins, sessions, library)


def _week_pains(count: int, total: int, function: list[int | None]) -> WeekPains:
    """A week's row: its check-ins and pain, then (answered, total) per function question."""
    pairs = zip(function[0::2], function[1::2], strict=True)
    answers = {q: (n, t or 0) for q, (n, t) in zip(FUNCTION_QUESTIONS, pairs, strict=True) if n}
    return WeekPains(count, total, answers)


def _json(value: str | list[Any] | None) -> list[Any]:
    """An aggregate as Python: PostgreSQL's jsonb comes as text, none at all as NULL."""
    if value is None:
        return []
    return json.loads(value) if isinstance(value, str) else value


def _instant(text: str) -> datetime:
    """An instant as the database wrote it in JSON (SQLite keeps UTC without an offset)."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def weekly_progress(*, user: User, weeks: int, now: datetime | None = None) -> dict[str, Any]:
    """The ``progress/weekly`` answer for the last ``weeks`` weeks (see the module's docstring)."""
    now = now or timezone.now()
    profile = user.profile
    tz = ZoneInfo(profile.timezone)
    recent_from = local_date(now, tz) - timedelta(days=RECENT_DAYS)
    clearance = (
        None
        if profile.clinician_seen_at is None or profile.clinician_seen_on is None
        else Clearance(profile.clinician_seen_at, profile.clinician_seen_on)
    )
    history = history_read(
        user=user,
        tz=tz,
        recent_from=recent_from,
        red_flags_from=vocab.EARLIEST_DATE if clearance is None else clearance.day,
    )
    last_before = [c for c in history.checkins if c.date < recent_from][-1:]
    sets_by_session = _suggestion_sets(history.sessions, now)
    return progress_report(
        totals=history.totals,
        recent_sessions=[
            SessionFact(s.started_at, s.pain_during, s.pain_next_morning) for s in history.sessions
        ],
        recent_checkins=[
            CheckInFact(
                c.date,
                c.pain,
                c.rest_day,
                tuple(c.red_flags),
                c.created_at,
                c.updated_at,
                c.red_flags_at,
            )
            for c in history.checkins
            if c.date >= recent_from or c.red_flags or c in last_before
        ],
        logged=[
            LoggedSession(s.started_at, s.pain_during, tuple(sets_by_session[s.id]))
            for s in history.sessions
            if s.id in sets_by_session
        ],
        library=history.library,
        plan=routine_plan(user=user),
        tz_name=profile.timezone,
        weekly_target=profile.weekly_target,
        now=now,
        weeks=weeks,
        clearance=clearance,
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
