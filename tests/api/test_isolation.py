"""No user ever sees or changes another's data: every method on every object answers 404."""

import pytest

from tests.conftest import Api, checkin_body, session_body
from tracker.models import ApiToken, CheckIn, Routine, WorkoutSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices_things(api):
    starter = next(r for r in api.get("routines").json() if r["starter"])
    return {
        "sessions": api.post("sessions", session_body()).json(),
        "checkins": api.post("checkins", checkin_body()).json(),
        "routines": api.post("routines", {"copy_of": starter["id"]}).json(),
        "auth/tokens": api.post("auth/tokens", {"name": "alice's"}).json(),
    }


PATCHES = {
    "sessions": {"notes": "hijacked", "pain_during": 9},
    "checkins": {"pain": 10},
    "routines": {"name": "hijacked"},
    "auth/tokens": {"name": "hijacked"},
}
MODELS = {
    "sessions": WorkoutSession,
    "checkins": CheckIn,
    "routines": Routine,
    "auth/tokens": ApiToken,
}


def bob_clients(bob):
    cookie_api = bob[0]
    token = cookie_api.post("auth/tokens", {"name": "bob"}).json()["token"]
    return {"cookie": cookie_api, "bearer": Api(token=token)}


@pytest.mark.parametrize("kind", ["sessions", "checkins", "routines", "auth/tokens"])
def test_another_users_object_is_404_for_every_method(alices_things, bob, kind):
    target = alices_things[kind]
    model = MODELS[kind]
    before = model.objects.filter(pk=target["id"]).values().get()
    for how, client in bob_clients(bob).items():
        url = f"{kind}/{target['id']}"
        if kind != "auth/tokens":
            assert client.get(url).status_code == 404, (how, "GET", kind)
            assert client.patch(url, PATCHES[kind]).status_code == 404, (how, "PATCH", kind)
        assert client.delete(url).status_code == 404, (how, "DELETE", kind)
    assert model.objects.filter(pk=target["id"]).values().get() == before


def test_lists_export_and_progress_show_only_ones_own(alices_things, bob):
    client = bob[0]
    assert client.get("sessions").json()["count"] == 0
    assert client.get("checkins").json()["count"] == 0
    assert all(r["starter"] for r in client.get("routines").json())
    assert [t["name"] for t in client.get("auth/tokens").json()] == []
    exported = client.get("export", format="json").json()
    assert exported["sessions"] == [] and exported["checkins"] == [] and exported["routines"] == []
    assert "alice" not in client.get("export", format="csv").content.decode()


def test_referencing_another_users_routine_in_a_body_is_404(alices_things, bob):
    alices_routine = alices_things["routines"]["id"]
    client = bob[0]
    assert client.post("sessions", session_body(routine=alices_routine)).status_code == 404
    assert client.post("routines", {"copy_of": alices_routine}).status_code == 404
    mine = client.post("sessions", session_body()).json()
    response = client.patch(f"sessions/{mine['id']}", {"routine": alices_routine})
    assert response.status_code == 404
    assert WorkoutSession.objects.get(pk=mine["id"]).routine_id is None


def test_a_client_id_alice_used_does_not_reveal_her_session_to_bob(alices_things, bob):
    alices = alices_things["sessions"]
    response = bob[0].post("sessions", session_body(client_id=alices["client_id"]))
    assert response.status_code == 201
    assert response.json()["id"] != alices["id"]
    assert response.json()["notes"] == "felt strong"  # his own body, not her notes
