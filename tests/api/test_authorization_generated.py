"""Object-level authorization over every route and method, generated from the OpenAPI schema:
user B, signed in by cookie and by token, against each of user A's objects. A new endpoint with
an object in its path must name that object below, or this test fails, so none can forget the
check; and no answer B gets from any route ever carries A's data."""

import json
import re

import pytest
from django.test import Client

from tests.conftest import Api, checkin_body, session_body
from tests.pushreceiver import PushReceiver
from tests.softauthenticator import SoftAuthenticator

pytestmark = pytest.mark.django_db
MARKER = "alice-private-7f3c"  # written into everything Alice owns that has free text
# bodies for B's writes: valid in shape, so a 404 means "not yours", not "bad input"
BODIES = {
    "patch": {
        "sessions": {"notes": "hijacked", "pain_during": 9},
        "checkins": {"pain": 10},
        "routines": {"name": "hijacked"},
        "reminders": {"enabled": False},
    },
    "post": {"reminders": {}},
    "delete": {"account": {"password": "irrelevant-1"}},
}


@pytest.fixture
def alice_objects(api, settings):
    receiver = PushReceiver().start()  # only for a well-formed subscription; nothing is sent
    settings.PUSH_ENDPOINT_ALLOW = [f"{receiver.origin}/push/"]
    starter = next(r for r in api.get("routines").json() if r["starter"])
    routine = api.post("routines", {"copy_of": starter["id"], "name": MARKER}).json()
    subscription = receiver.subscription("alice")
    passkey_options = api.post("auth/passkeys/register/options").json()
    passkey = SoftAuthenticator(origin=settings.SITE_URL).create(passkey_options)
    yield {
        "session_id": api.post("sessions", session_body(notes=MARKER)).json()["id"],
        "checkin_id": api.post("checkins", checkin_body()).json()["id"],
        "routine_id": routine["id"],
        "reminder_id": api.post("reminders", {"weekdays": [0], "time": "07:00"}).json()["id"],
        "token_id": api.post("auth/tokens", {"name": MARKER}).json()["id"],
        "subscription_id": api.post("push/subscriptions", subscription).json()["id"],
        "share_id": api.post("report/shares", {}).json()["id"],
        "passkey_id": api.post(
            "auth/passkeys/register", {"name": MARKER, "credential": passkey}
        ).json()["id"],
    }
    receiver.stop()


def operations():
    schema = Client().get("/api/v1/openapi.json").json()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


# path parameters that name no user's object: the public exercise library, and a share link's
# secret (a capability, tested in test_report.py)
NOT_OWNED = {"slug", "token"}


def owned_path(path, ids):
    """The path with Alice's ids in it, or None when it names no object of hers."""
    names = re.findall(r"{(\w+)}", path)
    if not names:
        return None
    if set(names) <= NOT_OWNED:
        return None
    missing = [n for n in names if n not in ids]
    assert not missing, f"{path}: add an object of Alice's for {missing} to alice_objects"
    return re.sub(r"{(\w+)}", lambda m: str(ids[m.group(1)]), path)


def bob_clients(bob):
    cookie_api = bob[0]
    token = cookie_api.post("auth/tokens", {"name": "bob"}).json()["token"]
    return {"cookie": cookie_api, "bearer": Api(token=token)}


def test_every_route_with_an_object_answers_404_to_another_user(api, alice_objects, bob):
    before = api.get("export", format="json").json()
    checked = set()
    for path, method, _ in operations():
        url = owned_path(path, alice_objects)
        if url is None:
            continue
        kind = path.removeprefix("/api/v1/").split("/")[0]
        body = BODIES.get(method, {}).get(kind, {}) if method != "get" else None
        for how, client in bob_clients(bob).items():
            response = client.request(method.upper(), url, body)
            assert response.status_code == 404, (how, method, url, response.content)
            assert MARKER not in response.content.decode()
        checked.add((method, path))
    # everything of Alice's is still there, unchanged
    after = api.get("export", format="json").json()
    before.pop("exported_at", None), after.pop("exported_at", None)
    assert after == before
    assert api.get("reminders").json()[0]["enabled"] is True
    assert len(api.get("auth/tokens").json()) == 1 and len(api.get("report/shares").json()) == 1
    assert len(api.get("auth/passkeys").json()) == 1
    assert len(checked) >= 17, sorted(checked)  # all 17 today: a route dropped would show


def test_no_read_of_any_route_shows_another_users_data(api, alice_objects, bob):
    bob_api = bob[0]
    bob_api.post("sessions", session_body())
    alices = {
        alice_objects[n]
        for n in ("session_id", "checkin_id", "reminder_id", "token_id", "passkey_id")
    }
    read = 0
    for path, method, _ in operations():
        if method != "get" or "{" in path:
            continue
        query = {"format": "json"} if path.endswith("/export") else {}
        response = bob_api.get(path, **query)
        assert response.status_code == 200, (path, response.status_code)
        text = response.content.decode()
        assert MARKER not in text and "alice@example.com" not in text, path
        data = json.loads(text)
        items = data.get("items", data) if isinstance(data, dict) else data
        if isinstance(items, list) and not path.endswith(("/exercises", "/routines")):
            assert not alices & {i.get("id") for i in items if isinstance(i, dict)}, path
        read += 1
    assert read >= 12
