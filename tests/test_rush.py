"""The reminder rush: thousands due in one minute, each delivered once, none crowding out another
user's; ticks and deliveries on queues of their own; one bad device never stops the others;
fair use per account."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from datetime import time as dt_time

import pytest

from tests.conftest import DEVICE_KEYS, signed_in
from tests.crowd import crowd
from tests.pushreceiver import b64url
from tests.test_celery import ROOT, celery_url, client_app, database_url_for_subprocess
from tracker import dispatch, push
from tracker.models import Delivery, PushSubscription, Reminder


@pytest.fixture(autouse=True)
def fresh_throttles() -> None:
    """push/test counts per account in the cache; ids repeat from test to test."""
    from django.core.cache import cache

    cache.clear()


def minute_ago() -> datetime:
    return datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=1)


def wait_until(condition, timeout: float = 240) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def tags_by_device(receiver) -> Counter:  # type: ignore[no-untyped-def]
    """How many times each device got each notification (decrypted, so each is a real one)."""
    return Counter((m.path, receiver.decrypt(m)["tag"]) for m in list(receiver.received))


@pytest.fixture
def worker(live_db, receiver, settings):  # type: ignore[no-untyped-def]
    """Starts real Celery worker processes on the Redis broker, as `make run` starts its one
    (threads, both queues), sending to ``receiver``; the queues are emptied first."""
    url = celery_url()
    app = client_app(url)
    app.control.purge()
    for queue in ("ticks", "deliveries"):
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(queue)
    started: list[subprocess.Popen] = []

    def start(*queues: str) -> subprocess.Popen:
        env = {
            **os.environ, "CELERY_BROKER_URL": url,
            "DATABASE_URL": database_url_for_subprocess(),
            "VAPID_PRIVATE_KEY": settings.VAPID_PRIVATE_KEY,
            "VAPID_PUBLIC_KEY": settings.VAPID_PUBLIC_KEY, "DEBUG": "0",
            "SECRET_KEY": "worker-test-secret-" + "x" * 40,
            "PUSH_ENDPOINT_ALLOW": f"{receiver.origin}/push/",
        }  # fmt: skip
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=threads",
                   "--concurrency=2", "--without-gossip", "--without-mingle", "--loglevel=INFO",
                   f"--hostname=h2k-rush-{len(started)}@%h"]  # fmt: skip
        if queues:
            command.append("--queues=" + ",".join(queues))
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        started.append(process)
        deadline = time.monotonic() + 60
        name = f"h2k-rush-{len(started) - 1}@"
        while not any(n.startswith(name) for r in app.control.ping(timeout=1.0) for n in r):
            assert process.poll() is None and time.monotonic() < deadline, "worker did not start"
        return process

    yield app, start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    app.control.purge()


@pytest.mark.redis
@pytest.mark.timeout(600)
def test_1500_reminders_due_in_one_minute_are_each_delivered_once_by_one_tick(worker, receiver):
    app, start = worker
    slot = minute_ago()
    crowd(receiver, users=300, reminders_each=5, slot=slot)
    # another user, one reminder for the same minute, set up through the API like anyone
    api, _ = signed_in("zoe@example.com")
    assert api.post("push/subscriptions", receiver.subscription("zoe")).status_code == 201
    zoe = api.post("reminders", {"weekdays": list(range(7)), "time": "07:00"}).json()["id"]
    Reminder.objects.filter(pk=zoe).update(next_fire_at=slot)
    start()
    app.send_task("tracker.tasks.dispatch_due_reminders", queue="ticks")  # beat, once
    wait_until(lambda: len(receiver.received) >= 1501)
    wait_until(lambda: not Delivery.objects.filter(status__in=("claimed", "sending")).exists())
    time.sleep(3)  # room for a duplicate to show up, if there were one
    got = tags_by_device(receiver)
    assert len(got) == 1501 and set(got.values()) == {1}  # every slot, each once
    assert Delivery.objects.filter(status="sent", slot=slot).count() == 1501
    # Zoe's arrived for its own slot, from that one tick, not skipped as too late
    zoes = [tag for path, tag in got if path == "/push/zoe"]
    assert zoes == [f"h2k-reminder-{zoe}-{slot:%Y%m%dT%H%M}"]
    # and every reminder moved on to tomorrow
    assert not Reminder.objects.filter(next_fire_at__lte=datetime.now(UTC)).exists()


@pytest.mark.redis
@pytest.mark.timeout(300)
def test_a_tick_and_a_delivery_never_wait_for_each_other(worker, receiver):
    from config.celery import app as project_app

    app, start = worker
    # the routes: each kind on its own queue (a tick is never behind a backlog of deliveries)
    route = project_app.amqp.router.route
    assert route({}, "tracker.tasks.dispatch_due_reminders")["queue"].name == "ticks"
    assert route({}, "tracker.tasks.deliver_reminders")["queue"].name == "deliveries"
    project_app.conf.broker_url = celery_url()
    try:
        from tracker.tasks import deliver_reminders, dispatch_due_reminders

        for _ in range(200):
            deliver_reminders.delay([0])  # a backlog (of nothing to send)
        dispatch_due_reminders.delay()
        with app.connection_for_write() as conn:
            redis = conn.default_channel.client
            assert redis.llen("ticks") == 1 and redis.llen("deliveries") == 200
        app.control.purge()
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge("ticks")
            conn.default_channel.queue_purge("deliveries")
    finally:
        project_app.conf.broker_url = os.environ.get("CELERY_BROKER_URL") or "filesystem://"

    # one worker as `make run` starts it: a delivery stuck at a slow push service ...
    ada_api, _ = signed_in("ada@example.com")
    ada_api.post("push/subscriptions", receiver.subscription("ada"))
    ada_api.post("reminders", {"weekdays": list(range(7)), "time": "07:00", "skip_if_done": False})
    Reminder.objects.update(next_fire_at=minute_ago())
    gate = receiver.hold("/push/ada")
    start()
    app.send_task("tracker.tasks.dispatch_due_reminders", queue="ticks")
    wait_until(lambda: any(m.path == "/push/ada" for m in receiver.received))
    try:
        # ... holds neither the next tick nor the delivery that tick hands out
        bo_api, _ = signed_in("bo@example.com")
        bo_api.post("push/subscriptions", receiver.subscription("bo"))
        bo_api.post("reminders", {"weekdays": list(range(7)), "time": "08:00"})
        Reminder.objects.filter(user__email="bo@example.com").update(next_fire_at=minute_ago())
        app.send_task("tracker.tasks.dispatch_due_reminders", queue="ticks")
        wait_until(lambda: any(m.path == "/push/bo" for m in receiver.received))
        assert Delivery.objects.get(reminder__user__email="ada@example.com").status == "sending"
    finally:
        gate.set()
    wait_until(lambda: Delivery.objects.filter(status="sent").count() == 2)


@pytest.mark.redis
@pytest.mark.timeout(600)
def test_a_worker_killed_mid_batch_still_leaves_every_slot_sent_once(worker, receiver):
    app, start = worker
    slot = minute_ago()
    crowd(receiver, users=30, reminders_each=1, slot=slot, prefix="kill")
    gate = receiver.hold("/push/kill27")  # the push service hangs on the 28th device
    first = start()
    app.send_task("tracker.tasks.dispatch_due_reminders", queue="ticks")
    wait_until(lambda: any(m.path == "/push/kill27" for m in receiver.received))
    os.kill(first.pid, signal.SIGKILL)  # mid-batch: some sent and recorded, some not
    first.wait()
    gate.set()
    recorded = set(
        Delivery.objects.filter(status="sent").values_list("reminder__user__email", flat=True)
    )
    assert 0 < len(recorded) < 30
    start()
    # the dead worker's leases and claims run out; the next tick hands those slots out again
    later = datetime.now(UTC) + dispatch.LEASE + dispatch.STALE + timedelta(seconds=5)
    again = dispatch.reminders_tick(now=later)
    assert len(again) == 30 - len(recorded)
    Delivery.objects.filter(pk__in=again).update(lease_until=None)  # (they ran on the real clock)
    app.send_task("tracker.tasks.deliver_reminders", (again,), queue="deliveries")
    wait_until(lambda: Delivery.objects.filter(status="sent").count() == 30)
    time.sleep(3)  # room for a duplicate to show up, if there were one
    # one delivery per slot, every device has its slot ...
    assert Delivery.objects.filter(slot=slot).count() == 30
    got = tags_by_device(receiver)
    assert {path for path, _ in got} == {f"/push/kill{n}" for n in range(30)}
    assert len(got) == 30  # ... one notification each: a resend carries the same tag
    for message in receiver.received:  # ... and the same Topic, so it replaces, never adds
        assert message.headers["topic"] == push.topic_for(receiver.decrypt(message)["tag"])
    # what was recorded as sent before the kill was never sent again
    for email in recorded:
        path = "/push/" + email.split("@")[0]
        assert sum(1 for m in receiver.received if m.path == path) == 1


def reminders_due(count: int, slot: datetime) -> None:
    from tests.factories import UserFactory

    owners = [UserFactory() for _ in range(-(-count // 20))]  # 20 reminders per account
    Reminder.objects.bulk_create(
        Reminder(user=owners[n // 20], weekdays=127, time=dt_time(7), next_fire_at=slot)
        for n in range(count)
    )


@pytest.mark.django_db
def test_a_tick_asks_for_claimers_beside_it_only_in_a_rush(monkeypatch, settings):
    monkeypatch.setattr(dispatch, "CLAIM_BATCH", 10)
    now = datetime.now(UTC)
    reminders_due(8, minute_ago())
    assert dispatch.claim_helpers(now=now) == 0  # one batch: the tick alone
    reminders_due(30, minute_ago())
    assert dispatch.claim_helpers(now=now) == 1  # REMINDER_CLAIMERS (2) in all
    settings.REMINDER_CLAIMERS = 3
    assert dispatch.claim_helpers(now=now) == 2
    settings.REMINDER_CLAIMERS = 8
    assert dispatch.claim_helpers(now=now) == 3  # no more than there are batches
    settings.REMINDER_CLAIMERS = 1
    assert dispatch.claim_helpers(now=now) == 0


@pytest.mark.django_db(transaction=True)
def test_a_rushs_tick_and_the_claimer_beside_it_hand_out_each_slot_once(live_db, monkeypatch):
    from config.celery import app as project_app
    from tracker import tasks

    assert project_app.amqp.router.route({}, tasks.claim_due_reminders.name)["queue"].name == (
        "ticks"
    )
    monkeypatch.setattr(dispatch, "CLAIM_BATCH", 10)
    reminders_due(95, minute_ago())
    handed_out: list[int] = []
    claimers: list[threading.Thread] = []
    sent: list[tuple] = []

    def a_worker_takes_it(args, **options):  # type: ignore[no-untyped-def]
        sent.append((args, options))
        claimer = threading.Thread(target=lambda: (tasks.claim_due_reminders(*args), close()))
        claimers.append(claimer)
        claimer.start()

    def close() -> None:
        from django.db import connection

        connection.close()

    monkeypatch.setattr(tasks.claim_due_reminders, "apply_async", a_worker_takes_it)
    monkeypatch.setattr(tasks.deliver_reminders, "delay", handed_out.extend)
    tick = threading.Thread(target=lambda: (tasks.dispatch_due_reminders(), close()))
    tick.start()
    tick.join(60)
    for claimer in claimers:
        claimer.join(60)
    [(args, options)] = sent  # one claimer beside the tick, told the tick's minute
    assert datetime.fromisoformat(args[0]) <= datetime.now(UTC) and options["expires"] <= 60
    assert len(handed_out) == len(set(handed_out)) == 95
    assert Delivery.objects.count() == 95
    assert not Reminder.objects.filter(next_fire_at__lte=datetime.now(UTC)).exists()


# --- one bad device never stops the others ----------------------------------------------------
OFF_THE_CURVE = b64url(b"\x04" + b"\x01" * 64)  # 65 bytes, uncompressed, but no point of P-256


@pytest.mark.django_db
def test_a_key_that_is_not_a_point_on_the_curve_is_refused(api, receiver):
    device = receiver.subscription("phone")
    device["keys"]["p256dh"] = OFF_THE_CURVE
    response = api.post("push/subscriptions", device)
    assert response.status_code == 422
    assert "P-256" in response.json()["errors"]["keys.p256dh"]
    assert not PushSubscription.objects.exists()


@pytest.mark.django_db
def test_a_bad_subscription_among_good_ones_does_not_stop_them(api, alice, receiver):
    _, user = alice
    api.post("push/subscriptions", receiver.subscription("phone"))
    api.post("push/subscriptions", receiver.subscription("tablet"))
    api.post("push/subscriptions", receiver.subscription("laptop"))
    # a subscription stored before keys were checked, with a key off the curve
    PushSubscription.objects.create(
        user=user, endpoint=f"{receiver.origin}/push/broken", p256dh=OFF_THE_CURVE,
        auth=DEVICE_KEYS["auth"],
    )  # fmt: skip
    receiver.answers = {"/push/laptop": [400, 400, 400]}  # a device its service refuses
    # push/test: an answer, not a 500; the good devices got it
    test = api.post("push/test")
    assert test.status_code == 200
    assert test.json()["sent"] == 2 and test.json()["failed"] == 2
    broken = PushSubscription.objects.get(endpoint__endswith="/broken")
    assert broken.failures == 1 and "encrypt" in broken.last_error
    for _ in range(2):  # two reminders, one after the other
        Reminder.objects.all().delete()
        reminder = api.post(
            "reminders", {"weekdays": list(range(7)), "time": "07:00", "skip_if_done": False}
        ).json()["id"]
        Reminder.objects.filter(pk=reminder).update(next_fire_at=minute_ago())
        now = datetime.now(UTC)
        outcomes = [dispatch.deliver(i, now=now) for i in dispatch.reminders_tick(now=now)]
        assert [o.status for o in outcomes] == ["sent"]
    paths = Counter(m.path for m in receiver.received)
    assert paths["/push/phone"] == paths["/push/tablet"] == 3  # the test and both reminders
    # after three permanent failures in a row the bad ones are dropped; the good ones stay
    left = set(PushSubscription.objects.values_list("endpoint", flat=True))
    assert left == {f"{receiver.origin}/push/phone", f"{receiver.origin}/push/tablet"}
    phone = PushSubscription.objects.get(endpoint__endswith="/phone")
    assert phone.failures == 0 and phone.last_success_at is not None


@pytest.mark.django_db
def test_the_vapid_token_is_signed_once_per_push_service_and_the_connection_kept(
    api, receiver, settings
):
    from tests.pushreceiver import PushReceiver

    other = PushReceiver().start()  # a second push service
    settings.PUSH_ENDPOINT_ALLOW = [f"{receiver.origin}/push/", f"{other.origin}/push/"]
    try:
        for name in ("a", "b", "c"):
            api.post("push/subscriptions", receiver.subscription(name))
        api.post("push/subscriptions", other.subscription("d"))
        api.post("push/subscriptions", other.subscription("e"))
        for _ in range(2):
            assert api.post("push/test").json()["sent"] == 5
        here = [receiver.vapid_claims(m, settings.VAPID_PUBLIC_KEY) for m in receiver.received]
        there = [other.vapid_claims(m, settings.VAPID_PUBLIC_KEY) for m in other.received]
        assert len(here) == 6 and len(there) == 4
        # one token per service, for its own audience, used for every push to it ...
        tokens = {m.headers["authorization"] for m in receiver.received}
        assert len(tokens) == 1 and {c["aud"] for c in here} == {receiver.origin}
        assert len({m.headers["authorization"] for m in other.received}) == 1
        assert {c["aud"] for c in there} == {other.origin}
        # ... that expires well within the 24 h allowed
        assert here[0]["exp"] - time.time() <= 12 * 3600
        # every push to one service went over one kept-alive connection
        assert len({m.peer for m in receiver.received}) == 1
        assert len({m.peer for m in other.received}) == 1
    finally:
        other.stop()


@pytest.mark.django_db
def test_a_batch_slowed_by_one_users_push_service_hands_the_rest_to_another_worker(receiver):
    from tests.conftest import signed_in as sign_up

    for name in ("slow", "quick"):
        api, _ = sign_up(f"{name}@example.com")
        api.post("push/subscriptions", receiver.subscription(name))
        api.post("reminders", {"weekdays": list(range(7)), "time": "07:00", "skip_if_done": False})
    Reminder.objects.update(next_fire_at=minute_ago())
    receiver.delays = {"/push/slow": 1.0}
    now = datetime.now(UTC)
    ids = dispatch.reminders_tick(now=now)
    outcomes = dispatch.deliver_batch(ids, now=now, budget_seconds=0.5)
    by_user = {
        d.reminder.user.email: outcomes[d.id]
        for d in Delivery.objects.select_related("reminder__user")
    }
    assert by_user["slow@example.com"].status == "sent"
    assert by_user["quick@example.com"].status == "later"  # not kept waiting behind it
    quick = Delivery.objects.get(reminder__user__email="quick@example.com")
    assert quick.status == "claimed" and quick.attempts == 0
    assert dispatch.deliver_batch([quick.id], now=now)[quick.id].status == "sent"
    assert Counter(m.path for m in receiver.received) == {"/push/slow": 1, "/push/quick": 1}


# --- fair use -----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_an_account_has_at_most_20_reminders(api):
    body = {"weekdays": [0], "time": "07:00"}
    for _ in range(20):
        assert api.post("reminders", body).status_code == 201
    response = api.post("reminders", body)
    assert response.status_code == 422
    assert "20" in response.json()["errors"]["reminders"]
    assert Reminder.objects.count() == 20
    # one gone makes room for another
    first = api.get("reminders").json()[0]["id"]
    assert api.delete(f"reminders/{first}").status_code == 204
    assert api.post("reminders", body).status_code == 201


@pytest.mark.django_db
def test_an_account_has_push_on_at_most_10_devices(api, bob, receiver):
    for n in range(10):
        assert api.post("push/subscriptions", receiver.subscription(f"d{n}")).status_code == 201
    response = api.post("push/subscriptions", receiver.subscription("d10"))
    assert response.status_code == 422
    assert "10" in response.json()["errors"]["endpoint"]
    assert PushSubscription.objects.count() == 10
    # a device already on may send its subscription again (a renewed key): not a new one
    again = receiver.subscription("d3")
    assert api.post("push/subscriptions", again).status_code == 200
    # another account is not held to this one's count
    assert bob[0].post("push/subscriptions", receiver.subscription("bob")).status_code == 201


@pytest.mark.django_db
def test_an_endpoint_another_account_owns_is_taken_even_for_an_account_at_its_limit(
    api, alice, bob, receiver
):
    bob_api, bob_user = bob
    bobs_phone = receiver.subscription("bob-phone")
    assert bob_api.post("push/subscriptions", bobs_phone).status_code == 201
    for n in range(10):
        assert api.post("push/subscriptions", receiver.subscription(f"d{n}")).status_code == 201
    # Bob's endpoint with other keys: it is his (409), not a question of Alice's count (422)
    someone_else = receiver.subscription("intruder")
    someone_else["endpoint"] = bobs_phone["endpoint"]
    response = api.post("push/subscriptions", someone_else)
    assert response.status_code == 409
    assert response.json()["errors"]["endpoint"] == "registered by another account"
    assert PushSubscription.objects.get(endpoint=bobs_phone["endpoint"]).user_id == bob_user.pk
    # the same browser (Bob's secret) signed in to Alice's account would move: then her count
    # is what stops it
    moved = api.post("push/subscriptions", bobs_phone)
    assert moved.status_code == 422 and "10" in moved.json()["errors"]["endpoint"]
    assert PushSubscription.objects.get(endpoint=bobs_phone["endpoint"]).user_id == bob_user.pk


@pytest.mark.django_db
def test_push_test_is_throttled_per_account(api, bob, receiver):
    api.post("push/subscriptions", receiver.subscription("alice"))
    bob[0].post("push/subscriptions", receiver.subscription("bob"))
    answers = [api.post("push/test").status_code for _ in range(7)]
    assert answers == [200] * 6 + [429]
    assert bob[0].post("push/test").status_code == 200  # Bob is not held back by Alice
    assert len([m for m in receiver.received if m.path == "/push/alice"]) == 6
