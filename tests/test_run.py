"""`make run` on a laptop: the embedded default serves, stops cleanly, and starts again."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, deadline: float) -> int:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - localhost
                return response.status
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer in time")


def group_alive(pgid: int) -> bool:
    out = subprocess.run(["pgrep", "-g", str(pgid)], capture_output=True, text=True)
    return bool(out.stdout.strip())


def collect(proc: subprocess.Popen, lines: list[str]) -> threading.Thread:
    def read() -> None:
        for line in proc.stdout:
            lines.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return reader


def wait_for_output(lines: list[str], needles: tuple[str, ...], deadline: float) -> None:
    while time.monotonic() < deadline:
        text = "".join(lines)
        if all(n in text for n in needles):
            return
        time.sleep(0.3)
    raise AssertionError(f"never printed all of {needles}:\n{''.join(lines)[-3000:]}")


def stop(proc: subprocess.Popen, reader: threading.Thread | None = None) -> bool:
    """SIGTERM to the process group, then SIGKILL to whatever outlives it by 10 s; whether
    anything had to be killed."""
    pgid = proc.pid
    os.killpg(pgid, signal.SIGTERM)
    stopped_by = time.monotonic() + 10
    while time.monotonic() < stopped_by:
        proc.poll()  # reap the supervisor so it does not linger as a zombie
        if not group_alive(pgid):
            break
        time.sleep(0.2)
    outlived = group_alive(pgid)
    if outlived:
        os.killpg(pgid, signal.SIGKILL)
    proc.wait(timeout=10)
    if reader is not None:
        reader.join(10)
    return outlived


@contextmanager
def scratch_database(prefix: str) -> Iterator[tuple[str, dict[str, object], str]]:
    """A new, empty PostgreSQL database beside the test database, dropped afterwards:
    ``(its DATABASE_URL, the server's connection arguments, its name)``."""
    import psycopg
    from django.db import connection

    s = connection.settings_dict
    server = {"host": s["HOST"] or "127.0.0.1", "port": s["PORT"] or 5432, "user": s["USER"]}
    name = f"{prefix}_{os.getpid()}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{server['user']}@{server['host']}:{server['port']}/{name}", server, name
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start(var_dir: Path, port: int, **overrides: str) -> subprocess.Popen:
    """`make run`'s supervisor in its own process group, on the embedded default unless
    ``overrides`` say otherwise (DATABASE_URL, CELERY_BROKER_URL, PUSH_ENDPOINT_ALLOW ...)."""
    dropped = (
        "DATABASE_URL",
        "CELERY_BROKER_URL",
        "SECRET_KEY",
        "VAPID_PRIVATE_KEY",
        "VAPID_PUBLIC_KEY",
    )  # make run generates and keeps its own key and VAPID keys
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(VAR_DIR=str(var_dir), PORT=str(port), DEBUG="1", **overrides)
    return subprocess.Popen(
        [sys.executable, "manage.py", "run"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.timeout(240)
@pytest.mark.embedded
def test_run_serves_on_the_embedded_default_and_stops_on_sigterm_to_its_group(tmp_path):
    var_dir = tmp_path / "var"
    for round_number in (1, 2):  # the second run reuses the database and the key: just works
        port = free_port()
        proc = start(var_dir, port)
        lines: list[str] = []
        reader = collect(proc, lines)
        try:
            deadline = time.monotonic() + 60  # "serves within a minute"
            assert wait_for(f"http://127.0.0.1:{port}/", deadline) == 200
            assert wait_for(f"http://127.0.0.1:{port}/api/v1/exercises", deadline) == 200
            assert wait_for(f"http://127.0.0.1:{port}/api/v1/docs", deadline) == 200
            wait_for_output(
                lines, (f"http://localhost:{port}/", "ready.", "beat: Starting"), deadline
            )
        finally:
            alive = stop(proc, reader)
        output = "".join(lines)
        assert not alive, f"round {round_number}: processes outlived SIGTERM\n{output[-3000:]}"
    # SQLite file, the generated key, and the broker's folders beside the database file
    assert (var_dir / "hip2knee.sqlite3").exists()
    assert (var_dir / "secret_key").exists()
    assert (var_dir / "hip2knee.broker" / "queue").is_dir()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.embedded
@pytest.mark.timeout(240)
def test_run_switches_to_postgresql_and_redis_from_the_environment(tmp_path):
    import psycopg

    from tests.conftest import redis_url

    with scratch_database("h2k_run") as (url, server, name):
        port = free_port()
        broker = redis_url().rsplit("/", 1)[0] + "/8"
        proc = start(tmp_path / "var", port, DATABASE_URL=url, CELERY_BROKER_URL=broker)
        lines: list[str] = []
        reader = collect(proc, lines)
        try:
            deadline = time.monotonic() + 90
            assert wait_for(f"http://127.0.0.1:{port}/api/v1/exercises", deadline) == 200
            needles = ("transport:   redis://", "ready.", "beat: Starting")
            wait_for_output(lines, needles, deadline)
            with psycopg.connect(dbname=name, **server) as db:
                count = db.execute("SELECT count(*) FROM tracker_exercise").fetchone()[0]
            assert count >= 13  # migrated and loaded into PostgreSQL, not SQLite
            assert not (tmp_path / "var" / "hip2knee.sqlite3").exists()
        finally:
            stop(proc, reader)
