"""Progress and the sessions list are kept as sent while nothing they show changes
(tracker/api/answers.py): a repeat read costs only the sign-in query, and no change, however it is
made, is ever answered with what was kept before it."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tests.conftest import Api, checkin_body, session_body
from tracker.models import CheckIn, DataVersion, SessionSet, WorkoutSession
from tracker.services import tokens

pytestmark = pytest.mark.django_db
READS = (("progress/weekly", {"weeks": 12}), ("sessions", {"limit": 20}))


def token_api(user):
    return Api(token=tokens.token_create(user=user, name="test")[1])


def read(api, path, query):
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path, **query)
    assert response.status_code == 200, response.content
    return response.json(), len(ctx)


def versions(user):
    return DataVersion.objects.values_list("sessions", "checkins").get(user=user)


def test_a_repeat_read_costs_only_the_sign_in_query_and_gives_the_same_answer(alice):
    api, user = alice
    for _ in range(3):
        assert api.post("sessions", session_body()).status_code == 201
    assert api.post("checkins", checkin_body()).status_code == 201
    scripts = token_api(user)
    for path, query in READS:
        first, cold_queries = read(scripts, path, query)
        again, warm_queries = read(scripts, path, query)
        assert again == first
        assert warm_queries == 1 < cold_queries, (path, warm_queries, cold_queries)


@pytest.mark.parametrize("path,query", READS)
def test_every_change_through_the_api_shows_at_once(alice, path, query):
    api, _ = alice
    now = datetime.now(UTC)
    ids = [api.post("sessions", session_body()).json()["id"] for _ in range(3)]
    checkin = api.post("checkins", checkin_body()).json()
    changes = [
        lambda: api.post("sessions", session_body(started_at=now.isoformat())),
        lambda: api.patch(f"sessions/{ids[0]}", {"pain_during": 7}),
        lambda: api.patch(
            f"sessions/{ids[1]}", {"sets": [{"exercise": "clamshell", "side": "left", "reps": 3}]}
        ),
        lambda: api.patch(
            f"sessions/{ids[2]}", {"started_at": (now - timedelta(days=40)).isoformat()}
        ),
        lambda: api.delete(f"sessions/{ids[0]}"),
        lambda: api.post("checkins", checkin_body(date=now.date().isoformat(), pain=8)),
        lambda: api.patch(f"checkins/{checkin['id']}", {"pain": 1}),
        lambda: api.delete(f"checkins/{checkin['id']}"),
        lambda: api.patch("profile", {"weekly_target": 5}),
        lambda: api.patch("profile", {"timezone": "Pacific/Auckland"}),
    ]
    for change in changes:
        before, _ = read(api, path, query)
        assert read(api, path, query)[0] == before  # kept
        assert change().status_code in (200, 201, 204)
        after, _ = read(api, path, query)
        cache.clear()
        assert after == read(api, path, query)[0]  # what a cold read gives


def test_the_database_raises_the_versions_whoever_writes(alice):
    """Not only the services: the admin, an import or a fix in SQL change rows too."""
    _, user = alice
    seen = [versions(user)]

    def changed(kind):
        now = versions(user)
        assert now[kind] > seen[-1][kind] and now[1 - kind] == seen[-1][1 - kind]
        seen.append(now)

    session = WorkoutSession.objects.create(
        user=user, client_id=uuid.uuid4(), started_at=datetime.now(UTC)
    )
    changed(0)
    SessionSet.objects.create(session=session, position=0, exercise_id="clamshell", reps=10)
    changed(0)
    SessionSet.objects.filter(session=session).update(reps=12)
    changed(0)
    SessionSet.objects.filter(session=session).delete()
    changed(0)
    WorkoutSession.objects.filter(pk=session.pk).update(pain_during=4)
    changed(0)
    checkin = CheckIn.objects.create(
        user=user, client_id=uuid.uuid4(), date=datetime.now(UTC).date(), pain=3
    )
    changed(1)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tracker_checkin SET pain = 5 WHERE id = %s", [checkin.pk])
    changed(1)
    checkin.delete()
    changed(1)
    session.delete()
    changed(0)


def test_another_users_change_leaves_my_kept_answers_alone(alice, bob):
    api, user = alice
    bob_api, bob_user = bob
    api.post("sessions", session_body())
    mine = versions(user)
    bob_api.post("sessions", session_body())
    bob_api.post("checkins", checkin_body())
    assert versions(user) == mine
    assert versions(bob_user) != (0, 0)


def test_a_change_made_outside_this_process_is_never_answered_from_what_it_kept(alice):
    """The versions live in the database, so the process that kept an answer sees a change
    that another process (here: SQL) made."""
    api, _ = alice
    session = api.post("sessions", session_body(pain_during=2)).json()
    for path, query in READS:
        read(api, path, query)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tracker_workoutsession SET pain_during = 9 WHERE id = %s",
            [session["id"]],
        )
    listed, _ = read(api, "sessions", {"limit": 20})
    assert listed["items"][0]["pain_during"] == 9
    progress, _ = read(api, "progress/weekly", {"weeks": 12})
    assert "pain_above_5" in [flag["code"] for flag in progress["flags"]]


UNREACHABLE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.2},
    }
}


def test_reads_and_writes_answer_when_the_cache_server_is_down(alice):
    api, _ = alice
    with override_settings(CACHES=UNREACHABLE):
        assert api.post("sessions", session_body()).status_code == 201
        assert api.post("checkins", checkin_body()).status_code == 201
        listed, _ = read(api, "sessions", {"limit": 20})
        progress, _ = read(api, "progress/weekly", {"weeks": 12})
    assert len(listed["items"]) == 1
    assert progress["weeks"][-1]["sessions"] == 1
    cache.clear()
    assert read(api, "sessions", {"limit": 20})[0] == listed
