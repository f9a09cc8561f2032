"""Exercise library, routines (starters read-only, copies editable) and the profile."""

import pytest
from django.test import Client

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
        {"exercise": "clamshell", "sets": 2, "target": 15, "per_side": True}
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
