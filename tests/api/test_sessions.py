"""Logging sessions: all sets kept, never twice, bad input stores nothing."""

import threading
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import Api, session_body, signed_in
from tracker.models import SessionSet, WorkoutSession

pytestmark = pytest.mark.django_db


def test_a_session_is_stored_with_every_set_in_order(api):
    body = session_body()
    response = api.post("sessions", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["client_id"] == body["client_id"]
    assert [s["exercise"] for s in created["sets"]] == [s["exercise"] for s in body["sets"]]
    rdl = created["sets"][4]
    assert rdl == {
        "exercise": "single-leg-rdl",
        "side": "right",
        "reps": 8,
        "seconds": None,
        "load_kg": 6.5,
        "band": None,
        "felt_in_knee": True,
    }
    assert created["sets"][1]["band"] == "red"
    fetched = api.get(f"sessions/{created['id']}").json()
    assert fetched == created


def test_second_post_with_same_client_id_returns_the_first_session(api):
    body = session_body()
    first = api.post("sessions", body).json()
    changed = {**body, "notes": "a retry with other text", "sets": body["sets"][:1]}
    again = api.post("sessions", changed)
    assert again.status_code == 200
    assert again.json()["id"] == first["id"]
    assert again.json()["notes"] == "felt strong" and len(again.json()["sets"]) == 5
    assert WorkoutSession.objects.count() == 1 and SessionSet.objects.count() == 5


def test_two_simultaneous_posts_with_one_client_id_make_one_session(live_db):
    api, _ = signed_in("racer@example.com")
    token = api.post("auth/tokens", {"name": "race"}).json()["token"]
    body = session_body()
    barrier = threading.Barrier(2)
    answers: list[tuple[int, int]] = []

    def send() -> None:
        client = Api(token=token)
        barrier.wait()
        response = client.post("sessions", body)
        answers.append((response.status_code, response.json().get("id")))
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(status for status, _ in answers) == [200, 201], answers
    assert len({session_id for _, session_id in answers}) == 1
    assert WorkoutSession.objects.filter(client_id=body["client_id"]).count() == 1
    assert SessionSet.objects.count() == len(body["sets"])


def test_started_at_keeps_the_instant_and_is_answered_in_utc(api):
    response = api.post("sessions", session_body(started_at="2026-03-01T23:30:00+01:00"))
    assert response.json()["started_at"].startswith("2026-03-01T22:30:00")


BAD_SESSIONS = [
    ({"client_id": "not-a-uuid"}, "client_id"),
    ({"started_at": "2026-03-01T10:00:00"}, "started_at"),  # no offset
    ({"started_at": "yesterday"}, "started_at"),
    ({"started_at": (datetime.now(UTC) + timedelta(days=3)).isoformat()}, "started_at"),
    ({"pain_during": 11}, "pain_during"),
    ({"pain_during": -1}, "pain_during"),
    ({"pain_next_morning": 2.5}, "pain_next_morning"),
    ({"pain_during": True}, "pain_during"),
    ({"notes": "ok\x00bad"}, "notes"),
    ({"notes": "x" * 2001}, "notes"),
    ({"routine": 0}, "routine"),
    ({"routine": 2**70}, "routine"),
]


@pytest.mark.parametrize(("override", "field"), BAD_SESSIONS)
def test_bad_session_fields_answer_422_naming_the_field(api, override, field):
    response = api.post("sessions", session_body(**override))
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"], response.json()
    assert not WorkoutSession.objects.exists()


BAD_SETS = [
    ({"reps": -3}, "sets.2.reps"),
    ({"reps": 0}, "sets.2.reps"),
    ({"reps": 40000}, "sets.2.reps"),
    ({"exercise": "moonwalk"}, "sets.2.exercise"),
    ({"exercise": "DROP TABLE"}, "sets.2.exercise"),
    ({"side": "middle"}, "sets.2.side"),
    ({"band": "purple"}, "sets.2.band"),
    ({"load_kg": -5}, "sets.2.load_kg"),
    ({"load_kg": 1e9}, "sets.2.load_kg"),
    ({"load_kg": 5e-324}, "sets.2.load_kg"),  # would be kept as 0.00
    ({"load_kg": 0.004}, "sets.2.load_kg"),  # would be kept as 0.00
    ({"load_kg": 2.675}, "sets.2.load_kg"),  # would be kept as another number
    ({"load_kg": 6.5 + 1e-9}, "sets.2.load_kg"),
    ({"reps": None, "seconds": None}, "sets.2.reps"),
]


@pytest.mark.parametrize(("override", "field"), BAD_SETS)
def test_one_bad_set_stores_no_part_of_the_session(api, override, field):
    body = session_body()
    body["sets"][2] = {**body["sets"][2], **override}
    response = api.post("sessions", body)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"], response.json()
    assert not WorkoutSession.objects.exists() and not SessionSet.objects.exists()


def test_a_timed_exercise_needs_seconds(api):
    body = session_body(sets=[{"exercise": "hip-flexor-stretch", "side": "left", "reps": 3}])
    response = api.post("sessions", body)
    assert response.status_code == 422
    assert "sets.0.seconds" in response.json()["errors"]


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "",
        "application/xml",
        "multipart/form-data",
        "multipart/form-data; boundary=xyz",
        "application/x-www-form-urlencoded; charset=utf-16",
    ],
)
def test_json_bodies_are_read_whatever_the_content_type_says(api, content_type):
    response = api.post("sessions", session_body(), content_type=content_type)
    assert response.status_code == 201, response.content


