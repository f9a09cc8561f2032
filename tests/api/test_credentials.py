"""Forgotten password, change of password or email, and signing out everywhere: what a person
sees in their inbox and on their other phones, and what stays (their API tokens)."""

import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core import mail

from tests.conftest import ACCOUNT_EMAIL_TASKS, PASSWORD, Api, run_as_a_worker
from tracker import tasks
from tracker.models import BrowserSession, User

NEW_PASSWORD = "stronger-Glutes-2025"
RESET_LINK = re.compile(r"http://testserver/password-reset/(?P<uid>[^/\s\"]+)/(?P<token>[^/\s\"]+)")
EMAIL_LINK = re.compile(r"http://testserver/account/email#(?P<token>[^\s\"]+)")


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def held(monkeypatch):
    """The account-email tasks the requests enqueue, held as the queue holds them until a worker
    takes them (instead of run at once, as elsewhere in the suite)."""
    queue = []
    for name in ACCOUNT_EMAIL_TASKS:
        task = getattr(tasks, name)
        monkeypatch.setattr(task, "delay", lambda *args, task=task: queue.append((task, args)))
    return queue


def a_worker_takes(held):
    while held:
        run_as_a_worker(*held.pop(0))


def queue_of(task):
    from config.celery import app

    return app.amqp.router.route({}, task.name)["queue"].name


def signed_in_again(email, password=PASSWORD):
    """The same person signed in on another phone."""
    other = Api()
    response = other.post("auth/login", {"email": email, "password": password})
    assert response.status_code == 200, response.content
    return other


def can_sign_in(email, password):
    return Api().post("auth/login", {"email": email, "password": password}).status_code == 200


def reset_link(message):
    found = RESET_LINK.search(message.body)
    assert found, message.body
    html, _ = message.alternatives[0]
    assert found.group(0) in html  # the HTML part links to the same page
    return found


def confirm(link, password, client=None):
    body = {"uid": link.group("uid"), "token": link.group("token"), "new_password": password}
    return (client or Api()).post("auth/password-reset/confirm", body)


def test_a_reset_link_sets_a_new_password_once_and_ends_other_sessions_but_not_tokens(alice):
    api, user = alice
    phone = signed_in_again("alice@example.com")
    token = api.post("auth/tokens", {"name": "script"}).json()["token"]

    answer = Api().post("auth/password-reset", {"email": " Alice@Example.com "})

    assert answer.status_code == 202
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@example.com"]
    link = reset_link(mail.outbox[0])
    page = Api().client.get(link.group(0).removeprefix("http://testserver"))
    assert page.status_code == 200 and "Choose a new password" in page.content.decode()
    assert page["Referrer-Policy"] == "no-referrer"

    weak = confirm(link, "password")
    assert weak.status_code == 422
    assert "too common" in weak.json()["errors"]["new_password"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)  # nothing changed by a refused one

    assert confirm(link, NEW_PASSWORD).status_code == 204

    assert api.get("auth/me").status_code == 401
    assert phone.get("auth/me").status_code == 401
    assert not BrowserSession.objects.filter(user=user).exists()
    assert Api(token=token).get("auth/me").status_code == 200  # API tokens stay
    assert not can_sign_in("alice@example.com", PASSWORD)
    assert can_sign_in("alice@example.com", NEW_PASSWORD)
    # the link is spent: the API and the page both say so
    again = confirm(link, "another-Strong-pass-77")
    assert again.status_code == 422 and "already been used" in again.json()["detail"]
    assert "token" in again.json()["errors"]
    page = Api().client.get(link.group(0).removeprefix("http://testserver"))
    assert "This link no longer works" in page.content.decode()
    assert can_sign_in("alice@example.com", NEW_PASSWORD)


