"""A long import on the embedded database (SQLite: one writer at a time) never makes another
user's write fail with a server error.

The import writes in chunks that each commit, so between chunks the write lock is free and
another user's write goes through; and a write that meets the lock held for longer than its
busy timeout answers 503 with ``Retry-After`` (the PWA's outbox sends it again then), never a
500. Here the import is held in the middle of a chunk (the lock taken) or between two chunks by
the test, and the other requests use a short busy timeout, so nothing depends on timing."""

from __future__ import annotations

import re
import threading
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from tests.conftest import PASSWORD, Api, checkin_body, session_body, signed_in
from tracker import mail
from tracker.models import CheckIn, Reminder, WorkoutSession
from tracker.services import imports

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's one-writer lock"),
]
SESSIONS = 120
ROUTINE = {"name": "Bob's", "items": [{"exercise": "clamshell", "sets": 2, "target": 8}]}


def export_of(n: int) -> dict[str, Any]:
    return {
        "format": "hip2knee-export",
        "version": 1,
        "sessions": [session_body(notes=f"imported {i}") for i in range(n)],
        "checkins": [],
    }


class HeldImport:
    """Alice's import in another thread, held by the test at a chosen point: ``where`` is
    "in_chunk" (the write lock taken) or "between_chunks" (the lock free)."""

    def __init__(self, api: Api, monkeypatch: Any, where: str) -> None:
        self.api, self.reached, self.release = api, threading.Event(), threading.Event()
        self.answer: Any = None
        monkeypatch.setattr(imports, "CHUNK_ROWS", 60)  # 6 rows a session: several chunks
        if where == "in_chunk":
            write = imports._sessions_write

            def held_write(user: Any, chunk: Any) -> int:
                from django.db import transaction

                with transaction.atomic():  # the chunk's writes done, not yet committed
                    created = write(user, chunk)
                    self.hold()
                return created

            monkeypatch.setattr(imports, "_sessions_write", held_write)
        else:
            monkeypatch.setattr(imports._Pacer, "chunk_written", lambda pacer: self.hold())

    def hold(self) -> None:
        if not self.reached.is_set():
            self.reached.set()
            assert self.release.wait(60), "the test never released the import"

    def __enter__(self) -> HeldImport:
        def run() -> None:
            try:
                self.answer = self.api.post("import", export_of(SESSIONS))
            finally:
                connection.close()

        self.thread = threading.Thread(target=run)
        self.thread.start()
        assert self.reached.wait(60), "the import never reached the point"
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.thread.join(60)


