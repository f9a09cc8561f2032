"""Import: an export into another account gives the same sessions, sets and check-ins, once."""

import pytest

from tests.conftest import checkin_body, session_body, signed_in
from tracker.models import CheckIn, SessionSet, WorkoutSession

pytestmark = pytest.mark.django_db


def comparable(export: dict) -> dict:
    return {"sessions": export["sessions"], "checkins": export["checkins"]}


def test_an_export_imports_into_an_empty_account_exactly_and_a_second_import_changes_nothing(api):
    starter = next(r for r in api.get("routines").json() if r["starter"])
    api.post("sessions", session_body(routine=starter["id"], pain_next_morning=4))
    api.post("sessions", session_body(sets=[], notes="stretch day"))
    api.post("checkins", checkin_body(red_flags=["locking"], rest_day=True, walking=3))
    exported = api.get("export", format="json").json()

    other, _ = signed_in("new-phone@example.com")
    first = other.post("import", exported)
    assert first.status_code == 200, first.content
    assert first.json() == {
        "sessions": {"created": 2, "existing": 0}, "checkins": {"created": 1, "existing": 0},
    }  # fmt: skip
    assert comparable(other.get("export", format="json").json()) == comparable(exported)

    again = other.post("import", exported)
    assert again.json() == {
        "sessions": {"created": 0, "existing": 2}, "checkins": {"created": 0, "existing": 1},
    }  # fmt: skip
    assert comparable(other.get("export", format="json").json()) == comparable(exported)
    assert WorkoutSession.objects.count() == 4 and SessionSet.objects.count() == 10


def test_an_import_with_one_bad_item_stores_nothing(api):
    document = {
        "format": "hip2knee-export",
        "version": 1,
        "sessions": [session_body(), session_body(sets=[{"exercise": "moonwalk", "reps": 3}])],
        "checkins": [checkin_body()],
    }
    response = api.post("import", document)
    assert response.status_code == 422
    assert "sessions.1.sets.0.exercise" in response.json()["errors"]
    assert not WorkoutSession.objects.exists() and not CheckIn.objects.exists()


def test_an_import_that_is_not_an_export_is_refused(api):
    response = api.post("import", {"format": "something-else", "version": 1})
    assert response.status_code == 422 and "format" in response.json()["errors"]
    response = api.post("import", {"format": "hip2knee-export", "version": 2})
    assert response.status_code == 422 and "version" in response.json()["errors"]


def test_another_accounts_routine_ids_are_dropped_not_followed(api, bob):
    bobs = bob[0].post("routines", {"name": "Bob's", "items": [
        {"exercise": "clamshell", "sets": 2, "target": 10}]}).json()  # fmt: skip
    document = {"format": "hip2knee-export", "version": 1,
                "sessions": [session_body(routine=bobs["id"])]}  # fmt: skip
    assert api.post("import", document).status_code == 200
    assert WorkoutSession.objects.get(user__email="alice@example.com").routine_id is None