def test_a_reset_link_older_than_the_timeout_is_refused(alice, settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 60 * 60  # an hour
    Api().post("auth/password-reset", {"email": "alice@example.com"})
    link = reset_link(mail.outbox[0])
    settings.PASSWORD_RESET_TIMEOUT = -1  # the link is now older than the timeout allows

    refused = confirm(link, NEW_PASSWORD)

    assert refused.status_code == 422 and "expired" in refused.json()["detail"]
    assert can_sign_in("alice@example.com", PASSWORD)


def test_an_unknown_address_gets_the_same_answer_and_no_email(alice):
    known = Api().post("auth/password-reset", {"email": "alice@example.com"})
    unknown = Api().post("auth/password-reset", {"email": "nobody@example.com"})

    assert unknown.status_code == known.status_code == 202
    assert unknown.json() == known.json()
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]


def test_a_reset_request_hands_any_address_to_a_worker_and_sends_no_email_itself(alice, held):
    known = Api().post("auth/password-reset", {"email": " Alice@Example.com "})
    unknown = Api().post("auth/password-reset", {"email": "nobody@example.com"})

    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    # the same work for both: one task of one kind holding only the address, and no email yet
    assert [(task.name, args) for task, args in held] == [
        (tasks.send_password_reset_email.name, ("alice@example.com",)),
        (tasks.send_password_reset_email.name, ("nobody@example.com",)),
    ]
    assert mail.outbox == []
    assert queue_of(tasks.send_password_reset_email) == "accounts"  # not behind reminders

    a_worker_takes(held)

    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert confirm(reset_link(mail.outbox[0]), NEW_PASSWORD).status_code == 204


def test_no_reset_email_goes_to_an_account_without_a_password_or_a_closed_one(db, held):
    from tests.factories import UserFactory

    for email, active in (("keys@example.com", True), ("closed@example.com", False)):
        user = UserFactory(email=email, is_active=active)
        if active:
            user.set_unusable_password()
            user.save()
        assert Api().post("auth/password-reset", {"email": email}).status_code == 202

    assert len(held) == 2
    a_worker_takes(held)
    assert mail.outbox == []


def test_a_change_of_email_hands_both_emails_to_a_worker(alice, held):
    api, user = alice

    asked = api.post("auth/email", {"password": PASSWORD, "new_email": "al@example.org"})

    assert asked.status_code == 202 and mail.outbox == []
    assert [(task.name, args) for task, args in held] == [
        (tasks.send_email_change_emails.name, (user.pk, "alice@example.com", "al@example.org"))
    ]
    assert queue_of(tasks.send_email_change_emails) == "accounts"
    a_worker_takes(held)
    assert [m.to for m in mail.outbox] == [["al@example.org"], ["alice@example.com"]]

    # asked twice, and the first link opened before the worker took the second: the second
    # sends nothing (its link would be spent already)
    api.post("auth/email", {"password": PASSWORD, "new_email": "al@example.net"})
    token = EMAIL_LINK.search(mail.outbox[0].body).group("token")
    assert Api().post("auth/email/confirm", {"token": token}).status_code == 200
    a_worker_takes(held)
    assert len(mail.outbox) == 2


def test_a_reset_email_the_mail_server_refused_for_now_is_tried_again(alice, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    send = EmailBackend.send_messages
    refusals = iter([ConnectionRefusedError(), TimeoutError()])

    def refused_twice(self, messages):
        for refusal in refusals:
            raise refusal
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refused_twice)

    assert Api().post("auth/password-reset", {"email": "alice@example.com"}).status_code == 202

    assert [m.to for m in mail.outbox] == [["alice@example.com"]]


def test_a_failed_notice_to_the_old_address_never_sends_the_link_twice(alice, monkeypatch):
    """The link and the notice go by separate tasks: the notice, refused for now, is tried again
    alone, and the new address gets exactly one link."""
    import smtplib

    from django.core.mail.backends.locmem import EmailBackend

    send = EmailBackend.send_messages
    refusals = iter([smtplib.SMTPServerDisconnected("gone")])

    def notice_refused_once(self, messages):  # as SMTP does: each mail in turn, until one fails
        for message in messages:
            if message.to == ["alice@example.com"]:
                for refusal in refusals:
                    raise refusal
            send(self, [message])
        return len(messages)

    monkeypatch.setattr(EmailBackend, "send_messages", notice_refused_once)
    api, _ = alice
    assert (
        api.post("auth/email", {"password": PASSWORD, "new_email": "al@example.org"}).status_code
        == 202
    )
    assert [m.to for m in mail.outbox] == [["al@example.org"], ["alice@example.com"]]


