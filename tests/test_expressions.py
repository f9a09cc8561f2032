"""The database's local days and weeks are the rules' (``rules.weeks``), in any zone, across
daylight-saving changes, on PostgreSQL and on SQLite."""

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from tracker.models import CheckIn, WorkoutSession
from tracker.rules.weeks import local_date, week_start
from tracker.selectors.expressions import (
    day_of,
    local_day_sql,
    monday_of,
    utc_offsets,
    week_sql,
)

pytestmark = pytest.mark.django_db
ZONES = ["Europe/London", "America/New_York", "Pacific/Auckland", "Asia/Kolkata", "UTC"]


def test_offsets_follow_the_zone_to_the_minute():
    london = utc_offsets("Europe/London", 2026)
    assert (datetime(2026, 3, 29, 1, tzinfo=UTC), timedelta(hours=1)) in london
    assert (datetime(2026, 10, 25, 1, tzinfo=UTC), timedelta(0)) in london
    assert utc_offsets("UTC", 2026) == ((datetime(1999, 1, 1, tzinfo=UTC), timedelta(0)),)


@pytest.mark.parametrize("tz_name", ZONES)
def test_the_database_puts_each_instant_on_the_rules_local_day(user, tz_name):
    rng = random.Random(tz_name)
    tz = ZoneInfo(tz_name)
    # random instants, and the minutes either side of this zone's changes in 2001 and 2026
    edges = [
        since + timedelta(minutes=m)
        for since, _ in utc_offsets(tz_name, 2026)[1:]
        if since.year in (2001, 2026)
        for m in (-1, 0, 1)
    ]
    randoms = [
        datetime(2000, 1, 2, tzinfo=UTC) + timedelta(seconds=rng.randrange(27 * 365 * 86400))
        for _ in range(150)
    ]
    moments = [*edges, *randoms, datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)]
    WorkoutSession.objects.bulk_create(
        WorkoutSession(user=user, client_id=uuid.uuid4(), started_at=m) for m in moments
    )
    day, params = local_day_sql(connection.vendor, "started_at", tz_name)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, {day} FROM tracker_workoutsession WHERE user_id = %s",  # noqa: S608
            [*params, user.pk],
        )
        days = dict(cursor.fetchall())
    seen = {(row.started_at, day_of(days[row.pk])) for row in WorkoutSession.objects.all()}
    assert seen == {(m, local_date(m, tz)) for m in moments}


def test_the_database_finds_each_dates_monday(user):
    days = [date(2026, 3, 1) + timedelta(days=n) for n in range(15)] + [date(2000, 1, 1)]
    CheckIn.objects.bulk_create(
        CheckIn(user=user, client_id=uuid.uuid4(), date=day, pain=1) for day in days
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT date, {week_sql(connection.vendor, 'date')} FROM tracker_checkin "  # noqa: S608
            "WHERE user_id = %s",
            [user.pk],
        )
        seen = {(_date(day), monday_of(week)) for day, week in cursor.fetchall()}
    assert seen == {(d, week_start(d)) for d in days}


def _date(value):
    return value if isinstance(value, date) else date.fromisoformat(value)
