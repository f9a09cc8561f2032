"""`make run` alone delivers a reminder set for the next minute, once, to a local push service,
and nothing to a user who already trained today."""

import os
import signal
import time
from datetime import UTC, datetime, timedelta

import pytest
import requests

from tests.conftest import PASSWORD, session_body
from tests.pushreceiver import PushReceiver
from tests.test_run import collect, free_port, start, wait_for, wait_for_output


class Browser:
    """A person's browser against the running server: session cookie and CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = requests.Session()
        self.http.get(f"{base}/api/v1/auth/csrf", timeout=10)

    def post(self, path: str, body: dict) -> requests.Response:
        headers = {"X-CSRFToken": self.http.cookies["csrftoken"]}
        return self.http.post(f"{self.base}/api/v1/{path}", json=body, headers=headers, timeout=10)


def next_whole_minute_with_room(now: datetime) -> datetime:
    """The next HH:MM at least 40 seconds away, so the reminder is stored before it comes."""
    slot = (now + timedelta(minutes=1)).replace(second=0, microsecond=0)
    return slot if (slot - now).total_seconds() >= 40 else slot + timedelta(minutes=1)


@pytest.mark.timeout(420)
@pytest.mark.embedded
def test_make_run_delivers_a_reminder_for_the_next_minute_once(tmp_path):
    receiver = PushReceiver().start()
    port = free_port()
    proc = start(tmp_path / "var", port, PUSH_ENDPOINT_ALLOW=f"{receiver.origin}/push/")
    lines: list[str] = []
    collect(proc, lines)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        wait_for(f"{base}/api/v1/exercises", deadline)
        wait_for_output(lines, ("ready.", "beat: Starting"), deadline)
        public_key = requests.get(f"{base}/api/v1/push/vapid-public-key", timeout=10).json()["key"]
        slot = next_whole_minute_with_room(datetime.now(UTC))
        for name in ("fresh", "trained"):
            browser = Browser(base)
            signup = {"email": f"{name}@example.com", "password": PASSWORD, "timezone": "UTC"}
            assert browser.post("auth/signup", signup).status_code == 201
            assert (
                browser.post("push/subscriptions", receiver.subscription(name)).status_code == 201
            )
            if name == "trained":
                today = session_body(started_at=datetime.now(UTC).isoformat())
                assert browser.post("sessions", today).status_code == 201
            reminder = {"weekdays": list(range(7)), "time": slot.strftime("%H:%M")}
            assert browser.post("reminders", reminder).status_code == 201
        messages = receiver.wait_for(1, timeout=200)
        assert messages, "".join(lines)[-4000:]
        time.sleep(70)  # one more beat tick: a duplicate would show up now
        assert [m.path for m in receiver.received] == ["/push/fresh"]
        payload = receiver.decrypt(receiver.received[0])
        assert "sessions this week" in payload["body"] and payload["url"] == "/log"
        receiver.vapid_claims(receiver.received[0], public_key)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
        receiver.stop()
