"""The load step of `make bench`: gunicorn with 2 workers on PostgreSQL (BENCH_DATABASE_URL),
32 concurrent clients for LOAD_SECONDS (60) in all on a mix of reads (weekly progress, the
sessions list) and writes (log a session, a check-in), and as long on the bare floor view, in
turns (``measure``). Prints one JSON line: {"load_mixed": {...}, "load_floor": {...}}, each
{rps, p50_ms, p99_ms, errors}.

Each client speaks for LOAD_USERS_PER_CLIENT (8) users, a random one per request, a quarter of
them with eight weeks of history: 32 connections are many people, not 32 people who each log a
session every two seconds (that would leave each with ~150 sessions in one week by the end).

Run by tests/bench/run.py in a process of its own, on a throwaway database of its own.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
CLIENTS = int(os.environ.get("LOAD_CLIENTS", "32"))
USERS_PER_CLIENT = int(os.environ.get("LOAD_USERS_PER_CLIENT", "8"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
SLICES = 4
WARMUP_SECONDS = 5.0
WORKERS = 2
SECRET_KEY = "load-only-secret-" + "x" * 40


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(url: str) -> list[list[str]]:
    """Migrates the throwaway database and makes each client's users, each with a token, a
    quarter with eight weeks of history. Returns the tokens, per client."""
    os.environ.update(DATABASE_URL=url, DEBUG="0", DJANGO_SETTINGS_MODULE="tests.bench.settings")
    os.environ.setdefault("SECRET_KEY", SECRET_KEY)
    import django

    django.setup()
    from django.core.management import call_command

    from tracker.demo import seed_history
    from tracker.services import accounts
    from tracker.services.tokens import token_create

    call_command("migrate", verbosity=0)
    tokens: list[list[str]] = [[] for _ in range(CLIENTS)]
    for n in range(CLIENTS * USERS_PER_CLIENT):
        user = accounts.user_signup(email=f"load{n}@example.com", password="load-password-123")
        if n % 4 == 0:
            seed_history(user)
        tokens[n % CLIENTS].append(token_create(user=user, name="load")[1])
    return tokens


def session_body() -> dict[str, object]:
    sets = [{"exercise": "clamshell", "side": side, "reps": 12, "band": "red"}
            for side in ("left", "right") for _ in range(3)]  # fmt: skip
    return {
        "client_id": str(uuid.uuid4()),
        "started_at": (datetime.now(UTC) - timedelta(minutes=30)).isoformat(),
        "sets": sets,
        "pain_during": 2,
    }


def mixed(rng: random.Random) -> tuple[str, str, object]:
    pick = rng.random()
    if pick < 0.3:
        return "GET", "/api/v1/progress/weekly?weeks=12", None
    if pick < 0.6:
        return "GET", "/api/v1/sessions?limit=20", None
    if pick < 0.85:
        return "POST", "/api/v1/sessions", session_body()
    day = (datetime.now(UTC) - timedelta(days=rng.randrange(1, 60))).date().isoformat()
    return "POST", "/api/v1/checkins", {"client_id": str(uuid.uuid4()), "date": day, "pain": 3}


def floor(rng: random.Random) -> tuple[str, str, object]:
    return "GET", "/bench/floor", None


@dataclass
class Tally:
    """What one kind of load was served: every request's latency, the errors, the time taken."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def summary(self) -> dict[str, float]:
        ordered = sorted(self.latencies)
        return {
            "rps": round(len(ordered) / self.seconds, 1),
            "p50_ms": round(statistics.median(ordered), 2),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 2),
            "errors": self.errors,
        }


def run_slice(
    port: int, tokens: list[list[str]], choose, seconds: float, seed: int, tally: Tally
) -> None:  # type: ignore[no-untyped-def]
    """CLIENTS clients, each on its own connection, sending ``choose``'s requests back to back
    for ``seconds``; adds what they were served to ``tally``."""
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def client(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        failed = 0
        while time.monotonic() < stop:
            headers = {
                "Authorization": f"Bearer {rng.choice(tokens[n])}",
                "Content-Type": "application/json",
            }
            method, path, body = choose(rng)
            start = time.perf_counter()
            try:
                conn.request(method, path, json.dumps(body) if body else None, headers)
                response = conn.getresponse()
                response.read()
                ok = 200 <= response.status < 300
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
            mine.append((time.perf_counter() - start) * 1000)
            failed += not ok
        with lock:
            tally.latencies.extend(mine)
            tally.errors += failed

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    tally.seconds += time.monotonic() - began


def measure(port: int, tokens: list[list[str]]) -> dict[str, dict[str, float]]:
    """The mix and the floor in turns of SECONDS / SLICES each, after WARMUP_SECONDS of each
    that are not counted: both see the same machine (its load, its other tenants, a database
    still settling after the users were made) instead of one the first minute and the other the
    second."""
    for choose in (mixed, floor):
        run_slice(port, tokens, choose, WARMUP_SECONDS, seed=0, tally=Tally())
    tallies = {"load_mixed": Tally(), "load_floor": Tally()}
    for turn in range(1, SLICES + 1):
        run_slice(port, tokens, mixed, SECONDS / SLICES, seed=turn, tally=tallies["load_mixed"])
        run_slice(port, tokens, floor, SECONDS / SLICES, seed=turn, tally=tallies["load_floor"])
    return {name: tally.summary() for name, tally in tallies.items()}


def main() -> int:
    import psycopg

    base = urlsplit(os.environ["BENCH_DATABASE_URL"])
    name = f"h2k_load_{os.getpid()}"
    url = urlunsplit(base._replace(path=f"/{name}"))
    admin_url = urlunsplit(base._replace(path=base.path or "/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    server = None
    try:
        tokens = prepare(url)
        from django.db import connections

        connections.close_all()
        port = free_port()
        env = {
            **os.environ, "DATABASE_URL": url, "DEBUG": "0", "SECURE_SSL_REDIRECT": "0",
            "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or SECRET_KEY,
        }  # fmt: skip
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "tests.bench.wsgi", "--workers", str(WORKERS),
             "--bind", f"127.0.0.1:{port}", "--backlog", "256", "--log-level", "warning"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        print(json.dumps(measure(port, tokens)))
        return 0
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
