"""Each exercise's dose in the library answer: how a rep is paced, how long to rest between sets
(longer for strength than for mobility) and, where a band is used, which band to start with."""

import pytest
from django.test import Client

from tracker import library
from tracker.rules import vocabulary as vocab

pytestmark = pytest.mark.django_db


def exercises() -> dict[str, dict]:
    response = Client().get("/api/v1/exercises")
    assert response.status_code == 200
    return {e["slug"]: e for e in response.json()}


def test_the_library_answer_gives_tempo_rest_and_starting_band():
    by_slug = exercises()
    bridge = by_slug["glute-bridge"]
    assert bridge["tempo"] == "2 s up, hold 2 s, 3 s down"
    assert bridge["rest_seconds"] == 60 and bridge["starting_band"] is None
    assert by_slug["banded-clamshell"]["starting_band"] == vocab.BANDS[0]  # the lightest
    assert by_slug["lateral-band-walk"]["starting_band"] == vocab.BANDS[0]
    assert by_slug["hip-flexor-stretch"]["tempo"] == ""  # a hold has no tempo


def test_strength_rests_45_to_90_s_and_mobility_rests_less():
    by_slug = exercises()
    strength = [e["rest_seconds"] for e in by_slug.values() if e["category"] == "strength"]
    other = [e["rest_seconds"] for e in by_slug.values() if e["category"] != "strength"]
    assert strength and all(45 <= rest <= 90 for rest in strength)
    assert other and max(other) < min(strength)


def test_the_answer_is_the_library_as_written():
    by_slug = exercises()
    for data in library.EXERCISES:
        served = by_slug[data["slug"]]
        assert (served["tempo"], served["rest_seconds"], served["starting_band"]) == (
            data["tempo"],
            data["rest_seconds"],
            data["starting_band"] or None,
        )


def test_the_schema_describes_the_dose_fields():
    schema = Client().get("/api/v1/openapi.json").json()
    fields = schema["components"]["schemas"]["ExerciseOut"]["properties"]
    for name in ("tempo", "rest_seconds", "starting_band"):
        assert fields[name].get("description"), name
