"""Shared fixtures: API clients that act like the PWA (cookies + CSRF) and a script (Bearer).

Tests that need PostgreSQL or Redis are marked; when CI is set a missing service fails them
instead of skipping them, so CI always runs them for real.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from tests.factories import UserFactory

PASSWORD = "knee-friendly-Hips-2024"
# A browser's subscription keys: p256dh the P-256 generator point (a valid public key, SEC 2
# section 2.4.2), uncompressed, and a 16-byte auth secret, both base64url.
DEVICE_KEYS = {
    "p256dh": "BGsX0fLhLEJH-Lzm5WOkQPJ3A32BLeszoPShOUXYmMKWT-NC4v4af5uO5-"
    "tKfA-eFivOM1drMV7Oy7ZAaDe_UfU",
    "auth": "AgICAgICAgICAgICAgICAg",
}

# `make bench` runs tests/bench/ as scripts of its own (its settings, its URLs): never collected.
collect_ignore = ["bench"]


def ci_requires_services() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def redis_url() -> str | None:
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        url = os.environ.get(name, "")
        if url.startswith("redis://"):
            return url
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    missing = None
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        missing = "PostgreSQL (set DATABASE_URL=postgres://...)"
    if item.get_closest_marker("redis") and redis_url() is None:
        missing = "Redis (set REDIS_URL=redis://...)"
    if missing:
        if ci_requires_services():
            pytest.fail(f"CI is set but {missing} is not available")
        pytest.skip(f"needs {missing}")


def pytest_sessionstart(session: pytest.Session) -> None:
    if ci_requires_services() and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise pytest.UsageError("CI is set: the suite must run on PostgreSQL (DATABASE_URL)")


class Api:
    """A JSON client for /api/v1 that sends CSRF tokens like the PWA, or a Bearer token."""

    def __init__(self, *, token: str | None = None) -> None:
        self.client = Client(enforce_csrf_checks=True)
        self.token = token

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        headers = dict(extra or {})
        if self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        else:
            csrf = self.client.cookies.get("csrftoken")
            if csrf is None:
                self.client.get("/api/v1/auth/csrf")
                csrf = self.client.cookies.get("csrftoken")
            headers.setdefault("X-CSRFToken", csrf.value)
        return headers

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        content_type: str = "application/json",
        **query: Any,
    ) -> Any:
        url = path if path.startswith("/") else f"/api/v1/{path}"
        call = getattr(self.client, method.lower())
        if method.upper() == "GET":
            return call(url, query or None, headers=self._headers(headers))
        data = (
            body if isinstance(body, (str, bytes)) else json.dumps(body) if body is not None else ""
        )
        return call(url, data, content_type=content_type, headers=self._headers(headers))

    def get(self, path: str, **query: Any) -> Any:
        return self.request("GET", path, **query)

    def post(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.request("POST", path, body, **kw)

    def patch(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.request("PATCH", path, body, **kw)

    def delete(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.request("DELETE", path, body, **kw)


def signed_in(email: str, *, timezone: str = "Europe/London") -> tuple[Api, Any]:
    api = Api()
    response = api.post("auth/signup", {"email": email, "password": PASSWORD, "timezone": timezone})
    assert response.status_code == 201, response.content
    from tracker.models import User

    return api, User.objects.get(email=email)


ACCOUNT_EMAIL_TASKS = (
    "send_password_reset_email",
    "send_email_change_emails",
    "send_email_change_notice",
)


@pytest.fixture(autouse=True)
def account_emails_sent_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The account's emails are Celery tasks (tracker/tasks.py) and the suite runs no worker, so
    here each one runs in this process when it is enqueued, as a worker would run it, and its
    email lands in Django's test outbox (the live server's too: it is a thread of this process).
    Tests of the queue itself enqueue for real or hold the tasks (tests/api/test_credentials.py,
    tests/test_celery.py)."""
    from tracker import tasks

    for name in ACCOUNT_EMAIL_TASKS:
        task = getattr(tasks, name)
        monkeypatch.setattr(task, "delay", lambda *args, task=task: run_as_a_worker(task, args))


