"""A red flag stops the plan everywhere until the person confirms a clinician has seen the knee:
progress carries it first with nothing but "stop", it never expires on its own, and the
confirmation (``POST checkins/clearance``) is kept, shown in progress and the export, and
clears only what was reported before it."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import checkin_body, session_body, signed_in

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> str:
    return (datetime.now(UTC) - timedelta(days=n)).date().isoformat()


def flag_codes(api) -> list[str]:
    return [f["code"] for f in api.get("progress/weekly", weeks=2).json()["flags"]]


def test_progress_under_a_red_flag_carries_it_first_and_suggests_nothing_but_stop(api):
    for n in (9, 6, 3):  # sessions that would otherwise earn suggestions
        started = (datetime.now(UTC) - timedelta(days=n)).isoformat()
        api.post("sessions", session_body(started_at=started, pain_during=7))
    api.post("checkins", checkin_body(date=days_ago(2), pain=6, red_flags=["locking"]))
    answer = api.get("progress/weekly", weeks=2).json()
    codes = [f["code"] for f in answer["flags"]]
    assert codes[0] == "red_flag" and "pain_above_5" in codes  # red first, amber after it
    assert "see a clinician" in answer["flags"][0]["message"]
    assert answer["suggestions"], "the exercises of the last sessions each get one"
    assert {s["action"] for s in answer["suggestions"]} == {"stop"}
    assert answer["clinician_seen"] is None


def test_a_red_flag_stays_up_after_14_days_and_asks_whether_a_clinician_has_seen_the_knee(api):
    api.post("checkins", checkin_body(date=days_ago(20), pain=5, red_flags=["giving_way_fall"]))
    [flag] = api.get("progress/weekly", weeks=2).json()["flags"]
    assert flag["code"] == "red_flag" and flag["since"] == days_ago(20)
    assert "Has a clinician seen your knee?" in flag["message"]


def test_the_confirmation_clears_the_red_flag_is_kept_and_a_replay_changes_nothing(api):
    api.post("checkins", checkin_body(date=days_ago(20), pain=5, red_flags=["locking"]))
    assert flag_codes(api) == ["red_flag"]
    client_id = str(uuid.uuid4())
    first = api.post("checkins/clearance", {"client_id": client_id})
    assert first.status_code == 201
    seen = first.json()
    assert seen["date"] == datetime.now(UTC).date().isoformat()
    answer = api.get("progress/weekly", weeks=2).json()
    assert answer["flags"] == [] and answer["clinician_seen"]["date"] == seen["date"]
    # the knee locks again tomorrow (as dated): the flag is back, and a replay of the old
    # confirmation (an outbox sending it twice) does not clear it
    api.post("checkins", checkin_body(date=days_ago(-1), pain=5, red_flags=["locking"]))
    assert flag_codes(api) == ["red_flag"]
    again = api.post("checkins/clearance", {"client_id": client_id})
    assert again.status_code == 200 and again.json() == seen
    assert flag_codes(api) == ["red_flag"]


def test_a_red_flag_ticked_after_the_confirmation_the_same_day_stands(api):
    assert api.post("checkins/clearance", {"client_id": str(uuid.uuid4())}).status_code == 201
    today = datetime.now(UTC).date().isoformat()
    api.post("checkins", checkin_body(date=today, pain=6, red_flags=["major_swelling"]))
    assert flag_codes(api) == ["red_flag"]


def test_a_confirmation_given_offline_keeps_its_moment_and_never_a_future_one(api):
    earlier = datetime.now(UTC) - timedelta(days=2)
    api.post("checkins", checkin_body(date=days_ago(1), pain=5, red_flags=["locking"]))
    answer = api.post(
        "checkins/clearance", {"client_id": str(uuid.uuid4()), "seen_at": earlier.isoformat()}
    )
    assert answer.status_code == 201 and answer.json()["date"] == days_ago(2)
    assert flag_codes(api) == ["red_flag"]  # reported after the moment confirmed
    future = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    bad = api.post("checkins/clearance", {"client_id": str(uuid.uuid4()), "seen_at": future})
    assert bad.status_code == 422 and "seen_at" in bad.json()["errors"]
    naive = api.post(
        "checkins/clearance", {"client_id": str(uuid.uuid4()), "seen_at": "2026-01-01T10:00"}
    )
    assert naive.status_code == 422
    assert api.post("checkins/clearance", {}).status_code == 422


def test_the_confirmation_is_in_the_export_and_the_report(api):
    assert api.get("export", format="json").json()["profile"]["clinician_seen_at"] is None
    seen = api.post("checkins/clearance", {"client_id": str(uuid.uuid4())}).json()
    profile = api.get("export", format="json").json()["profile"]
    assert profile["clinician_seen_on"] == seen["date"] and profile["clinician_seen_at"]
    csv = api.get("export", format="csv").content.decode()
    assert "clinician_seen" in csv and "A clinician has seen my knee and I may exercise" in csv
    report = api.get("report", weeks=4).json()
    assert report["progress"]["clinician_seen"]["date"] == seen["date"]


def test_one_persons_confirmation_never_clears_anothers_red_flag(alice, bob):
    bob_api, _ = bob
    bob_api.post("checkins", checkin_body(date=days_ago(3), pain=5, red_flags=["locking"]))
    alice[0].post("checkins/clearance", {"client_id": str(uuid.uuid4())})
    assert flag_codes(bob_api) == ["red_flag"]


def test_the_next_morning_is_compared_with_the_usual_level(api):
    for n, pain in ((9, 2), (7, 3), (5, 2), (4, 7)):  # usual 2.5, one bad day among them
        api.post("checkins", checkin_body(date=days_ago(n), pain=pain, stairs=None))
    started = (datetime.now(UTC) - timedelta(days=3)).isoformat()
    session = api.post("sessions", session_body(started_at=started, pain_during=2)).json()
    answer = api.get("progress/weekly", weeks=2).json()
    assert answer["usual_pain"] == 2.5 and answer["flags"] == []
    api.patch(f"sessions/{session['id']}", {"pain_next_morning": 4})
    assert flag_codes(api) == ["not_settled"]


def test_an_import_keeps_the_red_flags_the_confirmation_cleared(alice, bob):
    api, _ = alice
    api.post("checkins", checkin_body(date=days_ago(20), pain=5, red_flags=["locking"]))
    api.post("checkins/clearance", {"client_id": str(uuid.uuid4())})
    exported = api.get("export", format="json").json()
    bob_api, _ = bob
    assert bob_api.post("import", exported).status_code == 200
    assert flag_codes(bob_api) == []
    assert bob_api.post("import", exported).status_code == 200  # again: nothing changes
    answer = bob_api.get("progress/weekly", weeks=2).json()
    assert answer["clinician_seen"]["seen_at"] is not None
    # without the confirmation in the file, the red flag is up in the new account
    del exported["profile"]
    carol = signed_in("carol@example.com")[0]
    assert carol.post("import", exported).status_code == 200
    assert flag_codes(carol) == ["red_flag"]


def test_a_second_checkin_of_the_day_without_the_red_flag_keeps_it(api):
    """The evening's check-in (nothing ticked) never takes the morning's red flag away."""
    today = datetime.now(UTC).date().isoformat()
    api.post("checkins", checkin_body(date=today, pain=6, red_flags=["locking"]))
    second = api.post("checkins", checkin_body(date=today, pain=3, red_flags=[]))
    assert second.status_code == 200
    assert second.json()["pain"] == 3 and second.json()["red_flags"] == ["locking"]
    assert flag_codes(api) == ["red_flag"]
    # a second one adds its own: both stand
    assert (
        api.post("checkins", checkin_body(date=today, red_flags=["hot_red_fever"])).status_code
        == 200
    )
    [checkin] = api.get("checkins").json()["items"]
    assert checkin["red_flags"] == ["hot_red_fever", "locking"]


def test_after_the_confirmation_a_later_checkin_of_that_day_raises_only_a_new_red_flag(api):
    today = datetime.now(UTC).date().isoformat()
    api.post("checkins", checkin_body(date=today, pain=6, red_flags=["locking"]))
    assert api.post("checkins/clearance", {"client_id": str(uuid.uuid4())}).status_code == 201
    assert flag_codes(api) == []
    api.post("checkins", checkin_body(date=today, pain=2, red_flags=[]))  # the evening's answers
    assert flag_codes(api) == []  # the cleared flag is not raised again by a save that adds none
    api.post("checkins", checkin_body(date=today, pain=6, red_flags=["locking"]))  # it locks again
    assert flag_codes(api) == ["red_flag"]  # reported after the confirmation: it stands


def test_an_import_onto_a_day_with_a_red_flag_keeps_it(api):
    today = datetime.now(UTC).date().isoformat()
    api.post("checkins", checkin_body(date=today, pain=6, red_flags=["locking"]))
    later = {"format": "hip2knee-export", "version": 1, "sessions": []}
    later["checkins"] = [checkin_body(date=today, pain=2, red_flags=[])]
    assert api.post("import", later).status_code == 200
    [checkin] = api.get("checkins").json()["items"]
    assert checkin["red_flags"] == ["locking"] and flag_codes(api) == ["red_flag"]


def test_under_a_red_flag_the_milestone_keeps_its_figures_but_not_keep_going(api):
    today = datetime.now(UTC).date()
    first_monday = today - timedelta(days=28 + today.weekday())
    for day in (0, 1):  # the first week, the baseline (two check-ins)
        api.post("checkins", checkin_body(date=(first_monday + timedelta(day)).isoformat(), pain=7))
    for day in (21, 22):
        api.post("checkins", checkin_body(date=(first_monday + timedelta(day)).isoformat(), pain=2))
    week4 = api.get("progress/weekly", weeks=6).json()["milestones"]["week4"]
    assert week4["meaningful"] and "Keep going" in week4["message"]
    api.post("checkins", checkin_body(date=today.isoformat(), pain=2, red_flags=["locking"]))
    held = api.get("progress/weekly", weeks=6).json()["milestones"]["week4"]
    assert held["change_points"] == week4["change_points"] == -5.0
    assert "big enough to matter" in held["message"] and "Keep going" not in held["message"]
