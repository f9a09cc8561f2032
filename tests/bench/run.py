"""`make bench`: latency of API operations as ratios against a bare view, in one process.

Every request goes through the full middleware stack (Django's test client runs the same handler
as WSGI) with the same bearer-token auth, on a throwaway database of its own: SQLite in a temporary
folder, or a fresh database on the PostgreSQL server that BENCH_DATABASE_URL names (never the one
DATABASE_URL names). Writes var/bench/latest.json (git-ignored) as
{name: {p50_ms, p99_ms, queries}}.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

WARMUP = 30
warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic for a bench
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "400"))
GOALS = {
    "log_session": {"max_ratio": 4.0, "max_queries": 8},
    "weekly_progress_8w": {"max_ratio": 4.0, "max_queries": 6},
    "weekly_progress_2y": {"max_ratio": 4.0, "max_queries": 6},
}
# A regression guard: the mix's requests per second against the floor's, under the same load.
LOAD_MIN_SHARE = 0.35
TICK_ROUNDS = int(os.environ.get("BENCH_TICK_ROUNDS", "30"))
DUE = 50


def setup_django(tmp: str) -> None:
    os.environ["VAR_DIR"] = tmp
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/b.db"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 30)
    os.environ["DEBUG"] = "0"
    os.environ["SECURE_SSL_REDIRECT"] = "0"  # the bench speaks plain HTTP
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.conf import settings

    settings.ROOT_URLCONF = "tests.bench.urls"


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


Call = Callable[[], object]


def measure(calls: dict[str, Call | tuple[Call, Call]]) -> dict[str, dict[str, float]]:
    """Times the calls interleaved, round by round, so each sees the same machine conditions
    (load, cache, a growing database) and the ratios between them stay fair. A call given as
    ``(prepare, call)`` has ``prepare`` run before each time, untimed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    steps = {name: c if isinstance(c, tuple) else (lambda: None, c) for name, c in calls.items()}
    for _ in range(WARMUP):
        for prepare, call in steps.values():
            prepare()
            call()
    queries = {}
    for name, (prepare, call) in steps.items():
        prepare()
        with CaptureQueriesContext(connection) as ctx:
            call()
        queries[name] = len(ctx)
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(ROUNDS):
        for name, (prepare, call) in steps.items():
            prepare()
            start = time.perf_counter()
            call()
            samples[name].append((time.perf_counter() - start) * 1000)
    return {
        name: {
            "p50_ms": round(statistics.median(samples[name]), 3),
            "p99_ms": round(percentile(samples[name], 0.99), 3),
            "queries": queries[name],
        }
        for name in calls
    }


def reminder_ticks() -> dict[str, dict[str, float]]:
    """One dispatcher tick over 1,000 and over 100,000 stored reminders, the same 50 due in both:
    the tick must read what is due, never the whole table."""
    from datetime import time as clock

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tracker.dispatch import reminders_tick
    from tracker.models import Delivery, Profile, Reminder, User

    now = timezone.now().replace(second=0, microsecond=0)
    owners = User.objects.bulk_create(
        User(email=f"owner{i}@bench.example", password="!") for i in range(100)
    )
    Profile.objects.bulk_create(Profile(user=u, timezone="Europe/London") for u in owners)

    def add(count: int, *, due: bool) -> list[int]:
        made = Reminder.objects.bulk_create(
            (
                Reminder(
                    user=owners[i % len(owners)], weekdays=127, time=clock(7, 0),
                    skip_if_done=False,
                    next_fire_at=now - timedelta(minutes=1) if due
                    else now + timedelta(hours=1 + i % 500),
                )
                for i in range(count)
            ),
            batch_size=5000,
        )  # fmt: skip
        return [r.id for r in made]

    due_ids = add(DUE, due=True)

    def one_tick() -> float:
        Delivery.objects.all().delete()
        Reminder.objects.filter(id__in=due_ids).update(next_fire_at=now - timedelta(minutes=1))
        start = time.perf_counter()
        claimed = reminders_tick(now=now)
        elapsed = (time.perf_counter() - start) * 1000
        assert len(claimed) == DUE, len(claimed)
        return elapsed

    results = {}
    for name, total in (("reminder_tick_1k", 1_000), ("reminder_tick_100k", 100_000)):
        add(total - Reminder.objects.count(), due=False)
        for _ in range(3):
            one_tick()
        Delivery.objects.all().delete()
        Reminder.objects.filter(id__in=due_ids).update(next_fire_at=now - timedelta(minutes=1))
        with CaptureQueriesContext(connection) as ctx:
            reminders_tick(now=now)
        samples = [one_tick() for _ in range(TICK_ROUNDS)]
        results[name] = {
            "p50_ms": round(statistics.median(samples), 3),
            "p99_ms": round(percentile(samples, 0.99), 3),
            "queries": len(ctx),
        }
    return results