def test_malformed_json_is_a_4xx_and_stores_nothing(api):
    response = api.post("sessions", '{"client_id": ', content_type="application/json")
    assert 400 <= response.status_code < 500
    assert "detail" in response.json()
    assert not WorkoutSession.objects.exists()


def test_a_session_can_follow_a_starter_routine_but_not_someone_elses(api, bob):
    starter_id = next(r["id"] for r in api.get("routines").json() if r["starter"])
    assert api.post("sessions", session_body(routine=starter_id)).status_code == 201
    bobs = bob[0].post("routines", {"copy_of": starter_id}).json()["id"]
    response = api.post("sessions", session_body(routine=bobs))
    assert response.status_code == 404
    assert WorkoutSession.objects.count() == 1


def test_the_list_is_newest_first_with_sets_paginated_and_filtered_by_local_date(api):
    # Alice is in London; 23:30 local on 1 March is still 1 March for her.
    for stamp in (
        "2026-03-01T23:30:00+00:00",
        "2026-03-02T08:00:00+00:00",
        "2026-02-27T10:00:00+00:00",
    ):
        api.post("sessions", session_body(started_at=stamp))
    page = api.get("sessions").json()
    assert page["count"] == 3
    starts = [s["started_at"][:10] for s in page["items"]]
    assert starts == ["2026-03-02", "2026-03-01", "2026-02-27"]
    assert all(len(s["sets"]) == 5 for s in page["items"])
    only_first = api.get("sessions", **{"from": "2026-03-01", "to": "2026-03-01"}).json()
    assert [s["started_at"][:16] for s in only_first["items"]] == ["2026-03-01T23:30"]
    assert only_first["count"] == 1  # the count is of the filtered rows
    second_page = api.get("sessions", limit=2, offset=2).json()
    assert second_page["count"] == 3 and len(second_page["items"]) == 1
    past_the_end = api.get("sessions", limit=2, offset=5).json()
    assert past_the_end == {"items": [], "count": 3}


def test_an_empty_list_counts_zero(api):
    assert api.get("sessions").json() == {"items": [], "count": 0}
    assert api.get("sessions", offset=3).json() == {"items": [], "count": 0}


def test_bad_filters_answer_422(api):
    response = api.get("sessions", **{"from": "last tuesday"})
    assert response.status_code == 422 and "from" in response.json()["errors"]


def test_listing_sessions_takes_the_same_number_of_queries_for_any_history(api):
    token = api.post("auth/tokens", {"name": "q"}).json()["token"]
    script = Api(token=token)
    api.post("sessions", session_body())
    with CaptureQueriesContext(connection) as few:
        script.get("sessions")
    for _ in range(6):
        api.post("sessions", session_body())
    with CaptureQueriesContext(connection) as many:
        assert len(script.get("sessions").json()["items"]) == 7
    assert len(many) == len(few)


def test_patch_changes_only_what_is_sent_and_sets_replace_all(api):
    created = api.post("sessions", session_body()).json()
    response = api.patch(f"sessions/{created['id']}", {"pain_next_morning": 3})
    assert response.status_code == 200
    assert response.json()["pain_next_morning"] == 3
    assert response.json()["notes"] == "felt strong" and len(response.json()["sets"]) == 5
    new_sets = [{"exercise": "clamshell", "side": "left", "reps": 15}]
    response = api.patch(f"sessions/{created['id']}", {"sets": new_sets})
    assert [s["reps"] for s in response.json()["sets"]] == [15]
    assert SessionSet.objects.count() == 1


