"""One way to keep answers fresh: the database counts every change to what a kept answer shows.

The kept answers (progress, the sessions list) are keyed on ``DataVersion``, which only the
database's triggers write. These tests fail when a kept answer starts to read a table no trigger
watches, or when a user can exist without the row the triggers raise.
"""

import re
from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import checkin_body, session_body
from tracker.api import answers
from tracker.models import DataVersion, User

pytestmark = pytest.mark.django_db

# Read by a kept answer but part of its key, or only to say who is asking.
IN_THE_KEY = {
    "tracker_user",
    "tracker_profile",
    "tracker_dataversion",
    "tracker_apitoken",
    "tracker_browsersession",  # the signed-in browser's session
}
# The exercise library changes only with a new release (``load_library``), and progress, which
# names exercises in its suggestions, is kept at most ``answers.PROGRESS_SECONDS`` anyway.
WITHIN_A_MINUTE = {"progress/weekly": {"tracker_exercise"}}


def watched_tables() -> set[str]:
    """The tables with a trigger that raises a user's data versions."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT event_object_table FROM information_schema.triggers "
                "WHERE trigger_name LIKE %s",
                ["%\\_counts"],
            )
        else:
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' "
                "AND sql LIKE '%tracker_dataversion%' AND name LIKE '%counts'"
            )
        return {row[0] for row in cursor.fetchall()}


def tables_read(api, path, **query):
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(path, **query).status_code == 200
    return {t for q in ctx.captured_queries for t in re.findall(r"\btracker_\w+", q["sql"])}


def test_every_table_a_kept_answer_reads_is_watched_by_a_trigger(alice):
    assert answers.PROGRESS_SECONDS <= 60
    api, _ = alice
    api.post("sessions", session_body())
    api.post("checkins", checkin_body())
    watched = watched_tables()
    assert {"tracker_workoutsession", "tracker_sessionset", "tracker_checkin"} <= watched
    for path in ("progress/weekly", "sessions"):
        unwatched = tables_read(api, path) - watched - IN_THE_KEY - WITHIN_A_MINUTE.get(path, set())
        assert not unwatched, f"{path} reads {unwatched}, which no trigger watches"


def test_a_user_made_any_way_has_the_row_the_triggers_raise():
    made = User.objects.create(email="plain@example.com")  # not through create_user
    assert DataVersion.objects.filter(user=made, sessions=0, checkins=0).exists()


def test_a_write_in_plain_sql_raises_the_count(alice):
    api, user = alice
    session_id = api.post("sessions", session_body()).json()["id"]
    before = DataVersion.objects.get(user=user).sessions
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tracker_workoutsession SET started_at = %s WHERE id = %s",
            [datetime(2026, 1, 5, 18, tzinfo=UTC), session_id],
        )
    assert DataVersion.objects.get(user=user).sessions > before


def test_a_row_given_to_another_user_raises_both_counts(alice, bob):
    api, user = alice
    _, other = bob
    checkin_id = api.post("checkins", checkin_body()).json()["id"]
    mine, theirs = (DataVersion.objects.get(user=u).checkins for u in (user, other))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tracker_checkin SET user_id = %s WHERE id = %s", [other.pk, checkin_id]
        )
    assert DataVersion.objects.get(user=user).checkins > mine
    assert DataVersion.objects.get(user=other).checkins > theirs