def test_a_mail_server_refusing_an_address_for_good_is_not_asked_again(alice, monkeypatch):
    import smtplib

    from django.core.mail.backends.locmem import EmailBackend

    tries = []

    def refused_for_good(self, messages):
        tries.append(messages[0].to)
        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"no such user")})

    monkeypatch.setattr(EmailBackend, "send_messages", refused_for_good)
    api, _ = alice
    assert (
        api.post("auth/email", {"password": PASSWORD, "new_email": "gone@example.org"}).status_code
        == 202
    )
    assert tries == [["gone@example.org"]]  # once: no retries, and no notice of a link never sent
    assert Api().post("auth/password-reset", {"email": "alice@example.com"}).status_code == 202
    assert tries[-1] == ["alice@example.com"] and len(tries) == 2


def test_a_reset_link_opens_only_its_own_account(alice, bob):
    Api().post("auth/password-reset", {"email": "bob@example.com"})
    bobs = reset_link(mail.outbox[0])
    alice_uid = RESET_LINK.search(
        (Api().post("auth/password-reset", {"email": "alice@example.com"}), mail.outbox[1].body)[1]
    ).group("uid")
    body = {"uid": alice_uid, "token": bobs.group("token"), "new_password": NEW_PASSWORD}

    assert Api().post("auth/password-reset/confirm", body).status_code == 422
    assert can_sign_in("alice@example.com", PASSWORD)


def test_a_made_up_link_says_it_does_not_work(db):
    page = Api().client.get("/password-reset/MQ/not-a-token")
    assert page.status_code == 200
    assert "This link no longer works" in page.content.decode()
    body = {"uid": "MQ", "token": "not-a-token", "new_password": NEW_PASSWORD}
    assert Api().post("auth/password-reset/confirm", body).status_code == 422


