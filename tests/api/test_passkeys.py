"""Passkeys over the API, with a software authenticator (tests/softauthenticator.py) in place of a
phone: adding one, signing in with it, removing it, and every answer that must be refused."""

import cbor2
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from tests.conftest import Api
from tests.softauthenticator import SoftAuthenticator, b64url, unb64url
from tracker.models import Passkey, PasskeyChallenge

pytestmark = pytest.mark.django_db
SITE = "https://hip2knee.example"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def phone():
    return SoftAuthenticator(origin=SITE)


def add_passkey(api, phone, name="My phone", **create):
    options = api.post("auth/passkeys/register/options").json()
    return api.post(
        "auth/passkeys/register", {"name": name, "credential": phone.create(options, **create)}
    )


def sign_in_with(phone, client=None, **get):
    client = client or Api()
    options = client.post("auth/passkeys/login/options").json()
    return client, client.post("auth/passkeys/login", {"credential": phone.get(options, **get)})


def test_a_passkey_added_while_signed_in_signs_in_later_without_a_password(alice, phone):
    api, user = alice
    added = add_passkey(api, phone)
    assert added.status_code == 201, added.content
    listed = api.get("auth/passkeys").json()
    assert [(p["name"], p["last_used_at"]) for p in listed] == [("My phone", None)]
    assert listed[0]["created_at"] and listed[0]["id"] == added.json()["id"]

    client, response = sign_in_with(phone)  # another browser, nobody signed in
    assert response.status_code == 200, response.content
    assert response.json() == {"id": user.id, "email": "alice@example.com"}
    assert client.get("auth/me").json()["email"] == "alice@example.com"
    assert api.get("auth/passkeys").json()[0]["last_used_at"] is not None


def test_options_come_from_site_url_and_ask_for_a_discoverable_verified_passkey(api, phone):
    add_passkey(api, phone)
    options = api.post("auth/passkeys/register/options").json()
    assert options["rp"] == {"id": "hip2knee.example", "name": "Hip2Knee"}
    assert options["user"]["name"] == "alice@example.com"
    assert options["user"]["id"] != b64url(b"alice@example.com")
    assert options["authenticatorSelection"]["residentKey"] == "required"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    # the passkey already added is not made twice on the same phone
    assert [c["id"] for c in options["excludeCredentials"]] == [b64url(phone.credentials[0].id)]
    login = Api().post("auth/passkeys/login/options").json()
    assert login["rpId"] == "hip2knee.example"
    assert login["allowCredentials"] == [] and login["userVerification"] == "required"
    assert login["challenge"] != options["challenge"]


def test_an_answer_to_a_challenge_never_handed_out_adds_nothing(api, phone):
    api.post("auth/passkeys/register/options")
    options = api.post("auth/passkeys/register/options").json()
    answer = phone.create(options, challenge=b64url(b"made-up-challenge-" * 3))
    response = api.post("auth/passkeys/register", {"credential": answer})
    assert response.status_code == 422
    assert "expired or was already used" in response.json()["detail"]
    assert not Passkey.objects.exists()


def test_an_answer_from_another_origin_adds_nothing_and_signs_nobody_in(api, phone):
    response = add_passkey(api, phone, origin="https://hip2knee.example.evil.test")
    assert response.status_code == 422
    assert "origin" in response.json()["errors"]["credential"]
    assert not Passkey.objects.exists()

    assert add_passkey(api, phone).status_code == 201
    client, response = sign_in_with(phone, origin="http://hip2knee.example")
    assert response.status_code == 401
    assert "origin" in response.json()["errors"]["credential"]
    assert client.get("auth/me").status_code == 401


def test_a_passkey_for_another_site_is_refused(api, phone):
    options = api.post("auth/passkeys/register/options").json()
    options["rp"]["id"] = "elsewhere.example"  # the phone signs for another relying party
    response = api.post("auth/passkeys/register", {"credential": phone.create(options)})
    assert response.status_code == 422 and not Passkey.objects.exists()


def test_a_person_not_verified_on_the_phone_is_refused(api, phone):
    assert add_passkey(api, phone, verified=False).status_code == 422
    assert add_passkey(api, phone).status_code == 201
    client, response = sign_in_with(phone, verified=False)
    assert response.status_code == 401 and client.get("auth/me").status_code == 401


def test_each_challenge_is_answered_once(api, phone):
    options = api.post("auth/passkeys/register/options").json()
    answer = phone.create(options)
    assert api.post("auth/passkeys/register", {"credential": answer}).status_code == 201
    again = api.post("auth/passkeys/register", {"credential": answer})
    assert again.status_code == 422 and Passkey.objects.count() == 1

    client = Api()
    login = client.post("auth/passkeys/login/options").json()
    signed = phone.get(login)
    assert client.post("auth/passkeys/login", {"credential": signed}).status_code == 200
    replay = Api()
    response = replay.post("auth/passkeys/login", {"credential": signed})
    assert response.status_code == 401 and replay.get("auth/me").status_code == 401


