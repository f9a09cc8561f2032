"""The rush step of `make bench`: reminders all due in one minute, on PostgreSQL
(BENCH_DATABASE_URL, a throwaway database of its own) and Redis (BENCH_REDIS_URL), delivered by
real Celery worker processes to the local push receiver the tests use (tests/pushreceiver.py),
which decrypts everything it got. Prints one JSON line:

- ``push_crypto_floor`` {p50_ms}: the cryptography of one push alone, CPU time: one ECDH with a
  fresh key, HKDF and AES-GCM (RFC 8291, via http_ece) and one ES256 signature (a VAPID JWT);
- ``push_deliver`` {p50_ms, queries_per_batch}: CPU time of one delivery in this process, sent
  in a batch of ``BATCH`` as a worker sends them (reading the situation, encrypting, the HTTP
  round trip's client side, recording), per delivery;
- ``reminder_rush_1k`` and ``reminder_rush_10k`` {due, delivered, duplicates, lost, seconds,
  per_second_per_worker}: that many users with one device each, all due in one minute; beat's
  tick sent at the start of the minute as beat sends it, ``WORKERS`` worker processes (threads,
  listening on both queues, as `make run` starts one); ``seconds`` from the slot to the last
  delivery; ``worker_cpu_ms_per_delivery`` the workers' CPU time over the deliveries;
- ``reminder_claim_100k`` {due, claimed, seconds}: 100,000 due in one minute, the claim phase
  of a tick alone (every batch claimed, nothing handed to a broker).

Run by tests/bench/run.py in a process of its own.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
WORKERS = 2
THREADS = 2
BATCH = 50
ROUNDS = int(os.environ.get("BENCH_PUSH_ROUNDS", "20"))
SECRET_KEY = "rush-only-secret-" + "x" * 40


def say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def prepare(url: str, receiver_origin: str) -> tuple[str, str]:
    from tests.pushreceiver import vapid_keypair

    private, public = vapid_keypair()
    os.environ.update(
        DATABASE_URL=url, DEBUG="0", DJANGO_SETTINGS_MODULE="config.settings",
        CELERY_BROKER_URL=os.environ["BENCH_REDIS_URL"], VAPID_PRIVATE_KEY=private,
        VAPID_PUBLIC_KEY=public, PUSH_ENDPOINT_ALLOW=f"{receiver_origin}/push/",
        SECURE_SSL_REDIRECT="0",
    )  # fmt: skip
    os.environ.setdefault("SECRET_KEY", SECRET_KEY)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return private, public


def cpu_ms(call: object) -> float:
    start = time.thread_time()
    call()  # type: ignore[operator]
    return (time.thread_time() - start) * 1000


def crypto_floor(receiver: object) -> dict[str, float]:
    import http_ece
    from cryptography.hazmat.primitives.asymmetric import ec

    from tests.pushreceiver import unb64url
    from tracker import push

    device = receiver.subscription("floor")  # type: ignore[attr-defined]
    dh, secret = unb64url(device["keys"]["p256dh"]), unb64url(device["keys"]["auth"])
    body = json.dumps({"title": "Time for your hips", "body": "x" * 120}).encode()

    def one() -> None:
        http_ece.encrypt(
            body, private_key=ec.generate_private_key(ec.SECP256R1()), dh=dh,
            auth_secret=secret, version="aes128gcm",
        )  # fmt: skip
        push.vapid().sign({"sub": "mailto:bench@example.com", "aud": "https://x", "exp": 1})

    for _ in range(50):
        one()
    return {"p50_ms": round(statistics.median(cpu_ms(one) for _ in range(500)), 3)}


def deliver_cost(receiver: object) -> dict[str, float]:
    """Batches of ``BATCH`` claimed slots sent here, as a worker sends them: CPU per delivery."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.crowd import crowd
    from tracker import dispatch
    from tracker.models import Delivery, Reminder

    slot = datetime.now(UTC).replace(second=0, microsecond=0)
    crowd(receiver, users=BATCH, reminders_each=1, slot=slot, prefix="cost")
    reminders = list(Reminder.objects.filter(user__email__startswith="cost"))
    samples, queries = [], 0
    for n in range(ROUNDS + 3):
        at = slot - timedelta(days=n + 1)
        ids = [
            d.id
            for d in Delivery.objects.bulk_create(
                Delivery(reminder=r, slot=at, claimed_at=slot) for r in reminders
            )
        ]
        with CaptureQueriesContext(connection) as ctx:
            spent = cpu_ms(lambda ids=ids: dispatch.deliver_batch(ids, now=slot))  # type: ignore[misc]
        assert Delivery.objects.filter(pk__in=ids, status="sent").count() == BATCH
        if n >= 3:  # the first ones warm the caches and connections
            samples.append(spent / BATCH)
            queries = len(ctx)
    Reminder.objects.filter(user__email__startswith="cost").delete()
    return {"p50_ms": round(statistics.median(samples), 3), "queries_per_batch": queries}