def run_as_a_worker(task: Any, args: tuple[Any, ...]) -> None:
    """Runs an enqueued task here as a worker would, a retry at once (Celery's eager retry); a
    task that fails for good fails the test."""
    result = task.apply(args)
    if result.failed():
        raise result.result


@pytest.fixture
def anon() -> Api:
    return Api()


@pytest.fixture
def alice(db: None) -> tuple[Api, Any]:
    return signed_in("alice@example.com")


@pytest.fixture
def api(alice: tuple[Api, Any]) -> Api:
    return alice[0]


@pytest.fixture
def bob(db: None) -> tuple[Api, Any]:
    return signed_in("bob@example.com", timezone="America/New_York")


@pytest.fixture
def user(db: None) -> Any:
    return UserFactory()


def session_body(**overrides: Any) -> dict[str, Any]:
    """A realistic three-exercise session, as the PWA sends it."""
    body: dict[str, Any] = {
        "client_id": str(uuid.uuid4()),
        "started_at": (datetime.now(UTC) - timedelta(hours=2)).isoformat(),
        "sets": [
            {"exercise": "glute-bridge", "side": "both", "reps": 10},
            {"exercise": "clamshell", "side": "left", "reps": 12, "band": "red"},
            {"exercise": "clamshell", "side": "right", "reps": 12, "band": "red"},
            {"exercise": "hip-flexor-stretch", "side": "left", "seconds": 30},
            {
                "exercise": "single-leg-rdl",
                "side": "right",
                "reps": 8,
                "load_kg": 6.5,
                "felt_in_knee": True,
            },
        ],
        "pain_during": 2,
        "notes": "felt strong",
    }
    body.update(overrides)
    return body


def checkin_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "client_id": str(uuid.uuid4()),
        "date": (datetime.now(UTC) - timedelta(days=1)).date().isoformat(),
        "pain": 4,
        "stairs": 5,
    }
    body.update(overrides)
    return body


@pytest.fixture
def live_db(transactional_db: None) -> Iterator[None]:
    """A database with real commits, for concurrency tests. Flushing between such tests empties
    the tables the data migration filled, so the exercise library is loaded again here.

    Afterwards it waits for the live server's requests still running (a browser closed in the
    middle of its reads) before the flush: on PostgreSQL a TRUNCATE meeting one of them can
    deadlock and leave the next test a database that was never emptied."""
    from tracker.library import sync_library
    from tracker.models import Exercise, Routine, RoutineItem

    sync_library(Exercise, Routine, RoutineItem)
    yield
    _wait_for_other_connections()


def _wait_for_other_connections(seconds: float = 20, calm: int = 8) -> None:
    """On PostgreSQL: until no other connection to this database has run a query or held a
    transaction open for ``calm`` checks in a row, 50 ms apart (or `seconds` pass). One quiet
    moment is not enough: a request the live server had already accepted can start its first
    query just after it (CI saw such a request deadlock the flush)."""
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + seconds
    quiet = 0
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND state <> 'idle'"
            )
            (busy,) = cursor.fetchone()
        quiet = 0 if busy else quiet + 1
        if quiet >= calm:
            return
        time.sleep(0.05)


@pytest.fixture
def receiver(settings: Any) -> Iterator[Any]:
    """A local push service (tests/pushreceiver.py) that this test's server may send to, with
    VAPID keys of the test's own."""
    from tests.pushreceiver import PushReceiver, vapid_keypair
    from tracker import push

    server = PushReceiver().start()
    private, public = vapid_keypair()
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = private, public
    settings.PUSH_ENDPOINT_ALLOW = [f"{server.origin}/push/"]
    settings.VAPID_SUBJECT = "mailto:test@hip2knee.example"
    push.vapid.cache_clear()
    yield server
    server.stop()
    push.vapid.cache_clear()