def test_a_wrong_answer_uses_up_its_challenge_too(api, phone):
    add_passkey(api, phone)
    client = Api()
    options = client.post("auth/passkeys/login/options").json()
    bad = phone.get(options, origin="https://evil.test")
    assert client.post("auth/passkeys/login", {"credential": bad}).status_code == 401
    good = phone.get(options)  # the same challenge, now correctly signed
    assert client.post("auth/passkeys/login", {"credential": good}).status_code == 401


def test_an_expired_challenge_is_refused(api, phone):
    from datetime import timedelta

    from django.utils import timezone

    add_passkey(api, phone)
    client = Api()
    options = client.post("auth/passkeys/login/options").json()
    PasskeyChallenge.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post("auth/passkeys/login", {"credential": phone.get(options)})
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_a_signature_count_that_does_not_go_up_is_refused(api, phone):
    """A count at or below the last one means a copy of the passkey is in use somewhere."""
    add_passkey(api, phone)
    assert sign_in_with(phone, sign_count=5)[1].status_code == 200
    for replayed in (5, 3):
        client, response = sign_in_with(phone, sign_count=replayed)
        assert response.status_code == 401, replayed
        assert "count" in response.json()["errors"]["credential"]
        assert client.get("auth/me").status_code == 401
    assert Passkey.objects.get().sign_count == 5
    assert sign_in_with(phone, sign_count=6)[1].status_code == 200


def test_another_key_claiming_a_users_passkey_signs_nobody_in(alice, bob, phone):
    add_passkey(alice[0], phone)
    intruder = SoftAuthenticator(origin=SITE)
    add_passkey(bob[0], intruder)
    # the intruder's own key, presenting Alice's credential id and user handle
    intruder.credentials[0].user_handle = phone.credentials[0].user_handle
    client, response = sign_in_with(intruder, claim_id=phone.credentials[0].id)
    assert response.status_code == 401
    assert client.get("auth/me").status_code == 401


def test_a_passkey_handed_to_another_users_challenge_adds_nothing(alice, bob, phone):
    options = alice[0].post("auth/passkeys/register/options").json()
    response = bob[0].post("auth/passkeys/register", {"credential": phone.create(options)})
    assert response.status_code == 422 and not Passkey.objects.exists()


def test_the_same_passkey_cannot_be_added_twice(api, phone):
    add_passkey(api, phone)
    response = add_passkey(api, phone, reuse=phone.credentials[0])
    assert response.status_code == 409 and Passkey.objects.count() == 1


def test_removing_another_users_passkey_answers_404_and_keeps_it(alice, bob, phone):
    add_passkey(alice[0], phone)
    alices = alice[0].get("auth/passkeys").json()[0]["id"]
    assert bob[0].delete(f"auth/passkeys/{alices}").status_code == 404
    assert bob[0].delete("auth/passkeys/999999").status_code == 404
    assert [p["id"] for p in alice[0].get("auth/passkeys").json()] == [alices]
    assert bob[0].get("auth/passkeys").json() == []
    assert sign_in_with(phone)[1].status_code == 200


def test_a_removed_passkey_signs_nobody_in(api, phone):
    passkey_id = add_passkey(api, phone).json()["id"]
    assert api.delete(f"auth/passkeys/{passkey_id}").status_code == 204
    assert api.get("auth/passkeys").json() == []
    _, response = sign_in_with(phone)
    assert response.status_code == 401
    assert "removed" in response.json()["detail"]


def test_adding_a_passkey_needs_a_signed_in_user(anon, phone):
    assert anon.post("auth/passkeys/register/options").status_code == 401
    assert anon.get("auth/passkeys").status_code == 401


@pytest.mark.parametrize(
    "broken",
    [
        {"type": "password"},
        {"id": "not base64url!"},
        {"response": {"clientDataJSON": "e30", "authenticatorData": "AA"}},
        {"response": {"clientDataJSON": "@@", "authenticatorData": "AA", "signature": "AA"}},
    ],
)
def test_malformed_sign_in_answers_are_4xx_with_the_field(phone, api, broken):
    add_passkey(api, phone)
    client = Api()
    options = client.post("auth/passkeys/login/options").json()
    response = client.post("auth/passkeys/login", {"credential": {**phone.get(options), **broken}})
    assert response.status_code == 422
    assert any(field.startswith("credential") for field in response.json()["errors"])


