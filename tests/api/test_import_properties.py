"""Property: any history, exported and imported into an empty account, comes back exactly; a
second import changes nothing."""

import itertools
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.test_session_properties import counted_set, timed_set
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
_accounts = itertools.count()

sessions = st.lists(
    st.fixed_dictionaries(
        {
            "sets": st.lists(st.one_of(counted_set, timed_set), max_size=6),
            "pain_during": st.none() | st.integers(0, 10),
            "pain_next_morning": st.none() | st.integers(0, 10),
            "notes": st.text(max_size=40).filter(lambda t: "\x00" not in t),
            "minutes_ago": st.integers(1, 60 * 24 * 400),
        }
    ),
    max_size=5,
)
checkins = st.lists(
    st.fixed_dictionaries(
        {
            "days_ago": st.integers(1, 400),
            "pain": st.integers(0, 10),
            "rest_day": st.booleans(),
            "red_flags": st.lists(
                st.sampled_from(["locking", "major_swelling", "after_injury"]), unique=True
            ),
        },
        optional={"stairs": st.integers(0, 10), "walking": st.integers(0, 10)},
    ),
    max_size=5,
    unique_by=lambda c: c["days_ago"],
)


def history_of(api) -> dict:
    data = api.get("export", format="json").json()
    return {"sessions": data["sessions"], "checkins": data["checkins"]}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(logged=sessions, answered=checkins)
def test_export_then_import_reproduces_every_session_set_and_checkin(db, logged, answered):
    n = next(_accounts)
    source, _ = signed_in(f"source{n}@example.com", timezone="UTC")
    now = datetime.now(UTC)
    for s in logged:
        body = {k: v for k, v in s.items() if k != "minutes_ago"}
        started = now - timedelta(minutes=s["minutes_ago"])
        body.update(client_id=str(uuid.uuid4()), started_at=started.isoformat())
        assert source.post("sessions", body).status_code == 201
    for c in answered:
        body = {k: v for k, v in c.items() if k != "days_ago"}
        day = date.today() - timedelta(days=c["days_ago"])
        body.update(client_id=str(uuid.uuid4()), date=day.isoformat())
        assert source.post("checkins", body).status_code == 201
    exported = source.get("export", format="json").json()

    target, _ = signed_in(f"target{n}@example.com", timezone="UTC")
    assert target.post("import", exported).status_code == 200
    assert history_of(target) == history_of(source)
    again = target.post("import", exported).json()
    assert again["sessions"]["created"] == 0 and again["checkins"]["created"] == 0
    assert history_of(target) == history_of(source)
