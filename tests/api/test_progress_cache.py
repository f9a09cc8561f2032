"""Progress is kept as sent until what it shows changes: it must never show a stale answer.

Random changes through the API (sessions and check-ins logged, moved in and out of the recent
weeks read one by one, edited and deleted; the time zone and weekly target changed) each followed
by a progress read, which must equal the answer computed with an empty cache.
"""

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import checkin_body, session_body
from tracker.selectors.progress import RECENT_DAYS

pytestmark = pytest.mark.django_db
ZONES = ("Europe/London", "America/New_York", "Pacific/Auckland")


def read(api, weeks=104):
    with CaptureQueriesContext(connection) as ctx:
        response = api.get("progress/weekly", weeks=weeks)
    assert response.status_code == 200
    return response.json(), len(ctx)


def cold(api, weeks=104):
    cache.clear()
    return read(api, weeks)


def a_session(rng, now, days):
    started = now - timedelta(days=rng.uniform(0, days), minutes=1)
    sets = [{"exercise": "glute-bridge", "side": "both", "reps": rng.choice([10, 12])}] * 3
    body = session_body(started_at=started.isoformat(), sets=sets)
    body.update(pain_during=rng.randint(0, 7), pain_next_morning=rng.choice([None, 2, 5]))
    return body


@pytest.mark.parametrize("seed", range(4))
def test_every_change_shows_at_once_whatever_it_is_dated(alice, seed):
    api, _ = alice
    rng = random.Random(seed)
    now = datetime.now(UTC)
    days = 500 if seed == 0 else 120  # seed 0: a long history
    for _ in range(40):
        assert api.post("sessions", a_session(rng, now, days)).status_code == 201
    for day in rng.sample(range(days), 50):
        day_ = (now - timedelta(days=day)).date().isoformat()
        body = checkin_body(date=day_, pain=rng.randint(0, 8), rest_day=rng.random() < 0.2)
        assert api.post("checkins", body).status_code == 201

    for step in range(30):
        sessions = api.get("sessions", limit=200).json()["items"]
        checkins = api.get("checkins", limit=200).json()["items"]
        kind = rng.choice(
            ["log", "move", "pain", "drop", "checkin", "redate", "unsay", "zone", "target"]
        )
        if kind == "log":
            response = api.post("sessions", a_session(rng, now, days))
        elif kind == "move":  # often in or out of the recent weeks read one by one
            moved = now - timedelta(days=rng.uniform(0, 2 * RECENT_DAYS))
            response = api.patch(
                f"sessions/{rng.choice(sessions)['id']}", {"started_at": moved.isoformat()}
            )
        elif kind == "pain":
            response = api.patch(
                f"sessions/{rng.choice(sessions)['id']}", {"pain_during": rng.randint(0, 9)}
            )
        elif kind == "drop":
            response = api.delete(f"sessions/{rng.choice(sessions)['id']}")
        elif kind == "checkin":  # a new date, or an answer merged into a date already there
            day = (now - timedelta(days=rng.randrange(days))).date().isoformat()
            response = api.post("checkins", checkin_body(date=day, pain=rng.randint(0, 9)))
        elif kind == "redate":
            taken = {c["date"] for c in checkins}
            free = [
                d
                for d in ((now - timedelta(days=n)).date().isoformat() for n in range(days))
                if d not in taken
            ]
            response = api.patch(f"checkins/{rng.choice(checkins)['id']}", {"date": free[0]})
        elif kind == "unsay":
            response = api.delete(f"checkins/{rng.choice(checkins)['id']}")
        elif kind == "zone":
            response = api.patch("profile", {"timezone": rng.choice(ZONES)})
        else:
            response = api.patch("profile", {"weekly_target": rng.randint(1, 7)})
        assert response.status_code in (200, 201, 204), (kind, response.content)

        warm, _ = read(api)
        again, again_queries = read(api)
        fresh, fresh_queries = cold(api)
        assert warm == fresh, (step, kind)
        assert again == fresh
        assert again_queries < fresh_queries  # the second read was served from the cache


def test_a_change_dated_at_the_boundary_is_seen(alice):
    """The first day read one by one, the last day read summed, and the day on either side."""
    api, _ = alice
    now = datetime.now(UTC)
    for day in range(RECENT_DAYS - 3, RECENT_DAYS + 4):
        stamp = (now - timedelta(days=day)).date().isoformat()
        api.post("checkins", checkin_body(date=stamp, pain=2))
    baseline, _ = read(api)
    for day in range(RECENT_DAYS - 3, RECENT_DAYS + 4):
        stamp = (now - timedelta(days=day)).date().isoformat()
        api.post("checkins", checkin_body(date=stamp, pain=9))
        seen, _ = read(api)
        assert seen == cold(api)[0], day
        assert seen != baseline
        baseline = seen
