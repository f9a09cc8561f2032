"""Faults: a request that fails half-way stores nothing; a dropped database connection is
replaced without a restart; Redis going down and coming back, and a worker killed in the middle
of a delivery, lose no reminder and send none twice."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import checkin_body, session_body, signed_in
from tests.test_celery import ROOT, database_url_for_subprocess
from tracker.models import CheckIn, Delivery, Reminder, Routine, SessionSet, WorkoutSession


# --- a request that fails half-way ------------------------------------------------------------
class Boom(Exception):
    pass


def fail(*args, **kwargs):
    raise Boom("the disk filled up half-way")


@pytest.mark.django_db
def test_a_session_whose_sets_fail_to_save_is_not_stored_at_all(api, monkeypatch):
    monkeypatch.setattr(SessionSet.objects, "bulk_create", fail)
    response = api.post("sessions", session_body())
    assert response.status_code == 500 and "try again" in response.json()["detail"]
    assert not WorkoutSession.objects.exists()


@pytest.mark.django_db
def test_editing_a_session_that_fails_half_way_keeps_the_old_sets(api, monkeypatch):
    session = api.post("sessions", session_body()).json()
    before = api.get(f"sessions/{session['id']}").json()
    monkeypatch.setattr(SessionSet.objects, "bulk_create", fail)
    sets = [{"exercise": "clamshell", "side": "left", "reps": 5}]
    assert api.patch(f"sessions/{session['id']}", {"sets": sets, "notes": "x"}).status_code == 500
    monkeypatch.undo()
    assert api.get(f"sessions/{session['id']}").json() == before


@pytest.mark.django_db
def test_editing_a_routine_that_fails_half_way_keeps_its_items(api, monkeypatch):
    from tracker.models import RoutineItem

    starter = next(r for r in api.get("routines").json() if r["starter"])
    routine = api.post("routines", {"copy_of": starter["id"]}).json()
    monkeypatch.setattr(RoutineItem.objects, "bulk_create", fail)
    items = [{"exercise": "clamshell", "sets": 2, "target": 8}]
    response = api.patch(f"routines/{routine['id']}", {"items": items, "name": "changed"})
    assert response.status_code == 500
    monkeypatch.undo()
    assert api.get(f"routines/{routine['id']}").json() == routine
    assert Routine.objects.get(pk=routine["id"]).name == routine["name"]


@pytest.mark.django_db
def test_an_import_that_fails_half_way_stores_nothing(api, bob, monkeypatch):
    api.post("sessions", session_body())
    api.post("checkins", checkin_body())
    export = api.get("export", format="json").json()
    bob_api, bob_user = bob
    monkeypatch.setattr(CheckIn, "save", fail)  # sessions go in first, then a check-in fails
    monkeypatch.setattr(CheckIn.objects, "bulk_create", fail)
    assert bob_api.post("import", export).status_code == 500
    assert not WorkoutSession.objects.filter(user=bob_user).exists()
    assert not CheckIn.objects.filter(user=bob_user).exists()


# --- the database connection dropped ----------------------------------------------------------
@pytest.mark.postgres
@pytest.mark.timeout(120)
def test_requests_recover_when_the_database_drops_the_connection(live_db):
    """gunicorn (one sync worker, so one long-lived connection, CONN_MAX_AGE) on the test
    database; every connection it holds is cut; the next requests still answer."""
    import psycopg
    import requests
    from django.db import connection

    from tracker.services import accounts, tokens

    user = accounts.user_signup(email="maya@example.com", password="knee-friendly-Hips-2024")
    headers = {"Authorization": f"Bearer {tokens.token_create(user=user, name='t')[1]}"}
    port = free_port()
    env = {
        **os.environ, "DATABASE_URL": database_url_for_subprocess(), "DEBUG": "0",
        "SECRET_KEY": "gunicorn-test-secret-" + "x" * 40, "SECURE_SSL_REDIRECT": "0",
    }  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "1",
         "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/api/v1/sessions"
    try:
        wait_until(lambda: _answers(url, headers) == 200, timeout=30)
        with connection.cursor() as cursor:  # the test's own connection is not the server's
            cursor.execute("SELECT pg_backend_pid()")
            ours = cursor.fetchone()[0]
        # the server restarts, a proxy times out, a failover: the web server's connection is cut
        with psycopg.connect(database_url_for_subprocess(), autocommit=True) as admin:
            cut = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid() AND pid <> %s",
                [connection.settings_dict["NAME"], ours],
            ).fetchall()
        assert cut, "the web server held a connection"
        for _ in range(3):
            assert _answers(url, headers) == 200
        body = session_body()
        assert requests.post(url, json=body, headers=headers, timeout=10).status_code == 201
        assert WorkoutSession.objects.filter(client_id=body["client_id"]).count() == 1
    finally:
        server.send_signal(signal.SIGTERM)
        output = server.communicate(timeout=30)[0]
    assert "Internal Server Error" not in output, output[-2000:]


def _answers(url: str, headers: dict[str, str]) -> int:
    import requests

    try:
        return requests.get(url, headers=headers, timeout=10).status_code
    except requests.ConnectionError:
        return 0


# --- Redis down, a worker killed ---------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnRedis:
    """A Redis server of the test's own, so it can be stopped and started again."""

    def __init__(self, tmp: Path) -> None:
        self.port, self.tmp, self.proc = free_port(), tmp, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self.tmp)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.1)

    def stop(self) -> None:
        if self.proc:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