def short_busy_timeout() -> None:
    """This thread's requests wait for the lock 0.2 s instead of the deployed 20 s."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout = 200")


def bobs_objects(bob: Api, receiver: Any) -> dict[str, Any]:
    subscription = receiver.subscription("bob")
    token = bob.post("auth/tokens", {"name": "script"}).json()
    return {
        "token": token["token"],
        "token_id": token["id"],
        "session_id": bob.post("sessions", session_body()).json()["id"],
        "checkin_id": bob.post("checkins", checkin_body()).json()["id"],
        "routine_id": bob.post(
            "routines",
            {"name": "Bob's", "items": [{"exercise": "clamshell", "sets": 2, "target": 8}]},
        ).json()["id"],
        "reminder_id": bob.post("reminders", {"weekdays": [0], "time": "07:00"}).json()["id"],
        "subscription_id": bob.post("push/subscriptions", subscription).json()["id"],
        "share_id": bob.post("report/shares", {}).json()["id"],
        "passkey_id": 2**31,  # none: a 404, or the 503 before it
    }


def writes(ids: dict[str, Any], receiver: Any) -> list[tuple[str, str, Any]]:
    """A valid request for every write operation of the schema, in an order that keeps Bob's
    objects until the end (an operation missing here fails the test)."""
    routine = {"name": "Changed", "items": [{"exercise": "clamshell", "sets": 3, "target": 10}]}
    bodies: dict[tuple[str, str], Any] = {
        ("post", "/api/v1/auth/signup"): {"email": "carol@example.com", "password": PASSWORD},
        ("post", "/api/v1/auth/tokens"): {"name": "another"},
        ("patch", "/api/v1/profile"): {"weekly_target": 4, "timezone": "Asia/Tokyo"},
        ("post", "/api/v1/routines"): routine,
        ("patch", "/api/v1/routines/{routine_id}"): routine,
        ("post", "/api/v1/sessions"): session_body(),
        ("patch", "/api/v1/sessions/{session_id}"): {"notes": "changed", "pain_during": 3},
        ("post", "/api/v1/checkins"): checkin_body(date="2026-01-05"),
        ("patch", "/api/v1/checkins/{checkin_id}"): {"pain": 2},
        ("post", "/api/v1/checkins/clearance"): {"client_id": str(uuid.uuid4())},
        ("post", "/api/v1/reminders"): {"weekdays": [2], "time": "19:00"},
        ("patch", "/api/v1/reminders/{reminder_id}"): {"time": "08:15"},
        ("post", "/api/v1/reminders/{reminder_id}/snooze"): {"minutes": 30},
        ("post", "/api/v1/push/subscriptions"): None,  # filled below
        ("post", "/api/v1/push/test"): None,
        ("post", "/api/v1/calendar"): None,
        ("delete", "/api/v1/calendar"): None,
        ("post", "/api/v1/report/shares"): {"days": 7},
        ("post", "/api/v1/import"): export_of(2),
        ("delete", "/api/v1/report/shares/{share_id}"): None,
        ("delete", "/api/v1/push/subscriptions/{subscription_id}"): None,
        ("delete", "/api/v1/reminders/{reminder_id}"): None,
        ("delete", "/api/v1/checkins/{checkin_id}"): None,
        ("delete", "/api/v1/sessions/{session_id}"): None,
        ("delete", "/api/v1/routines/{routine_id}"): None,
        ("delete", "/api/v1/auth/tokens/{token_id}"): None,
        ("post", "/api/v1/auth/password-reset"): {"email": "bob@example.com"},
        ("post", "/api/v1/auth/password-reset/confirm"): {
            "uid": "x",
            "token": "y",
            "new_password": "stronger-Glutes-2025",
        },
        ("post", "/api/v1/auth/email"): {"password": PASSWORD, "new_email": "bob2@example.com"},
        ("post", "/api/v1/auth/email/confirm"): {"token": "not-a-token"},
        ("post", "/api/v1/auth/passkeys/register/options"): None,
        ("post", "/api/v1/auth/passkeys/register"): {"name": "phone", "credential": {}},
        ("post", "/api/v1/auth/passkeys/login/options"): None,
        ("post", "/api/v1/auth/passkeys/login"): {"credential": {}},
        ("delete", "/api/v1/auth/passkeys/{passkey_id}"): None,
        ("post", "/api/v1/auth/password"): {
            "current_password": PASSWORD,
            "new_password": "stronger-Glutes-2025",
        },
        ("post", "/api/v1/auth/logout-all"): None,
        ("post", "/api/v1/auth/login"): {"email": "bob@example.com", "password": PASSWORD},
        ("post", "/api/v1/auth/logout"): None,
        ("delete", "/api/v1/account"): {"password": PASSWORD},
    }
    bodies[("post", "/api/v1/push/subscriptions")] = receiver.subscription("bob-2")
    schema = Client().get("/api/v1/openapi.json").json()
    operations = {
        (method, path) for path, ops in schema["paths"].items() for method in ops if method != "get"
    }
    assert operations == set(bodies), operations ^ set(bodies)
    return [
        (method, re.sub(r"{(\w+)}", lambda m: str(ids[m.group(1)]), path), body)
        for (method, path), body in bodies.items()
    ]


def test_every_write_during_a_long_import_chunk_answers_4xx_or_503_never_500(
    live_db, monkeypatch, receiver
):
    alice, _ = signed_in("alice@example.com")
    bob, _ = signed_in("bob@example.com")
    ids = bobs_objects(bob, receiver)
    off_link = f"/reminders/off/{mail.off_token(ids['reminder_id'])}"
    with HeldImport(alice, monkeypatch, "in_chunk") as held:
        short_busy_timeout()
        # reads go on; a token's first use is stamped later, not failed
        assert Api(token=ids["token"]).get("sessions").status_code == 200
        answers = {}
        for method, url, body in writes(ids, receiver):
            answers[(method, url)] = response = bob.request(method.upper(), url, body)
            assert response.status_code < 500 or response.status_code == 503, (
                method,
                url,
                response.status_code,
                response.content,
            )
            if response.status_code == 503:
                assert int(response["Retry-After"]) > 0
                assert "try again" in response.json()["detail"].lower()
        # a page outside the API that writes: the email's "turn this reminder off"
        off = Client().post(off_link)
        assert off.status_code == 503 and int(off["Retry-After"]) > 0
        # the lock was really held: Bob's session and check-in were not stored, and said so
        assert answers[("post", "/api/v1/sessions")].status_code == 503
        assert answers[("post", "/api/v1/checkins")].status_code == 503
        assert answers[("delete", "/api/v1/account")].status_code == 503
    assert Reminder.objects.get(pk=ids["reminder_id"]).enabled  # the link changed nothing
    assert WorkoutSession.objects.filter(user__email="bob@example.com").count() == 1
    assert not CheckIn.objects.filter(user__email="bob@example.com", date="2026-01-05").exists()
    # and the import, held all that time, completes
    assert held.answer.status_code == 200, held.answer.content
    assert WorkoutSession.objects.filter(user__email="alice@example.com").count() == SESSIONS


def test_another_users_write_goes_through_between_two_chunks_of_an_import(live_db, monkeypatch):
    alice, _ = signed_in("alice@example.com")
    bob, _ = signed_in("bob@example.com")
    with HeldImport(alice, monkeypatch, "between_chunks") as held:
        short_busy_timeout()
        assert 0 < WorkoutSession.objects.filter(user__email="alice@example.com").count() < SESSIONS
        assert bob.post("sessions", session_body()).status_code == 201
        assert bob.post("checkins", checkin_body()).status_code == 201
    assert held.answer.status_code == 200, held.answer.content
    assert held.answer.json()["sessions"] == {"created": SESSIONS, "existing": 0}
    assert WorkoutSession.objects.filter(user__email="alice@example.com").count() == SESSIONS