def two_years_of_history(user: object, now: datetime) -> None:
    """~300 sessions, ~4,000 sets and ~700 check-ins over two years, written in bulk."""
    from datetime import date

    from tracker.models import CheckIn, SessionSet, WorkoutSession

    sessions = WorkoutSession.objects.bulk_create(
        WorkoutSession(
            user=user, client_id=uuid.uuid4(), started_at=now - timedelta(days=2 * i + 1, hours=1),
            pain_during=i % 6, pain_next_morning=(i + 1) % 6,
        )
        for i in range(300)
    )  # fmt: skip
    SessionSet.objects.bulk_create(
        (
            SessionSet(
                session=s, position=k, exercise_id=("glute-bridge", "clamshell")[k % 2],
                side=("both", "left")[k % 2], reps=10 + k % 3, band=1 + k % 5,
            )
            for s in sessions
            for k in range(13)
        ),
        batch_size=2000,
    )  # fmt: skip
    today = now.date()
    CheckIn.objects.bulk_create(
        CheckIn(user=user, client_id=uuid.uuid4(), date=today - timedelta(days=d), pain=d % 7)
        for d in range(700)
        if today - timedelta(days=d) > date(2000, 1, 1)
    )


def session_body(sets: int) -> dict[str, object]:
    exercises = [
        ("glute-bridge", "both"),
        ("clamshell", "left"),
        ("clamshell", "right"),
        ("single-leg-rdl", "left"),
        ("single-leg-rdl", "right"),
        ("lateral-band-walk", "both"),
    ]
    return {
        "client_id": str(uuid.uuid4()),
        "started_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
        "pain_during": 2,
        "sets": [
            {
                "exercise": exercises[i % 6][0],
                "side": exercises[i % 6][1],
                "reps": 10 + i % 3,
                "band": "red",
                "load_kg": 4.5,
            }
            for i in range(sets)
        ],
    }


