"""Signing up, in and out; CSRF for cookies; personal tokens; throttled failed logins."""

import hashlib

import pytest
from django.test import Client

from tests.conftest import PASSWORD, Api, signed_in
from tracker.models import ApiToken, User

pytestmark = pytest.mark.django_db


def test_csrf_endpoint_sets_the_cookie(anon):
    response = anon.client.get("/api/v1/auth/csrf")
    assert response.status_code == 200
    assert response.json()["csrftoken"]
    assert "csrftoken" in response.cookies


def test_signup_creates_the_user_logs_them_in_and_keeps_their_time_zone(anon):
    response = anon.post(
        "auth/signup", {"email": "New@Example.com", "password": PASSWORD, "timezone": "Asia/Tokyo"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "new@example.com" and body["id"]
    me = anon.get("auth/me").json()
    assert me == {
        "id": body["id"],
        "email": "new@example.com",
        "timezone": "Asia/Tokyo",
        "weekly_target": 3,
        "units": "kg",
    }


def test_passwords_are_hashed_with_argon2(anon):
    anon.post("auth/signup", {"email": "a@example.com", "password": PASSWORD})
    stored = User.objects.get(email="a@example.com").password
    assert stored.startswith("argon2$") and PASSWORD not in stored


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-email", "password": PASSWORD}, "email"),
        ({"email": "a@example.com", "password": "short"}, "password"),
        ({"email": "a@example.com", "password": "password123"}, "password"),
        ({"email": "a@example.com", "password": PASSWORD, "timezone": "Mars/Olympus"}, "timezone"),
        ({"email": "a@example.com", "password": PASSWORD, "timezone": "\x00"}, "timezone"),
        ({"password": PASSWORD}, "email"),
    ],
)
def test_bad_signups_answer_422_naming_the_field_and_create_nobody(anon, body, field):
    response = anon.post("auth/signup", body)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert not User.objects.exists()


def test_a_short_password_is_refused_in_a_sentence(anon):
    response = anon.post("auth/signup", {"email": "a@example.com", "password": "kneesok"})
    assert response.status_code == 422
    assert response.json()["errors"]["password"] == "Use at least 8 characters."


def test_an_unknown_time_zone_is_refused_in_a_sentence(anon):
    body = {"email": "a@example.com", "password": PASSWORD, "timezone": "Mars/Olympus"}
    message = anon.post("auth/signup", body).json()["errors"]["timezone"]
    assert message.startswith("Unknown time zone 'Mars/Olympus'.") and message.endswith(".")


def test_second_signup_with_same_email_in_other_case_is_a_conflict(anon):
    anon.post("auth/signup", {"email": "dup@example.com", "password": PASSWORD})
    response = Api().post("auth/signup", {"email": "DUP@example.com", "password": PASSWORD})
    assert response.status_code == 409
    assert "email" in response.json()["errors"]
    assert User.objects.count() == 1


def test_cookie_writes_without_the_csrf_token_are_refused(alice):
    api, _ = alice
    response = api.client.post(
        "/api/v1/sessions", {"client_id": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_signup_and_login_need_the_csrf_token_too():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/auth/signup",
        {"email": "c@example.com", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not User.objects.exists()
    signed_in("c@example.com")
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/auth/login",
        {"email": "c@example.com", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_without_any_credentials_the_answer_is_401_not_a_csrf_error():
    client = Client(enforce_csrf_checks=True)
    assert client.get("/api/v1/auth/me").status_code == 401
    response = client.post("/api/v1/sessions", {}, content_type="application/json")
    assert response.status_code == 401
    assert "Sign in" in response.json()["detail"]


def test_login_and_logout(alice):
    _, user = alice
    api = Api()
    response = api.post("auth/login", {"email": "ALICE@example.com", "password": PASSWORD})
    assert response.status_code == 200 and response.json()["id"] == user.id
    assert api.get("auth/me").status_code == 200
    assert api.post("auth/logout").status_code == 204
    assert api.get("auth/me").status_code == 401


def test_wrong_password_is_401_with_a_message(alice):
    response = Api().post("auth/login", {"email": "alice@example.com", "password": "nope-nope"})
    assert response.status_code == 401
    assert response.json()["detail"]


def test_repeated_failed_logins_are_throttled_with_retry_after(alice, settings):
    api = Api()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = api.post("auth/login", {"email": "alice@example.com", "password": "wrong!"})
        assert response.status_code == 401
    response = api.post("auth/login", {"email": "alice@example.com", "password": "wrong!"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response["Content-Type"].startswith("application/json")
    # Even the right password waits for the cool-off from this address.
    response = api.post("auth/login", {"email": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 429
    # Another address can still sign in: a stranger cannot lock the owner out everywhere.
    other = Api()
    other.client.defaults["REMOTE_ADDR"] = "10.0.0.9"
    response = other.post("auth/login", {"email": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 200


def test_a_token_is_shown_once_stored_hashed_and_works_without_cookies_or_csrf(api):
    response = api.post("auth/tokens", {"name": "my script"})
    assert response.status_code == 201
    body = response.json()
    raw = body["token"]
    stored = ApiToken.objects.get(pk=body["id"])
    assert stored.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in (stored.digest, stored.prefix)
    listed = api.get("auth/tokens").json()
    assert listed[0]["name"] == "my script" and "token" not in listed[0]

    script = Client()  # no cookies, no CSRF token
    headers = {"Authorization": f"Bearer {raw}"}
    assert script.get("/api/v1/auth/me", headers=headers).json()["email"] == "alice@example.com"
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/api/v1/auth/tokens", {"name": "second"}, content_type="application/json", headers=headers
    )
    assert response.status_code == 201


def test_a_deleted_or_wrong_token_no_longer_authenticates(api):
    body = api.post("auth/tokens", {"name": "old"}).json()
    headers = {"Authorization": f"Bearer {body['token']}"}
    assert api.delete(f"auth/tokens/{body['id']}").status_code == 204
    assert Client().get("/api/v1/auth/me", headers=headers).status_code == 401
    bad = {"Authorization": "Bearer h2k_not-a-real-token"}
    assert Client().get("/api/v1/auth/me", headers=bad).status_code == 401