@pytest.fixture
def own_redis(tmp_path, monkeypatch):
    """A started Redis of the test's own, and a Celery client of it."""
    from tests.test_celery import client_app

    redis = OwnRedis(tmp_path)
    redis.start()
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)  # it would override the URL below
    yield redis, client_app(redis.url)
    redis.stop()


@pytest.fixture
def start_worker(settings, receiver):
    """Starts real Celery workers on a broker, sending to ``receiver``; all stop at the end."""
    started: list[subprocess.Popen] = []

    def start(broker: str) -> subprocess.Popen:
        env = {
            **os.environ, "CELERY_BROKER_URL": broker,
            "DATABASE_URL": database_url_for_subprocess(),
            "VAPID_PRIVATE_KEY": settings.VAPID_PRIVATE_KEY,
            "VAPID_PUBLIC_KEY": settings.VAPID_PUBLIC_KEY, "DEBUG": "0",
            "SECRET_KEY": "worker-test-secret-" + "x" * 40,
            "PUSH_ENDPOINT_ALLOW": f"{receiver.origin}/push/",
        }  # fmt: skip
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=threads",
             "--concurrency=2", "--without-gossip", "--without-mingle", "--loglevel=INFO"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        started.append(worker)
        return worker

    yield start
    for worker in started:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            worker.communicate(timeout=30)


def due_slot(receiver, name: str):
    """A user with a push subscription at ``receiver`` and a reminder due a minute ago."""
    api, _ = signed_in(f"{name}@example.com")
    assert api.post("push/subscriptions", receiver.subscription(name)).status_code == 201
    api.post("reminders", {"weekdays": list(range(7)), "time": "07:00", "skip_if_done": False})
    due = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=1)
    Reminder.objects.update(next_fire_at=due)
    return api


def wait_until(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


needs_redis_server = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="needs the redis-server program"
)


@pytest.mark.redis
@needs_redis_server
@pytest.mark.timeout(180)
def test_redis_down_loses_no_reminder_and_sends_none_twice(
    live_db, receiver, own_redis, start_worker
):
    from tracker import dispatch
    from tracker.tasks import deliver_reminders

    redis, app = own_redis
    api = due_slot(receiver, "maya")
    start_worker(redis.url)
    redis.stop()  # Redis goes down
    # the API keeps taking what people write
    assert api.post("sessions", session_body()).status_code == 201
    assert api.post("checkins", checkin_body()).status_code == 201
    assert api.post("reminders", {"weekdays": [1], "time": "08:00"}).status_code == 201
    # beat's tick claims the slot in the database, but cannot hand it to a worker
    [delivery_id] = dispatch.reminders_tick(now=datetime.now(UTC))
    with pytest.raises(Exception):  # noqa: B017 - kombu's error depends on the moment
        app.send_task(deliver_reminders.name, ([delivery_id],), retry=False)
    assert receiver.received == []
    redis.start()  # back: the worker reconnects by itself
    later = datetime.now(UTC) + dispatch.STALE + timedelta(seconds=5)
    assert dispatch.reminders_tick(now=later) == [delivery_id]  # handed out again
    app.send_task(deliver_reminders.name, ([delivery_id],))
    wait_until(lambda: len(receiver.received) >= 1)
    time.sleep(3)  # room for a duplicate, if there were one
    assert len(receiver.received) == 1
    assert Delivery.objects.get().status == "sent"


@pytest.mark.redis
@needs_redis_server
@pytest.mark.timeout(180)
def test_a_worker_killed_mid_delivery_delivers_the_slot_once(
    live_db, receiver, own_redis, start_worker
):
    from tracker import dispatch
    from tracker.tasks import deliver_reminders

    redis, app = own_redis
    receiver.delays["/push/maya"] = 8  # the push service is slow: the worker waits on it
    due_slot(receiver, "maya")
    worker = start_worker(redis.url)
    [delivery_id] = dispatch.reminders_tick(now=datetime.now(UTC))
    app.send_task(deliver_reminders.name, ([delivery_id],))
    wait_until(lambda: len(receiver.received) == 1)
    os.kill(worker.pid, signal.SIGKILL)  # mid-delivery: sent, no answer recorded
    worker.wait()
    assert Delivery.objects.get().status == "sending"
    start_worker(redis.url)
    # its lease and claim run out; the next tick hands the slot out again, once
    later = datetime.now(UTC) + dispatch.LEASE + dispatch.STALE + timedelta(seconds=5)
    assert dispatch.reminders_tick(now=later) == [delivery_id]
    assert dispatch.reminders_tick(now=later) == []
    # (the dead worker's lease ran on the real clock; the tick above ran two minutes on)
    Delivery.objects.filter(pk=delivery_id).update(lease_until=None)
    app.send_task(deliver_reminders.name, ([delivery_id],))
    wait_until(lambda: Delivery.objects.get().status == "sent")
    time.sleep(3)
    delivery = Delivery.objects.get()
    assert delivery.status == "sent" and delivery.attempts == 2
    # the push service got the slot twice, under one Topic and one tag: it keeps the last
    # and the phone shows one notification (a repeat replaces, never adds)
    first, again = receiver.received
    assert first.headers["topic"] == again.headers["topic"]
    assert receiver.decrypt(first)["tag"] == receiver.decrypt(again)["tag"]
