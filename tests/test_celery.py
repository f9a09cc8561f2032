"""A real Celery worker process starts on the configured broker and answers."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import redis_url

ROOT = Path(__file__).resolve().parent.parent


def celery_url() -> str:
    """The Redis broker the worker and the test's client share. Celery lets the environment's
    CELERY_BROKER_URL override any URL given in code, so when that is Redis it is the one;
    otherwise a database of the suite's own on REDIS_URL's server."""
    configured = os.environ.get("CELERY_BROKER_URL", "")
    if configured.startswith("redis://"):
        return configured
    return redis_url().rsplit("/", 1)[0] + "/9"


def client_app(url: str):  # type: ignore[no-untyped-def]
    """A Celery client of the test's own: the project's app keeps pools for its own broker."""
    from celery import Celery

    return Celery("h2k-test-client", broker=url, set_as_current=False)


@pytest.mark.redis
@pytest.mark.timeout(120)
def test_a_worker_on_redis_comes_up_answers_pings_and_stops_on_sigterm():
    url = celery_url()
    env = {**os.environ, "CELERY_BROKER_URL": url, "DEBUG": "1"}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--hostname=h2k-test@%h",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        app = client_app(url)
        replies: list = []
        deadline = time.monotonic() + 60
        while not replies and time.monotonic() < deadline and worker.poll() is None:
            replies = app.control.ping(timeout=1.0)
        assert any(name.startswith("h2k-test@") for reply in replies for name in reply), replies
    finally:
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=30)[0]
    assert worker.returncode == 0, output[-2000:]


def database_url_for_subprocess() -> str:
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.redis
@pytest.mark.timeout(180)
def test_a_real_worker_on_redis_dispatches_and_delivers_each_slot_once(live_db, settings):
    from datetime import UTC, datetime, timedelta

    from tests.conftest import session_body, signed_in
    from tests.pushreceiver import PushReceiver, vapid_keypair
    from tracker.models import Delivery, Reminder
    from tracker.tasks import dispatch_due_reminders

    url = celery_url()
    receiver = PushReceiver().start()
    private, public = vapid_keypair()
    settings.PUSH_ENDPOINT_ALLOW = [f"{receiver.origin}/push/"]
    due = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=1)
    users = {}
    for name in ("fresh", "trained"):
        api, user = signed_in(f"{name}@example.com")
        assert api.post("push/subscriptions", receiver.subscription(name)).status_code == 201
        api.post("reminders", {"weekdays": list(range(7)), "time": "07:00"})
        users[name] = user
    signed_in_trained = users["trained"]
    from tracker.models import WorkoutSession

    WorkoutSession.objects.create(
        user=signed_in_trained, client_id=session_body()["client_id"], started_at=datetime.now(UTC)
    )
    Reminder.objects.update(next_fire_at=due)

    env = {
        **os.environ, "CELERY_BROKER_URL": url, "DATABASE_URL": database_url_for_subprocess(),
        "VAPID_PRIVATE_KEY": private, "VAPID_PUBLIC_KEY": public, "DEBUG": "0",
        "SECRET_KEY": "worker-test-secret-" + "x" * 40,
        "PUSH_ENDPOINT_ALLOW": f"{receiver.origin}/push/",
    }  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=threads",
         "--concurrency=2", "--hostname=h2k-reminders@%h", "--loglevel=INFO"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        app = client_app(url)
        app.control.purge()
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=1.0):
            assert worker.poll() is None and time.monotonic() < deadline
        app.send_task(dispatch_due_reminders.name)
        app.send_task(dispatch_due_reminders.name)  # a second dispatcher in the same minute
        messages = receiver.wait_for(1, timeout=60)
        time.sleep(3)  # room for a duplicate to show up, if there were one
        assert [m.path for m in receiver.received] == ["/push/fresh"]
        payload = receiver.decrypt(messages[0])
        assert "sessions this week" in payload["body"]
        receiver.vapid_claims(messages[0], public)
        statuses = dict(Delivery.objects.values_list("reminder__user__email", "status"))
        assert statuses == {"fresh@example.com": "sent", "trained@example.com": "skipped"}
    finally:
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=30)[0]
        receiver.stop()
    assert "deliver_reminders" in output, output[-3000:]


@pytest.mark.redis
@pytest.mark.timeout(180)
def test_a_real_worker_emails_a_reset_link_to_an_account_and_nothing_to_another_address(
    live_db, settings, monkeypatch, tmp_path
):
    import re

    from config.celery import app as project_app
    from tests.conftest import Api, signed_in
    from tracker import tasks

    url = celery_url()
    signed_in("maya@example.com")
    outbox = tmp_path / "outbox"
    env = {
        **os.environ, "CELERY_BROKER_URL": url, "DATABASE_URL": database_url_for_subprocess(),
        "DEBUG": "1", "SECRET_KEY": settings.SECRET_KEY, "SITE_URL": "http://testserver",
        "EMAIL_URL": f"filemail:///{outbox}",  # an absolute path
    }  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
         "--queues=accounts", "--hostname=h2k-accounts@%h", "--loglevel=INFO"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    # the requests enqueue for real, on this broker, as the web process does
    monkeypatch.delattr(tasks.send_password_reset_email, "delay")
    project_app.conf.broker_url = url
    try:
        app = client_app(url)
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge("accounts")
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=1.0):
            assert worker.poll() is None and time.monotonic() < deadline
        for email in ("nobody@example.com", "maya@example.com"):  # taken in this order
            assert Api().post("auth/password-reset", {"email": email}).status_code == 202
        deadline = time.monotonic() + 60
        while not any(outbox.glob("*.log")) and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        project_app.conf.broker_url = os.environ.get("CELERY_BROKER_URL") or "filesystem://"
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=30)[0]
    sent = "".join(path.read_text() for path in outbox.glob("*.log"))
    assert re.findall(r"^To: (.+)$", sent, re.MULTILINE) == ["maya@example.com"], output[-3000:]
    assert output.count("send_password_reset_email[") >= 2, output[-3000:]  # both were taken
    # the link the worker made sets the password here
    link = re.search(r"http://testserver/password-reset/([^/\s\"]+)/([^/\s\"]+)", sent)
    body = {"uid": link.group(1), "token": link.group(2), "new_password": "stronger-Glutes-2025"}
    assert Api().post("auth/password-reset/confirm", body).status_code == 204
