"""Property: any valid session a client sends is stored once and read back as sent."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Api
from tracker.models import WorkoutSession

pytestmark = pytest.mark.django_db

COUNTED = ["glute-bridge", "clamshell", "single-leg-rdl", "lateral-band-walk", "hip-90-90"]
TIMED = ["hip-flexor-stretch", "figure-four-stretch", "foam-rolling"]

counted_set = st.fixed_dictionaries(
    {
        "exercise": st.sampled_from(COUNTED),
        "side": st.sampled_from(["left", "right", "both"]),
        "reps": st.integers(1, 1000),
        "felt_in_knee": st.booleans(),
    },
    optional={
        "band": st.sampled_from(["yellow", "red", "green", "blue", "black"]),
        "load_kg": st.decimals(0, 500, places=2).map(float),
    },
)
timed_set = st.fixed_dictionaries(
    {
        "exercise": st.sampled_from(TIMED),
        "side": st.sampled_from(["left", "right", "both"]),
        "seconds": st.integers(1, 3600),
        "felt_in_knee": st.booleans(),
    }
)
sessions = st.fixed_dictionaries(
    {
        "sets": st.lists(st.one_of(counted_set, timed_set), max_size=25),
        "pain_during": st.none() | st.integers(0, 10),
        "pain_next_morning": st.none() | st.integers(0, 10),
        "notes": st.text(max_size=200).filter(lambda t: "\x00" not in t),
        "hours_ago": st.integers(0, 24 * 365 * 5),
        "offset_minutes": st.sampled_from([-600, -300, 0, 60, 330, 765]),
    }
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=sessions)
def test_any_valid_session_round_trips_and_a_repeat_changes_nothing(api: Api, case: dict):
    from datetime import timezone as tz

    offset = tz(timedelta(minutes=case["offset_minutes"]))
    started = (datetime.now(UTC) - timedelta(hours=case["hours_ago"])).astimezone(offset)
    body = {
        "client_id": str(uuid.uuid4()),
        "started_at": started.isoformat(),
        "sets": case["sets"],
        "pain_during": case["pain_during"],
        "pain_next_morning": case["pain_next_morning"],
        "notes": case["notes"],
    }
    before = WorkoutSession.objects.count()
    created = api.post("sessions", body)
    assert created.status_code == 201, created.content
    stored = api.get(f"sessions/{created.json()['id']}").json()
    assert stored == created.json()
    expected_sets = [
        {
            "side": "both",
            "reps": None,
            "seconds": None,
            "load_kg": None,
            "band": None,
            "felt_in_knee": False,
            **s,
        }
        for s in case["sets"]
    ]
    assert stored["sets"] == expected_sets
    assert datetime.fromisoformat(stored["started_at"]) == started.replace(
        microsecond=started.microsecond
    )
    assert (stored["pain_during"], stored["notes"]) == (case["pain_during"], case["notes"])
    again = api.post("sessions", body)
    assert again.status_code == 200 and again.json() == stored
    assert WorkoutSession.objects.count() == before + 1