def test_changing_the_password_keeps_this_session_and_ends_the_others(alice):
    api, user = alice
    phone = signed_in_again("alice@example.com")
    token = api.post("auth/tokens", {"name": "script"}).json()["token"]

    wrong = api.post("auth/password", {"current_password": "not-it", "new_password": NEW_PASSWORD})
    assert wrong.status_code == 403 and "current_password" in wrong.json()["errors"]
    weak = api.post("auth/password", {"current_password": PASSWORD, "new_password": "12345678"})
    assert weak.status_code == 422
    message = weak.json()["errors"]["new_password"]
    assert "too common" in message and "entirely numeric" in message  # a sentence per rule
    assert phone.get("auth/me").status_code == 200  # nothing ended by a refused change

    changed = api.post(
        "auth/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )

    assert changed.status_code == 204
    assert api.get("auth/me").status_code == 200  # this phone stays signed in
    assert api.post("auth/tokens", {"name": "still writes"}).status_code == 201  # CSRF too
    assert phone.get("auth/me").status_code == 401
    assert BrowserSession.objects.filter(user=user).count() == 1
    assert Api(token=token).get("auth/me").status_code == 200
    assert can_sign_in("alice@example.com", NEW_PASSWORD)
    assert not can_sign_in("alice@example.com", PASSWORD)


def test_changing_the_email_happens_only_when_the_new_address_opens_its_link(alice, bob):
    api = alice[0]
    wrong = api.post("auth/email", {"password": "not-it", "new_email": "al@example.org"})
    assert wrong.status_code == 403
    taken = api.post("auth/email", {"password": PASSWORD, "new_email": "Bob@example.com"})
    assert taken.status_code == 409 and "new_email" in taken.json()["errors"]
    assert mail.outbox == []

    asked = api.post("auth/email", {"password": PASSWORD, "new_email": "Al@Example.org"})

    assert asked.status_code == 202
    to_new, to_old = mail.outbox
    assert to_new.to == ["al@example.org"] and to_old.to == ["alice@example.com"]
    assert "al@example.org" in to_old.body and "Nothing changes until" in to_old.body
    assert EMAIL_LINK.search(to_old.body) is None  # the old address cannot make the change
    assert api.get("auth/me").json()["email"] == "alice@example.com"  # not yet
    token = EMAIL_LINK.search(to_new.body).group("token")
    assert token in to_new.alternatives[0][0]

    done = Api().post("auth/email/confirm", {"token": token})

    assert done.status_code == 200 and done.json()["email"] == "al@example.org"
    assert api.get("auth/me").json()["email"] == "al@example.org"
    assert can_sign_in("al@example.org", PASSWORD)
    assert not can_sign_in("alice@example.com", PASSWORD)
    spent = Api().post("auth/email/confirm", {"token": token})
    assert spent.status_code == 422 and "token" in spent.json()["errors"]


def test_a_change_of_email_link_expires_and_cannot_be_forged(alice, settings):
    api, user = alice
    api.post("auth/email", {"password": PASSWORD, "new_email": "al@example.org"})
    token = EMAIL_LINK.search(mail.outbox[0].body).group("token")
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert Api().post("auth/email/confirm", {"token": forged}).status_code == 422
    settings.EMAIL_CHANGE_TIMEOUT = -1  # older than a change-of-email link may be

    assert Api().post("auth/email/confirm", {"token": token}).status_code == 422
    user.refresh_from_db()
    assert user.email == "alice@example.com"


def test_signing_out_everywhere_ends_every_session_and_keeps_tokens(alice, bob):
    api, user = alice
    phone = signed_in_again("alice@example.com")
    token = api.post("auth/tokens", {"name": "script"}).json()["token"]

    assert api.post("auth/logout-all").status_code == 204

    assert api.get("auth/me").status_code == 401
    assert phone.get("auth/me").status_code == 401
    assert not BrowserSession.objects.filter(user=user).exists()
    assert Api(token=token).get("auth/me").status_code == 200
    assert bob[0].get("auth/me").status_code == 200  # nobody else's


def test_a_script_can_sign_out_every_browser(alice):
    api = alice[0]
    token = api.post("auth/tokens", {"name": "script"}).json()["token"]
    assert Api(token=token).post("auth/logout-all").status_code == 204
    assert api.get("auth/me").status_code == 401
    assert Api(token=token).get("auth/me").status_code == 200


def test_deleting_the_account_leaves_no_sign_in_records_or_sessions(alice, bob, settings):
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True  # off by default; a deployment may keep it
    api, user = alice
    for email in ("alice@example.com", "bob@example.com"):
        signed_in_again(email)  # an access log
        Api().post("auth/login", {"email": email, "password": "wrong-guess-1"})  # a failure
    for records in (AccessAttempt, AccessFailureLog, AccessLog):
        assert records.objects.filter(username="alice@example.com").exists(), records
    assert BrowserSession.objects.filter(user=user).count() == 2

    assert api.delete("account", {"password": PASSWORD}).status_code == 204

    for records in (AccessAttempt, AccessFailureLog, AccessLog):
        assert not records.objects.filter(username__iexact="alice@example.com").exists(), records
        assert records.objects.filter(username="bob@example.com").exists(), records
    assert not BrowserSession.objects.filter(user_id=user.pk).exists()
    assert not User.objects.filter(pk=user.pk).exists()
    assert BrowserSession.objects.filter(user=bob[1]).count() == 2


def test_a_reset_lifts_a_sign_in_lockout_of_that_email(alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Api().post("auth/login", {"email": "alice@example.com", "password": "wrong-guess-1"})
    assert (
        Api().post("auth/login", {"email": "alice@example.com", "password": PASSWORD}).status_code
        == 429
    )
    Api().post("auth/password-reset", {"email": "alice@example.com"})

    assert confirm(reset_link(mail.outbox[0]), NEW_PASSWORD).status_code == 204

    assert can_sign_in("alice@example.com", NEW_PASSWORD)