def test_unreadable_answers_with_a_valid_shape_are_refused_not_errors(api, phone):
    add_passkey(api, phone)
    client = Api()
    options = client.post("auth/passkeys/login/options").json()
    answer = phone.get(options)
    answer["response"]["authenticatorData"] = "AAAA"  # too short to hold anything
    assert client.post("auth/passkeys/login", {"credential": answer}).status_code == 401
    options = client.post("auth/passkeys/login/options").json()
    answer = phone.get(options)
    answer["response"]["signature"] = b64url(b"\x30\x02\x00")  # not a DER signature
    assert client.post("auth/passkeys/login", {"credential": answer}).status_code == 401


def test_deleting_the_account_deletes_its_passkeys(api, phone):
    add_passkey(api, phone)
    from tests.conftest import PASSWORD

    assert api.delete("account", {"password": PASSWORD}).status_code == 204
    assert not Passkey.objects.exists()
    assert sign_in_with(phone)[1].status_code == 401


# --- anything at all in an answer: refused with a 4xx, never an error -------------------------
cbor_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**64), 2**64) | st.binary(max_size=80)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.integers(-5, 5) | st.text(max_size=8), inner, max_size=4
    ),
    max_leaves=12,
)  # fmt: skip
garbage = st.binary(min_size=1, max_size=300) | cbor_values.map(cbor2.dumps)


@hyp_settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(field=st.sampled_from(["authenticatorData", "signature", "userHandle"]), data=garbage)
def test_any_bytes_in_a_sign_in_answer_are_refused(api, phone, field, data):
    if not phone.credentials:
        add_passkey(api, phone)
    client = Api()
    options = client.post("auth/passkeys/login/options").json()
    answer = phone.get(options)
    answer["response"][field] = b64url(data)
    response = client.post("auth/passkeys/login", {"credential": answer})
    assert response.status_code in (401, 422), response.content
    assert client.get("auth/me").status_code == 401


@hyp_settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=garbage, as_auth_data=st.booleans())
def test_any_bytes_in_a_new_passkey_are_refused(api, phone, data, as_auth_data):
    options = api.post("auth/passkeys/register/options").json()
    answer = phone.create(options)
    if as_auth_data:  # well-formed CBOR around authenticator data that is not
        attestation = {"fmt": "none", "attStmt": {}, "authData": data}
        answer["response"]["attestationObject"] = b64url(cbor2.dumps(attestation))
    else:
        answer["response"]["attestationObject"] = b64url(data)
    response = api.post("auth/passkeys/register", {"credential": answer})
    assert response.status_code == 422, response.content
    assert not Passkey.objects.exists()


def test_passkey_sign_in_attempts_count_against_the_sign_in_throttle(api, phone, settings):
    from django.core.cache import cache

    add_passkey(api, phone)
    cache.clear()
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "login": "3/10m"}
    client = Api()
    options = client.post("auth/passkeys/login/options").json()  # 1
    wrong = phone.get(options, origin="https://evil.test")
    assert client.post("auth/passkeys/login", {"credential": wrong}).status_code == 401  # 2
    assert client.post("auth/passkeys/login/options").status_code == 200  # 3
    refused = client.post("auth/passkeys/login/options")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    before = PasskeyChallenge.objects.count()
    assert client.post("auth/passkeys/login/options").status_code == 429
    assert PasskeyChallenge.objects.count() == before  # a refused request keeps nothing
    cache.clear()


@hyp_settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    fmt=st.sampled_from(["packed", "tpm", "android-key", "android-safetynet", "fido-u2f", "apple"]),
    statement=st.dictionaries(
        st.sampled_from(["alg", "sig", "x5c", "ver", "response", "certInfo", "pubArea"]),
        cbor_values | st.lists(st.binary(max_size=200), max_size=3),
        max_size=5,
    ),
)
def test_any_attestation_statement_is_refused_not_an_error(api, phone, fmt, statement):
    options = api.post("auth/passkeys/register/options").json()
    answer = phone.create(options)
    attestation = cbor2.loads(unb64url(answer["response"]["attestationObject"]))
    attestation.update(fmt=fmt, attStmt=statement)
    answer["response"]["attestationObject"] = b64url(cbor2.dumps(attestation))
    response = api.post("auth/passkeys/register", {"credential": answer})
    assert response.status_code == 422, response.content
    assert not Passkey.objects.exists()


def test_deeply_nested_client_data_is_refused(api, phone):
    add_passkey(api, phone)
    client = Api()
    client.post("auth/passkeys/login/options")
    answer = phone.get({"rpId": "hip2knee.example", "challenge": "AAAA"})
    answer["response"]["clientDataJSON"] = b64url(b"[" * 5000)
    response = client.post("auth/passkeys/login", {"credential": answer})
    assert response.status_code == 401
