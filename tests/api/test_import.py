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


def export_with(n: int, *, sets: int = 2) -> dict:
    body = session_body()
    return {
        "format": "hip2knee-export",
        "version": 1,
        "sessions": [session_body(notes=f"s{i}", sets=body["sets"][:sets]) for i in range(n)],
        "checkins": [],
    }


def test_an_import_cut_off_between_chunks_keeps_whole_sessions_and_a_resend_completes_it(
    api, monkeypatch
):
    """Chunks commit one by one; the database turning busy mid-import answers 503 with
    Retry-After, every session written so far has all its sets, and sending the same file
    again adds exactly what is missing."""
    from django.db import OperationalError

    from tracker.services import imports

    monkeypatch.setattr(imports, "CHUNK_ROWS", 9)  # three sessions of two sets a chunk
    document = export_with(20)
    write, calls = imports._sessions_write, []

    def busy_on_the_third_chunk(user, chunk):
        calls.append(len(chunk))
        if len(calls) == 3:
            raise OperationalError("database is locked")
        return write(user, chunk)

    monkeypatch.setattr(imports, "_sessions_write", busy_on_the_third_chunk)
    cut = api.post("import", document)
    assert cut.status_code == 503 and int(cut["Retry-After"]) > 0, cut.content
    assert WorkoutSession.objects.count() == 6  # two chunks of three
    assert SessionSet.objects.count() == 12  # each with both its sets
    monkeypatch.setattr(imports, "_sessions_write", write)
    again = api.post("import", document)
    assert again.status_code == 200, again.content
    assert again.json()["sessions"] == {"created": 14, "existing": 6}
    assert WorkoutSession.objects.count() == 20 and SessionSet.objects.count() == 40
    notes = sorted(WorkoutSession.objects.values_list("notes", flat=True))
    assert notes == sorted(f"s{i}" for i in range(20))


def test_a_session_the_outbox_sends_while_it_is_imported_is_stored_once(api, monkeypatch):
    """The phone sends a session while the same session is in an import: the chunk meets it and
    counts it as existing, the rest of the chunk is still written."""
    from tracker.services import imports

    document = export_with(5)
    plan = imports._plan

    def plan_then_outbox_sends_one(user, sessions, checkins):
        found = plan(user, sessions, checkins)
        assert api.post("sessions", document["sessions"][2]).status_code == 201
        return found

    monkeypatch.setattr(imports, "_plan", plan_then_outbox_sends_one)
    response = api.post("import", document)
    assert response.status_code == 200, response.content
    assert response.json()["sessions"] == {"created": 4, "existing": 1}
    assert WorkoutSession.objects.count() == 5 and SessionSet.objects.count() == 10


def test_a_refused_import_names_each_fault_and_stores_nothing(api):
    document = export_with(4)
    document["sessions"][0]["sets"][0]["exercise"] = "moonwalk"
    document["sessions"][3]["started_at"] = "1999-06-01T10:00:00+00:00"
    document["checkins"] = [checkin_body(date="2099-01-01")]
    response = api.post("import", document)
    assert response.status_code == 422
    assert {"sessions.0.sets.0.exercise", "sessions.3.started_at", "checkins.0.date"} <= set(
        response.json()["errors"]
    )
    assert not WorkoutSession.objects.exists() and not CheckIn.objects.exists()


@pytest.mark.django_db
def test_a_confirmation_dated_in_the_future_refuses_a_file_of_many_chunks_before_any_write(
    api, monkeypatch
):
    """The clinician's confirmation is checked with the rest of the file: a file written in
    several chunks is refused whole, not after its sessions were stored."""
    from tracker.services import imports

    monkeypatch.setattr(imports, "CHUNK_ROWS", 9)
    document = export_with(20)
    document["profile"] = {"clinician_seen_at": "2999-01-01T00:00:00+00:00"}
    refused = api.post("import", document)
    assert refused.status_code == 422, refused.content
    assert "profile.clinician_seen_at" in refused.json()["errors"]
    assert WorkoutSession.objects.count() == 0 and SessionSet.objects.count() == 0
