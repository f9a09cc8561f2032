"""The physiotherapist report and its read-only share links (30 days by default, revocable)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import session_body
from tracker.demo import seed_history
from tracker.models import ReportShare, SessionSet


def test_the_report_has_the_progress_and_the_loads_used_per_exercise(alice):
    api, user = alice
    seed_history(user)
    report = api.get("report", weeks=12).json()
    assert report["progress"]["weeks"] == api.get("progress/weekly", weeks=12).json()["weeks"]
    loads = {row["exercise"]: row for row in report["loads"]}
    assert set(loads) == {"glute-bridge", "side-lying-leg-raise", "clamshell", "supported-squat"}
    # the demo moves from the yellow band to green over the weeks
    bridge_sets = SessionSet.objects.filter(exercise_id="glute-bridge").count()
    assert (
        loads["clamshell"]["top_band"] == "green" and loads["glute-bridge"]["sets"] == bridge_sets
    )
    assert loads["glute-bridge"]["top_reps"] == 12 and loads["supported-squat"]["top_band"] is None


def test_a_set_done_on_each_side_counts_once_in_the_report(alice):
    """Three rounds of a clamshell (left and right) are three sets, as three glute bridges are;
    a side done more often than the other gives the count."""
    api, _ = alice
    rounds = [
        {"exercise": "glute-bridge", "side": "both", "reps": 10},
        {"exercise": "clamshell", "side": "left", "reps": 12},
        {"exercise": "clamshell", "side": "right", "reps": 12},
    ]
    extra = [{"exercise": "hip-90-90", "side": "left", "reps": 10}] * 2 + [
        {"exercise": "hip-90-90", "side": "right", "reps": 10}
    ]
    assert api.post("sessions", session_body(sets=rounds * 3 + extra)).status_code == 201
    loads = {row["exercise"]: row["sets"] for row in api.get("report").json()["loads"]}
    assert loads == {"glute-bridge": 3, "clamshell": 3, "hip-90-90": 2}


def test_the_report_costs_the_same_queries_whatever_the_history(alice):
    api, user = alice
    api.post("sessions", session_body())
    with CaptureQueriesContext(connection) as short:
        assert api.get("report").status_code == 200
    seed_history(user)
    with CaptureQueriesContext(connection) as long:
        assert api.get("report").status_code == 200
    assert len(long) == len(short) <= 9


def test_a_share_link_shows_the_report_without_an_account_until_revoked(alice, bob, anon):
    api, user = alice
    seed_history(user)
    created = api.post("report/shares", {})
    assert created.status_code == 201
    share = created.json()
    assert share["url"].endswith(f"/report/shared#{share['token']}")
    lifetime = timezone.datetime.fromisoformat(share["expires_at"]) - timezone.now()
    assert timedelta(days=29, hours=23) < lifetime <= timedelta(days=30)
    assert ReportShare.objects.get().digest != share["token"]  # only a digest is stored

    shared = anon.get(f"report/shared/{share['token']}")
    assert shared.status_code == 200
    assert shared.json()["progress"]["weeks"] == api.get("report").json()["progress"]["weeks"]
    assert "token" not in api.get("report/shares").json()[0]  # shown once

    bob_api, _ = bob
    assert bob_api.delete(f"report/shares/{share['id']}").status_code == 404
    assert bob_api.get("report/shares").json() == []
    assert anon.get(f"report/shared/{share['token']}").status_code == 200

    assert api.delete(f"report/shares/{share['id']}").status_code == 204
    gone = anon.get(f"report/shared/{share['token']}")
    assert gone.status_code == 404 and "revoked" in gone.json()["detail"]


def test_a_share_link_expires(alice, anon):
    api, _ = alice
    share = api.post("report/shares", {"days": 1}).json()
    ReportShare.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert anon.get(f"report/shared/{share['token']}").status_code == 404
    assert anon.get("report/shared/not-a-token").status_code == 404


@pytest.mark.parametrize("days", [0, 91, "30", 1.5])
def test_share_lifetime_is_1_to_90_days(api, days):
    response = api.post("report/shares", {"days": days})
    assert response.status_code == 422 and "days" in response.json()["errors"]
    assert not ReportShare.objects.exists()


def test_the_report_needs_signing_in(anon):
    assert anon.get("report").status_code == 401
    assert anon.post("report/shares", {}).status_code == 401


def test_the_report_names_the_routine_of_the_latest_session_with_its_plan(alice):
    api, _ = alice
    assert api.get("report").json()["routine"] is None  # no session followed a routine yet
    starter = next(r for r in api.get("routines").json() if r["name"] == "Hip-to-Knee starter")
    api.post("sessions", session_body(routine=starter["id"]))
    api.post("sessions", session_body(started_at="2020-01-01T10:00:00+00:00"))  # older, none
    routine = api.get("report").json()["routine"]
    assert routine["name"] == "Hip-to-Knee starter"
    assert [i["exercise"] for i in routine["items"]] == [i["exercise"] for i in starter["items"]]
    bridge = routine["items"][0]
    assert (bridge["name"], bridge["unit"]) == ("Glute bridge", "reps") and bridge["sets"] >= 1


def test_a_share_link_shows_the_weeks_its_owner_chose_and_no_more(alice, anon):
    api, user = alice
    seed_history(user)  # nine weeks
    default = api.post("report/shares", {}).json()
    four = api.post("report/shares", {"weeks": 4}).json()
    assert (default["weeks"], four["weeks"]) == (12, 4)
    assert [s["weeks"] for s in api.get("report/shares").json()] == [4, 12]
    owners = api.get("report", weeks=4).json()["progress"]["weeks"]
    assert len(owners) == 4
    for query in ({}, {"weeks": 52}, {"weeks": 8}, {"weeks": 1}, {"weeks": "lots"}):
        shown = anon.get(f"report/shared/{four['token']}", **query)
        assert shown.status_code == 200, shown.content
        assert shown.json()["progress"]["weeks"] == owners, query


@pytest.mark.parametrize("weeks", [0, 53, "12", None])
def test_share_weeks_are_1_to_52(api, weeks):
    response = api.post("report/shares", {"weeks": weeks})
    assert response.status_code == 422 and "weeks" in response.json()["errors"]


def test_the_report_lists_the_red_flags_of_its_weeks_even_once_cleared(alice):
    import uuid

    from tests.conftest import checkin_body

    api, _ = alice
    day = lambda n: (timezone.now() - timedelta(days=n)).date().isoformat()  # noqa: E731
    api.post("checkins", checkin_body(date=day(40), pain=5, red_flags=["after_injury"]))
    api.post("checkins", checkin_body(date=day(9), pain=6, red_flags=["locking", "major_swelling"]))
    api.post("checkins", checkin_body(date=day(8), pain=4))
    api.post("checkins/clearance", {"client_id": str(uuid.uuid4())})
    report = api.get("report", weeks=3).json()
    assert report["progress"]["flags"] == []  # cleared: the plan goes on
    assert report["red_flags"] == [
        {
            "date": day(9),
            "red_flags": ["locking", "major_swelling"],
            "words": ["the knee locks", "the knee is badly swollen"],
        }
    ]  # the one of 40 days ago is before the weeks shown
    assert [f["date"] for f in api.get("report", weeks=12).json()["red_flags"]] == [day(40), day(9)]
