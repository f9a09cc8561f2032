"""Exercise library, routines (starters read-only, copies editable) and the profile."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from tests.conftest import session_body
from tracker.models import Routine, RoutineItem

pytestmark = pytest.mark.django_db


def test_the_exercise_library_is_public_and_complete():
    response = Client().get("/api/v1/exercises")
    assert response.status_code == 200
    by_slug = {e["slug"]: e for e in response.json()}
    assert len(by_slug) >= 13
    bridge = by_slug["glute-bridge"]
    assert bridge["unit"] == "reps" and bridge["per_side"] is False
    assert bridge["harder"] == "single-leg-bridge" and bridge["easier"] is None
    assert any("2 s" in cue for cue in bridge["cues"])
    assert by_slug["lateral-band-walk"]["unit"] == "steps"
    assert by_slug["hip-flexor-stretch"]["unit"] == "seconds"
    assert by_slug["foam-rolling"]["category"] == "soft_tissue"
    squat_cues = " ".join(by_slug["supported-squat"]["cues"])
    assert "2nd–3rd toe" in squat_cues and "hips drive back" in squat_cues


def starter(api, name="Hip-to-Knee starter"):
    return next(r for r in api.get("routines").json() if r["name"] == name)


def test_every_user_sees_the_starters_and_cannot_change_them(api):
    s = starter(api)
    assert s["starter"] is True
    assert [i["exercise"] for i in s["items"]] == [
        "glute-bridge",
        "side-lying-leg-raise",
        "clamshell",
        "supported-squat",
    ]
    assert api.patch(f"routines/{s['id']}", {"name": "mine"}).status_code == 403
    assert api.delete(f"routines/{s['id']}").status_code == 403
    assert Routine.objects.get(pk=s["id"]).name == "Hip-to-Knee starter"


def test_a_copy_saved_with_its_items_is_made_in_one_request_and_a_bad_item_makes_none(api):
    s = starter(api)
    items = [
        *s["items"],
        {"exercise": "lateral-lunge", "sets": 3, "target": 8, "per_side": True, "band": None},
    ]
    response = api.post("routines", {"copy_of": s["id"], "name": "Mine", "items": items})
    assert response.status_code == 201
    copy = response.json()
    assert copy["copied_from"] == s["id"] and copy["name"] == "Mine"
    assert [i["exercise"] for i in copy["items"]][-1] == "lateral-lunge"
    assert starter(api)["items"] == s["items"]  # the starter stays as it was

    bad = [{"exercise": "moonwalk", "sets": 1, "target": 1}]
    response = api.post("routines", {"copy_of": s["id"], "name": "Other", "items": bad})
    assert response.status_code == 422
    assert "items.0.exercise" in response.json()["errors"]
    assert not Routine.objects.filter(name="Other").exists()


def test_copy_a_starter_then_edit_the_copy(api):
    s = starter(api, "Hip-to-Knee bulletproofing")
    response = api.post("routines", {"copy_of": s["id"], "name": "My bulletproofing"})
    assert response.status_code == 201
    copy = response.json()
    assert copy["starter"] is False and copy["copied_from"] == s["id"]
    assert copy["items"] == s["items"]
    items = [{"exercise": "clamshell", "sets": 2, "target": 15}]
    response = api.patch(f"routines/{copy['id']}", {"items": items})
    assert response.status_code == 200
    assert response.json()["items"] == [
        {
            "exercise": "clamshell",
            "sets": 2,
            "target": 15,
            "per_side": True,
            "warmup": False,
            "band": None,
        }
    ]
    assert starter(api, "Hip-to-Knee bulletproofing")["items"] == s["items"]
    assert api.delete(f"routines/{copy['id']}").status_code == 204


def test_create_a_routine_and_bad_items_store_nothing(api):
    body = {"name": "Quick", "items": [{"exercise": "glute-bridge", "sets": 3, "target": 10}]}
    assert api.post("routines", body).status_code == 201
    before = RoutineItem.objects.count()
    bad = {
        "name": "Bad",
        "items": [
            {"exercise": "glute-bridge", "sets": 3, "target": 10},
            {"exercise": "moonwalk", "sets": 3, "target": 10},
        ],
    }
    response = api.post("routines", bad)
    assert response.status_code == 422 and "items.1.exercise" in response.json()["errors"]
    for item, field in (({"sets": 0}, "items.0.sets"), ({"target": -1}, "items.0.target")):
        body = {"name": "B", "items": [{"exercise": "clamshell", "sets": 3, "target": 5, **item}]}
        response = api.post("routines", body)
        assert response.status_code == 422 and field in response.json()["errors"]
    assert api.post("routines", {"name": "no items"}).status_code == 422
    assert not Routine.objects.filter(name__in=["Bad", "B", "no items"]).exists()
    assert RoutineItem.objects.count() == before


def test_profile_reads_and_changes(api):
    assert api.get("profile").json() == {
        "timezone": "Europe/London",
        "weekly_target": 3,
        "units": "kg",
    }
    response = api.patch("profile", {"timezone": "America/Chicago", "weekly_target": 4})
    assert response.json() == {"timezone": "America/Chicago", "weekly_target": 4, "units": "kg"}
    assert api.get("auth/me").json()["timezone"] == "America/Chicago"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"timezone": "Not/AZone"}, "timezone"),
        ({"timezone": "x" * 500}, "timezone"),
        ({"weekly_target": 0}, "weekly_target"),
        ({"weekly_target": 8}, "weekly_target"),
        ({"units": "stone"}, "units"),
    ],
)
def test_bad_profile_changes_answer_422_and_change_nothing(api, body, field):
    response = api.patch("profile", body)
    assert response.status_code == 422 and field in response.json()["errors"]
    assert api.get("profile").json()["weekly_target"] == 3


def test_the_bulletproofing_starter_warms_up_first_with_hip_mobility_and_glute_activation(api):
    items = starter(api, "Hip-to-Knee bulletproofing")["items"]
    warmup = [i["exercise"] for i in items if i["warmup"]]
    assert warmup == ["foam-rolling", "hip-90-90", "clamshell"]
    assert items[: len(warmup)] == [i for i in items if i["warmup"]]  # the block comes first
    assert next(i["exercise"] for i in items if not i["warmup"]) == "glute-bridge"


def test_warm_up_items_come_first_and_a_band_is_kept_by_name(api):
    body = {
        "name": "Mine",
        "items": [
            {"exercise": "glute-bridge", "sets": 3, "target": 10, "band": "green"},
            {"exercise": "foam-rolling", "sets": 1, "target": 60, "warmup": True},
            {"exercise": "lateral-lunge", "sets": 2, "target": 8},
        ],
    }
    routine = api.post("routines", body).json()
    assert [(i["exercise"], i["warmup"], i["band"]) for i in routine["items"]] == [
        ("foam-rolling", True, None),
        ("glute-bridge", False, "green"),
        ("lateral-lunge", False, None),
    ]
    response = api.patch(
        f"routines/{routine['id']}",
        {"items": [{"exercise": "clamshell", "sets": 3, "target": 12, "band": "purple"}]},
    )
    assert response.status_code == 422 and "items.0.band" in response.json()["errors"]
    assert len(api.get(f"routines/{routine['id']}").json()["items"]) == 3


def proposed(api):
    [routine] = [r for r in api.get("routines").json() if r["proposed"]]
    return routine


def test_the_proposed_routine_is_the_one_saved_or_used_last(api):
    assert proposed(api)["name"] == "Hip-to-Knee starter"  # nothing saved or used yet
    bullet = starter(api, "Hip-to-Knee bulletproofing")
    assert api.post("sessions", session_body(routine=bullet["id"])).status_code == 201
    assert proposed(api)["id"] == bullet["id"]
    mine = api.post("routines", {"copy_of": starter(api)["id"], "name": "Mine"}).json()
    assert (
        proposed(api)["id"] == mine["id"] and api.get(f"routines/{mine['id']}").json()["proposed"]
    )
    assert api.post("sessions", session_body(routine=bullet["id"])).status_code == 201
    assert proposed(api)["id"] == bullet["id"]
    api.patch(f"routines/{mine['id']}", {"name": "Mine, renamed"})
    assert proposed(api)["id"] == mine["id"]
    api.delete(f"routines/{mine['id']}")
    assert proposed(api)["id"] == bullet["id"]


def test_the_proposed_routine_is_each_users_own(api, bob):
    mine = api.post("routines", {"copy_of": starter(api)["id"], "name": "Mine"}).json()
    assert proposed(api)["id"] == mine["id"]
    assert proposed(bob[0])["name"] == "Hip-to-Knee starter"


def test_suggestions_follow_the_routine_and_a_routine_change_shows_at_once(api):
    mine = api.post(
        "routines",
        {"name": "Mine", "items": [{"exercise": "glute-bridge", "sets": 3, "target": 10}]},
    ).json()
    sets = [{"exercise": "glute-bridge", "side": "both", "reps": 10}] * 3
    for hours in (50, 26):
        start = (datetime.now(UTC) - timedelta(hours=hours)).isoformat()
        body = session_body(routine=mine["id"], started_at=start, sets=sets, pain_during=2)
        assert api.post("sessions", body).status_code == 201
    [s] = api.get("progress/weekly").json()["suggestions"]
    assert (s["exercise"], s["to_sets"], s["to_target"]) == ("glute-bridge", 3, 12)
    api.patch(
        f"routines/{mine['id']}",
        {"items": [{"exercise": "glute-bridge", "sets": 3, "target": 12}]},
    )
    [s] = api.get("progress/weekly").json()["suggestions"]  # the kept answer is not served
    assert s["action"] == "hold" and s["to_target"] is None and "3×12" in s["message"]


# Names the system's zone files hold that are no place's time: the server's own clock, no time
# at all, and legacy abbreviations and aliases.
NOT_REGION_ZONES = ["localtime", "Factory", "posixrules", "EST", "EST5EDT", "GMT+0", "W-SU"]


@pytest.mark.parametrize("zone", NOT_REGION_ZONES)
def test_only_real_region_time_zones_are_accepted(api, anon, zone):
    response = api.patch("profile", {"timezone": zone})
    assert response.status_code == 422 and "timezone" in response.json()["errors"]
    assert api.get("profile").json()["timezone"] == "Europe/London"
    body = {"email": "zone@example.com", "password": "knee-friendly-Hips-2024", "timezone": zone}
    response = anon.post("auth/signup", body)
    assert response.status_code == 422 and "timezone" in response.json()["errors"]


@pytest.mark.parametrize(
    "zone", ["Europe/London", "America/Argentina/Buenos_Aires", "Asia/Calcutta", "UTC", "Etc/UTC"]
)
def test_region_zones_and_utc_are_accepted_as_browsers_report_them(api, zone):
    assert api.patch("profile", {"timezone": zone}).json()["timezone"] == zone


def test_the_schema_offers_only_the_zones_it_accepts(anon):
    schema = anon.get("openapi.json").json()
    zones = set(
        schema["components"]["schemas"]["ProfilePatch"]["properties"]["timezone"]["anyOf"][0][
            "enum"
        ]
    )
    assert "Europe/London" in zones and not zones & set(NOT_REGION_ZONES)
