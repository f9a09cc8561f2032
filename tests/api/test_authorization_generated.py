"""Object-level authorization over every route and method, generated from the OpenAPI schema:
user B, signed in by cookie and by token, against each of user A's objects. A new endpoint with
an object in its path must name that object below, or this test fails, so none can forget the
check; and no answer B gets from any route ever carries A's data."""

import json
import re
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.test import Client

from tests.conftest import PASSWORD, Api, checkin_body, session_body
from tests.pushreceiver import PushReceiver, b64url
from tests.softauthenticator import SoftAuthenticator
from tracker.models import PushSubscription

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
    clearance_id = str(uuid.uuid4())  # her confirmation that a clinician has seen the knee
    assert api.post("checkins/clearance", {"client_id": clearance_id}).status_code == 201
    yield {
        "session_id": api.post("sessions", session_body(notes=MARKER)).json()["id"],
        "checkin_id": api.post("checkins", checkin_body()).json()["id"],
        "routine_id": routine["id"],
        "reminder_id": api.post("reminders", {"weekdays": [0], "time": "07:00"}).json()["id"],
        "token_id": api.post("auth/tokens", {"name": MARKER}).json()["id"],
        "subscription_id": api.post("push/subscriptions", subscription).json()["id"],
        "subscription": subscription,
        "share_id": api.post("report/shares", {}).json()["id"],
        "clearance_id": clearance_id,
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
    assert PushSubscription.objects.get(pk=alice_objects["subscription_id"]).user.email == (
        "alice@example.com"
    )
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


def aimed_at_alice(alice_user, bob_user):
    """Bodies for the writes that name no object in their path, aimed at Alice's account as
    closely as Bob can: her email, her reset link's uid with his own valid token, a change of
    email link of his own that asks for her address. (Both know the password PASSWORD.)"""
    from django.contrib.auth.tokens import default_token_generator
    from django.core import signing
    from django.utils.http import urlsafe_base64_encode

    from tracker.services.credentials import EMAIL_CHANGE_SALT

    change = {"user": bob_user.pk, "from": bob_user.email, "to": alice_user.email}
    return {
        "auth/login": {"email": alice_user.email, "password": "a-wrong-guess"},
        "auth/password-reset": {"email": alice_user.email},
        "auth/password-reset/confirm": {
            "uid": urlsafe_base64_encode(str(alice_user.pk).encode()),
            "token": default_token_generator.make_token(bob_user),
            "new_password": "taken-Over-2025",
        },
        # his own password, changed (to itself, so he can sign in again for the next call)
        "auth/password": {"current_password": PASSWORD, "new_password": PASSWORD},
        "auth/email": {"password": PASSWORD, "new_email": alice_user.email},
        "auth/email/confirm": {"token": signing.dumps(change, salt=EMAIL_CHANGE_SALT)},
        "account": {"password": "irrelevant-1"},
    }


def test_no_write_on_the_callers_own_account_reaches_another_account(alice, alice_objects, bob):
    """Every write without an object in its path acts on the caller (or, signed out, on what
    its body proves): Bob, signed in by cookie, aimed at Alice's account, changes nothing of
    hers, ends none of her sessions, and gets no mail about her."""
    from django.core import mail

    from tests.api.test_credentials import signed_in_again

    api, alice_user = alice
    bob_user = bob[1]
    before = api.get("export", format="json").json()
    bodies = aimed_at_alice(alice_user, bob_user)
    called = set()
    for path, method, _ in operations():
        if method == "get" or "{" in path:
            continue
        name = path.removeprefix("/api/v1/")
        bob_api = signed_in_again(bob_user.email)  # a fresh sign-in: some of these end it
        response = bob_api.request(method.upper(), name, bodies.get(name, {}))
        assert response.status_code < 500, (method, path, response.content)
        assert MARKER not in response.content.decode()
        called.add(name)

    after = api.get("export", format="json").json()
    before.pop("exported_at", None), after.pop("exported_at", None)
    assert after == before
    me = api.get("auth/me")
    assert me.status_code == 200 and me.json()["email"] == "alice@example.com"
    alice_user.refresh_from_db()
    assert alice_user.check_password(PASSWORD)
    assert len(api.get("auth/tokens").json()) == 1
    alice_uid = bodies["auth/password-reset/confirm"]["uid"]
    for message in mail.outbox:
        assert message.to == ["alice@example.com"] or alice_uid not in message.body
    assert {
        "auth/password-reset",
        "auth/password-reset/confirm",
        "auth/password",
        "auth/email",
        "auth/email/confirm",
        "auth/logout-all",
    } <= called


# Writes whose body names an object by what it is, not by id: a client_id the phone made, a
# push endpoint. Every POST without an id in its path is either listed here, with a body naming
# one of Alice's objects and the answers Bob may get, or acts only on the caller's own account.
CREATE_OWN_ONLY = {
    "/api/v1/auth/signup",
    "/api/v1/auth/login",
    "/api/v1/auth/logout",
    "/api/v1/auth/tokens",
    "/api/v1/routines",
    "/api/v1/reminders",
    "/api/v1/push/test",
    "/api/v1/calendar",
    "/api/v1/report/shares",
    "/api/v1/auth/logout-all",
    "/api/v1/auth/password",
    "/api/v1/auth/email",
    "/api/v1/auth/passkeys/register/options",
    "/api/v1/auth/passkeys/register",  # a new credential proves its own authenticator
    "/api/v1/auth/passkeys/login/options",
    "/api/v1/auth/passkeys/login",  # signs in whoever holds the passkey
    # a secret in the body stands for the account (a capability, as a share link's token)
    "/api/v1/auth/password-reset",
    "/api/v1/auth/password-reset/confirm",
    "/api/v1/auth/email/confirm",
}


def naming_alices_objects(api, alice_objects):
    session = api.get(f"sessions/{alice_objects['session_id']}").json()
    checkin = api.get(f"checkins/{alice_objects['checkin_id']}").json()
    bobs_point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    )
    bobs_keys = {"p256dh": b64url(bobs_point), "auth": b64url(b"\x08" * 16)}
    endpoint = alice_objects["subscription"]["endpoint"]
    same_session = session_body(client_id=session["client_id"], notes="hijacked")
    same_checkin = checkin_body(client_id=checkin["client_id"], pain=10)
    return {
        # the same endpoint with other keys: not Alice's browser, so refused
        "/api/v1/push/subscriptions": ({"endpoint": endpoint, "keys": bobs_keys}, {409}),
        # the same client_id: Bob's own session or check-in, Alice's untouched
        "/api/v1/sessions": (same_session, {200, 201}),
        "/api/v1/checkins": (same_checkin, {200, 201}),
        # the same confirmation id: Bob's own confirmation, Alice's kept as it was
        "/api/v1/checkins/clearance": (
            {"client_id": alice_objects["clearance_id"]},
            {200, 201},
        ),
        "/api/v1/import": (
            {
                "format": "hip2knee-export",
                "version": 1,
                "sessions": [same_session],
                "checkins": [same_checkin],
            },
            {200},
        ),
    }


def test_no_write_reaches_another_users_object_named_in_its_body(api, alice_objects, bob):
    before = api.get("export", format="json").json()
    cases = naming_alices_objects(api, alice_objects)
    posts = {path for path, method, _ in operations() if method == "post" and "{" not in path}
    assert posts <= set(cases) | CREATE_OWN_ONLY, sorted(posts - set(cases) - CREATE_OWN_ONLY)
    for path, (body, statuses) in cases.items():
        for how, client in bob_clients(bob).items():
            response = client.post(path, body)
            assert response.status_code in statuses, (how, path, response.content)
            assert MARKER not in response.content.decode()
    after = api.get("export", format="json").json()
    before.pop("exported_at", None), after.pop("exported_at", None)
    assert after == before
    subscription = PushSubscription.objects.get(pk=alice_objects["subscription_id"])
    assert (subscription.user.email, subscription.auth) == (
        "alice@example.com",
        alice_objects["subscription"]["keys"]["auth"],
    )
    # Alice can still remove her phone's subscription
    assert api.delete(f"push/subscriptions/{alice_objects['subscription_id']}").status_code == 204