def test_a_bad_patch_changes_nothing(api):
    created = api.post("sessions", session_body()).json()
    bad = {"notes": "new", "sets": [{"exercise": "moonwalk", "reps": 3}]}
    response = api.patch(f"sessions/{created['id']}", bad)
    assert response.status_code == 422
    assert api.get(f"sessions/{created['id']}").json() == created


def test_delete_removes_the_session_and_its_sets(api):
    created = api.post("sessions", session_body()).json()
    assert api.delete(f"sessions/{created['id']}").status_code == 204
    assert api.get(f"sessions/{created['id']}").status_code == 404
    assert not SessionSet.objects.exists()


def test_the_same_client_id_for_two_users_gives_each_their_own_session(api, bob):
    client_id = str(uuid.uuid4())
    a = api.post("sessions", session_body(client_id=client_id))
    b = bob[0].post("sessions", session_body(client_id=client_id))
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] != b.json()["id"]


def test_logging_a_session_takes_the_same_few_queries_for_1_or_40_sets(api):
    token = api.post("auth/tokens", {"name": "q"}).json()["token"]
    script = Api(token=token)
    script.post("sessions", session_body())  # warm the exercise-library cache
    counts = []
    for n in (1, 40):
        sets = [{"exercise": "clamshell", "side": "left", "reps": 10}] * n
        with CaptureQueriesContext(connection) as ctx:
            assert script.post("sessions", session_body(sets=sets)).status_code == 201
        counts.append(len(ctx))
    assert counts[0] == counts[1] <= 8, counts


def test_an_exercise_added_to_the_library_can_be_logged_at_once(api):
    from tracker.models import Exercise

    api.post("sessions", session_body())  # the library is now cached
    Exercise.objects.create(
        slug="copenhagen-plank",
        name="Copenhagen plank",
        category="strength",
        unit="seconds",
        per_side=True,
        default_sets=2,
        default_target=20,
    )
    body = session_body(sets=[{"exercise": "copenhagen-plank", "side": "left", "seconds": 20}])
    assert api.post("sessions", body).status_code == 201
    Exercise.objects.get(slug="copenhagen-plank").save()  # an admin edit also clears the cache
    body["client_id"] = str(uuid.uuid4())
    assert api.post("sessions", body).status_code == 201


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"offset": 10**30}, "offset"),
        ({"limit": 10**30}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
        ({"limit": "ten"}, "limit"),
    ],
)
def test_out_of_range_paging_is_a_422_not_a_crash(api, query, field):
    for resource in ("sessions", "checkins"):
        response = api.get(resource, **query)
        assert response.status_code == 422, response.content
        assert field in response.json()["errors"]


def test_ids_beyond_any_row_are_404(api):
    for url in (
        "sessions/99999999999999999999",
        "checkins/18446744073709551617",
        "routines/99999999999999999999",
    ):
        assert api.get(url).status_code == 404
        assert api.patch(url, {}).status_code == 404


def test_a_body_over_the_size_limit_is_413_not_a_crash(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api.post("sessions", session_body(notes="x" * 1500))
    assert response.status_code == 413
    assert not WorkoutSession.objects.exists()


def test_filter_instants_with_any_offset_python_accepts_work_on_every_database(api):
    # PostgreSQL refuses offsets beyond +-15:59; the filter is taken in UTC first
    assert api.get("sessions", to="2492-11-17T10:32:58-20:59").status_code == 200
    assert api.get("sessions", **{"from": "2001-01-01T00:00:00+23:30"}).status_code == 200
    out_of_range = api.get("sessions", to="9999-12-31T23:59:59-23:59")
    assert out_of_range.status_code == 422 and "to" in out_of_range.json()["errors"]


@pytest.mark.parametrize("load", [0, 0.5, 2.25, 6.05, 12.5, 499.99, 500])
def test_a_load_in_hundredths_of_a_kg_is_kept_exactly(api, load):
    body = session_body(sets=[{"exercise": "clamshell", "reps": 10, "load_kg": load}])
    assert api.post("sessions", body).status_code == 201
    assert SessionSet.objects.get().load_kg == Decimal(str(load))