def load_step() -> dict[str, dict[str, float]]:
    """gunicorn (2 workers) on PostgreSQL under 32 clients: tests/bench/load.py, in its own
    process."""
    import subprocess

    if not os.environ.get("BENCH_DATABASE_URL", "").startswith("postgres"):
        print("load: skipped (set BENCH_DATABASE_URL=postgres://... to run it)")
        return {}
    clients, seconds = os.environ.get("LOAD_CLIENTS", "32"), os.environ.get("LOAD_SECONDS", "60")
    print(f"load: gunicorn, 2 workers, {clients} clients, {seconds} s mixed, as long on the floor")
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "bench" / "load.py")],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        print(done.stderr[-3000:])
        raise SystemExit("load: failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


RUSH_SECONDS = 60.0
CLAIM_SECONDS = 60.0
PUSH_MAX_FLOOR_RATIO = 3.0


def rush_step() -> dict[str, dict[str, float]]:
    """The reminder rush on PostgreSQL and Redis with real workers: tests/bench/rush.py, in its
    own process."""
    import subprocess

    if not (
        os.environ.get("BENCH_DATABASE_URL", "").startswith("postgres")
        and os.environ.get("BENCH_REDIS_URL", "").startswith("redis")
    ):
        print(
            "rush: skipped (set BENCH_DATABASE_URL=postgres://... and BENCH_REDIS_URL=redis://...)"
        )
        return {}
    print("rush: 1,000 then 10,000 due in one minute, 2 worker processes; 100,000 claimed")
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "bench" / "rush.py")],
        cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit("rush: failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def rush_goals(results: dict[str, dict[str, float]]) -> list[str]:
    failed = []
    for name in ("reminder_rush_1k", "reminder_rush_10k"):
        r = results[name]
        print(f"{name}: {r['delivered']} of {r['due']} delivered, {r['duplicates']} twice, "
              f"{r['lost']} lost, last {r['seconds']} s after the slot, "
              f"{r['per_second_per_worker']} per second per worker process")  # fmt: skip
    r = results["reminder_rush_10k"]
    if r["delivered"] != r["due"] or r["duplicates"] or r["lost"]:
        failed.append(f"reminder_rush_10k: {r['delivered']} of {r['due']} delivered, "
                      f"{r['duplicates']} twice, {r['lost']} lost (goal: each once)")  # fmt: skip
    if r["seconds"] > RUSH_SECONDS:
        failed.append(f"reminder_rush_10k: last after {r['seconds']} s (goal <= {RUSH_SECONDS})")
    c = results["reminder_claim_100k"]
    print(f"reminder_claim_100k: {c['claimed']} of {c['due']} claimed in {c['seconds']} s")
    if c["claimed"] != c["due"] or c["seconds"] > CLAIM_SECONDS:
        failed.append(f"reminder_claim_100k: {c['claimed']} of {c['due']} in {c['seconds']} s "
                      f"(goal: all within {CLAIM_SECONDS} s)")  # fmt: skip
    ratio = results["push_deliver"]["p50_ms"] / results["push_crypto_floor"]["p50_ms"]
    print(f"push_deliver / push_crypto_floor (CPU per push): {ratio:.2f} "
          f"(goal <= {PUSH_MAX_FLOOR_RATIO}), "
          f"{results['push_deliver']['queries_per_batch']} queries per batch")  # fmt: skip
    if ratio > PUSH_MAX_FLOOR_RATIO:
        failed.append(f"push_deliver is {ratio:.2f}x push_crypto_floor "
                      f"(goal <= {PUSH_MAX_FLOOR_RATIO}x)")  # fmt: skip
    return failed


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="h2k-bench-") as tmp:
        setup_django(tmp)
        from django.core.cache import cache
        from django.db import connection
        from django.test import Client

        from tracker.api import answers
        from tracker.models import User
        from tracker.services import accounts
        from tracker.services.tokens import token_create

        old_name = connection.settings_dict["NAME"]
        # A name of its own, so a bench never touches pytest's test database or DATABASE_URL's.
        throwaway = f"h2k_bench_{os.getpid()}"
        if connection.vendor == "sqlite":
            throwaway = f"{tmp}/{throwaway}.sqlite3"
        connection.settings_dict.setdefault("TEST", {})["NAME"] = throwaway
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            user = User.objects.create_user("bench@example.com", "bench-password-123")
            _, raw = token_create(user=user, name="bench")
            client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

            def floor() -> None:
                assert client.get("/bench/floor").status_code == 200

            def log_session() -> None:
                body = json.dumps(session_body(12))
                response = client.post("/api/v1/sessions", body, content_type="application/json")
                assert response.status_code == 201, response.content

            # the same progress request for a user with eight weeks and one with two years
            from tracker.demo import seed_history

            readers = {}
            for label in ("8w", "2y"):
                reader = accounts.user_signup(
                    email=f"progress-{label}@example.com", password="bench-password-123"
                )
                if label == "8w":
                    seed_history(reader)
                else:
                    two_years_of_history(reader, datetime.now(UTC))
                readers[label] = Client(
                    HTTP_AUTHORIZATION=f"Bearer {token_create(user=reader, name='b')[1]}"
                )

            def progress(label: str) -> Callable[[], None]:
                def call() -> None:
                    response = readers[label].get("/api/v1/progress/weekly?weeks=12")
                    assert response.status_code == 200, response.content

                return call

            def computed(label: str) -> tuple[Callable[[], None], Callable[[], None]]:
                """Progress worked out, as after a change: the answer kept is dropped first
                (progress's history cache stays, as a change in the last weeks leaves it)."""
                reader = User.objects.select_related("profile").get(
                    email=f"progress-{label}@example.com"
                )
                key = answers.progress_key(reader, 12)
                return (lambda: cache.delete(key)), progress(label)

            results = measure(
                {
                    "floor": floor,
                    "log_session": log_session,
                    "weekly_progress_8w": computed("8w"),
                    "weekly_progress_2y": computed("2y"),
                    "weekly_progress_kept": progress("8w"),
                }
            )
            results.update(reminder_ticks())
            engine = connection.vendor
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    results.update(load_step())
    results.update(rush_step())
    floor_p50 = results["floor"]["p50_ms"]
    print(f"engine: {engine}, rounds: {ROUNDS}")
    print(f"{'name':<20}{'p50 ms':>10}{'p99 ms':>10}{'queries':>9}{'p50 / floor':>13}")
    for name, r in results.items():
        if name.startswith(("load_", "reminder_rush", "reminder_claim", "push_")):
            continue
        ratio = r["p50_ms"] / floor_p50
        print(f"{name:<20}{r['p50_ms']:>10.3f}{r['p99_ms']:>10.3f}{r['queries']:>9}{ratio:>13.2f}")
    written = ROOT / "var" / "bench" / "latest.json"
    written.parent.mkdir(parents=True, exist_ok=True)
    written.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {written.relative_to(ROOT)}")

    failed = []
    for name, goal in GOALS.items():
        ratio = results[name]["p50_ms"] / floor_p50
        if ratio > goal["max_ratio"]:
            failed.append(f"{name}: p50 is {ratio:.2f}x the floor (goal <= {goal['max_ratio']}x)")
        if results[name]["queries"] > goal["max_queries"]:
            failed.append(
                f"{name}: {results[name]['queries']} queries (goal <= {goal['max_queries']})"
            )
    history_ratio = (
        results["weekly_progress_2y"]["p50_ms"] / results["weekly_progress_8w"]["p50_ms"]
    )
    print(f"weekly_progress_2y / weekly_progress_8w: {history_ratio:.2f} (goal <= 1.5)")
    if history_ratio > 1.5:
        failed.append(f"weekly_progress_2y is {history_ratio:.2f}x the 8 weeks (goal <= 1.5x)")
    tick_ratio = results["reminder_tick_100k"]["p50_ms"] / results["reminder_tick_1k"]["p50_ms"]
    print(f"reminder_tick_100k / reminder_tick_1k: {tick_ratio:.2f} (goal <= 3)")
    if tick_ratio > 3:
        failed.append(f"reminder_tick_100k is {tick_ratio:.2f}x reminder_tick_1k (goal <= 3x)")
    if "load_mixed" in results:
        mixed, bare = results["load_mixed"], results["load_floor"]
        share = mixed["rps"] / bare["rps"]
        for name in ("load_mixed", "load_floor"):
            r = results[name]
            print(f"{name:<12} {r['rps']:>8} req/s  p50 {r['p50_ms']} ms  p99 {r['p99_ms']} ms  "
                  f"errors {r['errors']}")  # fmt: skip
        print(
            f"load_mixed / load_floor requests per second: {share:.2f} (goal >= {LOAD_MIN_SHARE})"
        )
        if share < LOAD_MIN_SHARE:
            failed.append(
                f"load_mixed serves {share:.2f}x the floor's requests/s (goal >= {LOAD_MIN_SHARE}x)"
            )
        if mixed["errors"] or bare["errors"]:
            failed.append(f"load errors: {mixed['errors']} mixed, {bare['errors']} floor (goal 0)")
    if "reminder_rush_10k" in results:
        failed.extend(rush_goals(results))
    for line in failed:
        print("GOAL MISSED:", line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
