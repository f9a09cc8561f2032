"""Timestamps read from PostgreSQL with the compiled parser are the ones Django would give."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from hypothesis import given, settings
from hypothesis import strategies as st
from psycopg.pq import Format

from tests.factories import UserFactory
from tracker.dbtime import compiled_timestamptz_loader
from tracker.models import WorkoutSession

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

moments = st.datetimes(
    min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=st.timezones()
)


def loader_of(context: object) -> object:
    adapters = context.adapters  # type: ignore[attr-defined]
    return adapters.get_loader(adapters.types["timestamptz"].oid, Format.TEXT)


def test_connections_and_their_cursors_read_timestamptz_with_the_compiled_parser():
    with connection.cursor() as cursor:
        raw = cursor.cursor
        assert compiled_timestamptz_loader(raw.connection) is not None  # psycopg-binary is here
        assert loader_of(raw.connection).__name__ == "CompiledTzLoader"
        assert loader_of(raw).__name__ == "CompiledTzLoader"
        assert not issubclass(loader_of(raw), BaseTzLoader)


@settings(max_examples=300, deadline=None)
@given(moment=moments)
def test_a_timestamp_reads_back_as_the_same_instant_in_utc_as_djangos_loader_gives(moment):
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz, %s::timestamptz::text", [moment, moment])
        read, text = cursor.fetchone()
        django_loader = type("DjangoTz", (BaseTzLoader,), {"timezone": connection.timezone})
        expected = django_loader(0, cursor.cursor).load(text.encode())
    # as UTC: an aware time in a DST gap or fold never compares equal across zones (PEP 495)
    assert read == moment.astimezone(UTC)
    assert read.tzinfo is UTC and expected.tzinfo is UTC
    assert (read.replace(tzinfo=None), read.utcoffset()) == (
        expected.replace(tzinfo=None),
        expected.utcoffset(),
    )


def test_a_session_start_read_through_the_orm_keeps_its_microseconds_and_zone():
    user = UserFactory()
    started = datetime(2026, 3, 29, 0, 59, 59, 999_999, tzinfo=UTC) + timedelta(hours=1)
    WorkoutSession.objects.create(user=user, client_id="4c5f1e9e-1d5e-4d7a-9f53-0b1c2d3e4f50",
                                  started_at=started)  # fmt: skip
    read = WorkoutSession.objects.get(user=user).started_at
    assert read == started and read.tzinfo is UTC
