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


@pytest.mark.redis
@pytest.mark.timeout(120)
def test_a_worker_on_redis_comes_up_answers_pings_and_stops_on_sigterm():
    url = redis_url()
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
        from config.celery import app

        app.conf.broker_url = url
        replies: list = []
        deadline = time.monotonic() + 60
        while not replies and time.monotonic() < deadline and worker.poll() is None:
            replies = app.control.ping(timeout=1.0)
        assert any(name.startswith("h2k-test@") for reply in replies for name in reply), replies
    finally:
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=30)[0]
    assert worker.returncode == 0, output[-2000:]