def start_workers(env: dict[str, str]) -> list[subprocess.Popen[bytes]]:
    from celery import Celery

    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=threads",
               f"--concurrency={THREADS}", "--without-gossip", "--without-mingle",
               "--loglevel=WARNING", "--queues=ticks,deliveries,accounts,celery"]  # fmt: skip
    workers = [
        subprocess.Popen([*command, f"--hostname=h2k-bench-{n}@%h"], cwd=ROOT, env=env)
        for n in range(WORKERS)
    ]
    app = Celery("h2k-bench-client", broker=env["CELERY_BROKER_URL"], set_as_current=False)
    deadline = time.monotonic() + 120
    while True:
        names = {n for reply in app.control.ping(timeout=1.0) for n in reply}
        if sum(1 for n in names if n.startswith("h2k-bench-")) == WORKERS:
            return workers
        if time.monotonic() > deadline or any(w.poll() is not None for w in workers):
            raise RuntimeError("the workers did not start")


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) the processes have used so far (Linux /proc; 0 elsewhere)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def rush(
    receiver: object, app: object, workers: list[int], *, users: int, prefix: str
) -> dict[str, float]:
    """``users`` users, one device and one reminder each, all due in the next whole minute;
    beat's tick sent at that minute's start; waits for the last delivery."""
    from django.db.models import Q

    from tests.crowd import crowd
    from tracker.models import Delivery, Reminder

    now = datetime.now(UTC)
    slot = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    crowd(receiver, users=users, reminders_each=1, slot=slot, prefix=prefix)
    mine = Q(user__email__startswith=prefix)
    Reminder.objects.filter(mine).update(next_fire_at=slot)
    due = Reminder.objects.filter(mine).count()
    receiver.received.clear()  # type: ignore[attr-defined]
    wait = (slot - datetime.now(UTC)).total_seconds()
    if wait < 2:  # too close to the minute: the next one
        slot += timedelta(minutes=1)
        Reminder.objects.filter(mine).update(next_fire_at=slot)
        wait += 60
    say(f"rush: {due} due at {slot:%H:%M:%S}, waiting {wait:.0f} s for the minute")
    time.sleep(max(0.0, (slot - datetime.now(UTC)).total_seconds()))
    cpu_before = cpu_seconds(workers)
    app.send_task("tracker.tasks.dispatch_due_reminders", queue="ticks")  # type: ignore[attr-defined]
    deadline = time.monotonic() + 480
    while time.monotonic() < deadline:
        done = Delivery.objects.filter(slot=slot, reminder__user__email__startswith=prefix)
        if done.count() >= due and not done.filter(status__in=("claimed", "sending")).exists():
            break
        time.sleep(0.5)
    cpu = cpu_seconds(workers) - cpu_before
    time.sleep(2)  # room for a duplicate to show up, if there were one
    received = list(receiver.received)  # type: ignore[attr-defined]
    tag_of = receiver.decrypt  # type: ignore[attr-defined]
    got = Counter((m.path, tag_of(m)["tag"]) for m in received)
    delivered = len(got)
    first = min((m.at for m in received), default=slot.timestamp())
    last = max((m.at for m in received), default=slot.timestamp())
    return {
        "due": due,
        "delivered": delivered,
        "duplicates": sum(got.values()) - delivered,
        "lost": due - delivered,
        "seconds": round(last - slot.timestamp(), 2),
        "per_second_per_worker": round(delivered / max(last - first, 1e-3) / WORKERS, 1),
        "worker_cpu_ms_per_delivery": round(cpu * 1000 / max(delivered, 1), 2),
    }


def claim_100k() -> dict[str, float]:
    from datetime import time as clock

    from tracker import dispatch
    from tracker.models import Delivery, Reminder, User

    owners = list(User.objects.filter(email__startswith="r10k")[:10_000])
    slot = datetime.now(UTC).replace(second=0, microsecond=0)
    Reminder.objects.all().delete()
    Reminder.objects.bulk_create(
        (
            Reminder(user=owners[i % len(owners)], weekdays=127, time=clock(7, 0),
                     skip_if_done=False, next_fire_at=slot)
            for i in range(100_000)
        ),
        batch_size=5000,
    )  # fmt: skip
    due = Reminder.objects.filter(next_fire_at__lte=slot).count()
    start = time.perf_counter()
    claimed = sum(len(batch) for batch in dispatch.reminders_tick_batches(now=slot))
    seconds = time.perf_counter() - start
    assert Delivery.objects.filter(slot=slot).count() == claimed
    return {"due": due, "claimed": claimed, "seconds": round(seconds, 2)}


def main() -> int:
    import psycopg
    from celery import Celery

    from tests.pushreceiver import PushReceiver

    base = urlsplit(os.environ["BENCH_DATABASE_URL"])
    name = f"h2k_rush_{os.getpid()}"
    url = urlunsplit(base._replace(path=f"/{name}"))
    admin_url = urlunsplit(base._replace(path=base.path or "/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    receiver = PushReceiver().start()
    workers: list[subprocess.Popen[bytes]] = []
    try:
        prepare(url, receiver.origin)
        results: dict[str, dict[str, float]] = {}
        results["push_crypto_floor"] = crypto_floor(receiver)
        results["push_deliver"] = deliver_cost(receiver)
        say(f"rush: push {results['push_deliver']}, floor {results['push_crypto_floor']}")
        from django.db import connections

        connections.close_all()
        app = Celery("h2k-bench-client", broker=os.environ["BENCH_REDIS_URL"])
        app.control.purge()
        with app.connection_for_write() as conn:
            for queue in ("ticks", "deliveries"):
                conn.default_channel.queue_purge(queue)
        workers = start_workers(dict(os.environ))
        pids = [w.pid for w in workers]
        results["reminder_rush_1k"] = rush(receiver, app, pids, users=1_000, prefix="r1k")
        say(f"rush: 1k {results['reminder_rush_1k']}")
        results["reminder_rush_10k"] = rush(receiver, app, pids, users=10_000, prefix="r10k")
        say(f"rush: 10k {results['reminder_rush_10k']}")
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=60)
        results["reminder_claim_100k"] = claim_100k()
        say(f"rush: claim {results['reminder_claim_100k']}")
        print(json.dumps(results))
        return 0
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
        receiver.stop()
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
