"""Sign-up, sign-in, token creation and the password check are throttled: 429 with Retry-After,
and nothing stored by a refused request."""

import pytest
from django.core import mail
from django.core.cache import cache

from tests.conftest import PASSWORD, Api
from tracker.models import ApiToken, User


@pytest.fixture
def rates(settings):
    cache.clear()
    settings.THROTTLE_RATES = {
        "signup": "3/h",
        "login": "4/10m",
        "tokens": "2/h",
        "password": "2/15m",
        "reset": "3/h",
        "reset_email": "2/h",
    }
    yield settings.THROTTLE_RATES
    cache.clear()


def assert_throttled(response, *, at_most_seconds):
    assert response.status_code == 429, response.content
    assert 0 < int(response["Retry-After"]) <= at_most_seconds
    assert "Too many attempts" in response.json()["detail"]


def test_signups_from_one_address_are_throttled(db, rates):
    api = Api()
    for n in range(3):
        body = {"email": f"u{n}@example.com", "password": PASSWORD}
        assert Api().post("auth/signup", body).status_code == 201
    refused = api.post("auth/signup", {"email": "u9@example.com", "password": PASSWORD})
    assert_throttled(refused, at_most_seconds=3600)
    assert not User.objects.filter(email="u9@example.com").exists()
    # another address is not affected
    other = Api()
    other.client.defaults["REMOTE_ADDR"] = "203.0.113.9"
    body = {"email": "u10@example.com", "password": PASSWORD}
    assert other.post("auth/signup", body).status_code == 201


def test_forged_forwarded_for_headers_do_not_reset_the_count(db, rates):
    for n in range(4):
        response = Api().post(
            "auth/signup",
            {"email": f"f{n}@example.com", "password": PASSWORD},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
        )
    assert response.status_code == 429


def test_sign_in_attempts_from_one_address_are_throttled_across_accounts(db, rates):
    api = Api()
    for n in range(4):
        response = api.post("auth/login", {"email": f"nobody{n}@example.com", "password": "x"})
        assert response.status_code == 401
    assert_throttled(
        api.post("auth/login", {"email": "nobody9@example.com", "password": "x"}),
        at_most_seconds=600,
    )


def test_token_creation_is_throttled_per_user(alice, bob, rates):
    api, user = alice
    assert api.post("auth/tokens", {"name": "one"}).status_code == 201
    assert api.post("auth/tokens", {"name": "two"}).status_code == 201
    assert_throttled(api.post("auth/tokens", {"name": "three"}), at_most_seconds=3600)
    assert ApiToken.objects.filter(user=user).count() == 2
    assert bob[0].post("auth/tokens", {"name": "bob's"}).status_code == 201


def test_password_checks_for_account_deletion_are_throttled(alice, rates):
    api, user = alice
    for _ in range(2):
        assert api.delete("account", {"password": "wrong-guess-123"}).status_code == 403
    assert_throttled(api.delete("account", {"password": PASSWORD}), at_most_seconds=900)
    assert User.objects.filter(pk=user.pk).exists()


def test_reset_emails_are_throttled_per_email_address_whoever_asks(alice, rates):
    for n in range(2):
        phone = Api()
        phone.client.defaults["REMOTE_ADDR"] = f"203.0.113.{n}"
        assert phone.post("auth/password-reset", {"email": "alice@example.com"}).status_code == 202
    stranger = Api()
    stranger.client.defaults["REMOTE_ADDR"] = "198.51.100.7"
    refused = stranger.post("auth/password-reset", {"email": " ALICE@example.com"})
    assert_throttled(refused, at_most_seconds=3600)
    assert len(mail.outbox) == 2  # the inbox is not flooded
    # another address is not affected
    assert stranger.post("auth/password-reset", {"email": "bob@example.com"}).status_code == 202


def test_reset_requests_are_throttled_per_client_address_across_emails(db, rates):
    api = Api()
    for n in range(3):
        assert api.post("auth/password-reset", {"email": f"x{n}@example.com"}).status_code == 202
    assert_throttled(
        api.post("auth/password-reset", {"email": "x9@example.com"}), at_most_seconds=3600
    )


def test_password_checks_for_a_change_of_password_or_email_are_throttled(alice, rates):
    api, user = alice
    body = {"current_password": "wrong-guess-123", "new_password": "stronger-Glutes-2025"}
    assert api.post("auth/password", body).status_code == 403
    assert (
        api.post("auth/email", {"password": "wrong", "new_email": "a@example.org"}).status_code
        == 403
    )
    body = {"current_password": PASSWORD, "new_password": "stronger-Glutes-2025"}
    assert_throttled(api.post("auth/password", body), at_most_seconds=900)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_imports_are_throttled_per_user(alice, bob, settings):
    cache.clear()
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "import": "2/h"}
    document = {"format": "hip2knee-export", "version": 1, "sessions": [], "checkins": []}
    api = alice[0]
    assert [api.post("import", document).status_code for _ in range(2)] == [200, 200]
    refused = api.post("import", document)
    assert_throttled(refused, at_most_seconds=3600)
    assert bob[0].post("import", document).status_code == 200  # each user has their own count
    cache.clear()
