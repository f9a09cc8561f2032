"""Reminders delivered once, on time, encrypted, and only when useful."""

import threading
import time as clock
import uuid
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import checkin_body, session_body, signed_in
from tests.crowd import crowd
from tracker import dispatch, push
from tracker.models import (
    CheckIn,
    Delivery,
    Profile,
    PushSubscription,
    Reminder,
    WorkoutSession,
)

LONDON = ZoneInfo("Europe/London")


def due_reminder(api, *, minutes_ago: int = 1, **fields):
    """A reminder whose next slot was ``minutes_ago`` minutes ago."""
    body = {"weekdays": list(range(7)), "time": "07:00", **fields}
    reminder_id = api.post("reminders", body).json()["id"]
    slot = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=minutes_ago)
    Reminder.objects.filter(pk=reminder_id).update(next_fire_at=slot)
    return Reminder.objects.get(pk=reminder_id)


def run_tick(now=None):
    now = now or datetime.now(UTC)
    return [dispatch.deliver(i, now=now) for i in dispatch.reminders_tick(now=now)]


@pytest.mark.django_db
def test_a_due_reminder_arrives_once_encrypted_and_signed(api, receiver, settings):
    api.post("push/subscriptions", receiver.subscription("phone"))
    api.post(
        "sessions", session_body(started_at=(datetime.now(UTC) - timedelta(days=8)).isoformat())
    )
    reminder = due_reminder(api)
    outcomes = run_tick()
    assert [o.status for o in outcomes] == ["sent"]
    [message] = receiver.received
    payload = receiver.decrypt(message)
    assert payload["title"] and "sessions this week" in payload["body"]
    assert payload["url"] == "/log" and payload["tag"].startswith(f"h2k-reminder-{reminder.id}-")
    assert {a["action"] for a in payload["actions"]} == {"open", "snooze"}
    claims = receiver.vapid_claims(message, settings.VAPID_PUBLIC_KEY)
    assert claims["aud"] == receiver.origin and claims["sub"] == "mailto:test@hip2knee.example"
    assert claims["exp"] > datetime.now(UTC).timestamp()
    assert int(message.headers["ttl"]) >= 3600 and message.headers["urgency"] == "normal"
    assert message.headers["topic"] == push.topic_for(payload["tag"])
    # the reminder moved on to tomorrow's slot and a second tick sends nothing
    reminder.refresh_from_db()
    assert reminder.next_fire_at > datetime.now(UTC)
    assert run_tick() == [] and len(receiver.received) == 1


@pytest.mark.django_db
def test_nothing_arrives_when_todays_session_is_already_logged(api, receiver):
    api.post("push/subscriptions", receiver.subscription("phone"))
    api.post("sessions", session_body(started_at=datetime.now(UTC).isoformat()))
    due_reminder(api)
    assert [o.status for o in run_tick()] == ["skipped"]
    assert receiver.received == []
    due_reminder(api, skip_if_done=False)
    assert [o.status for o in run_tick()] == ["sent"]


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_in_the_same_minute_claim_each_slot_once(live_db, receiver):
    api, _ = signed_in("twice@example.com")
    api.post("push/subscriptions", receiver.subscription("phone"))
    for _ in range(5):
        due_reminder(api, skip_if_done=False)
    now = datetime.now(UTC)
    barrier = threading.Barrier(2)
    claimed: list[list[int]] = []

    def tick() -> None:
        barrier.wait()
        claimed.append(dispatch.reminders_tick(now=now))
        connection.close()

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    all_ids = [i for ids in claimed for i in ids]
    assert len(all_ids) == len(set(all_ids)) == 5
    assert Delivery.objects.count() == 5
    # every delivery sent twice (a retried task): each device still gets each slot once
    for delivery_id in all_ids:
        dispatch.deliver(delivery_id, now=now)
        dispatch.deliver(delivery_id, now=now)
    assert len(receiver.received) == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_claimers_take_disjoint_batches_at_once_neither_waiting_for_the_other():
    from tests.factories import UserFactory

    slot = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=1)
    owners = [UserFactory() for _ in range(2)]
    Reminder.objects.bulk_create(
        Reminder(user=owners[n % 2], weekdays=127, time=time(7), next_fire_at=slot)
        for n in range(30)
    )
    now = datetime.now(UTC)
    holding, release = threading.Event(), threading.Event()
    first: list[int] = []

    def claim_and_hold() -> None:
        with transaction.atomic():  # a claim still in its transaction: its rows locked
            first.extend(dispatch.reminders_claim(now=now, limit=10).deliveries)
            holding.set()
            release.wait(30)
        connection.close()

    thread = threading.Thread(target=claim_and_hold)
    thread.start()
    assert holding.wait(30)
    try:
        started = clock.monotonic()
        second = dispatch.reminders_claim(now=now, limit=10)  # skips the locked rows
        assert clock.monotonic() - started < 5
    finally:
        release.set()
        thread.join(30)
    rest = dispatch.reminders_tick(now=now)
    assert len(first) == len(second.deliveries) == 10 and len(rest) == 10
    claimed = Delivery.objects.filter(pk__in=[*first, *second.deliveries, *rest])
    assert claimed.values("reminder_id").distinct().count() == 30  # each reminder once
    assert not Reminder.objects.filter(next_fire_at__lte=now).exists()


@pytest.mark.django_db
def test_a_worker_killed_mid_send_is_resent_with_the_same_topic_and_tag(api, receiver):
    api.post("push/subscriptions", receiver.subscription("phone"))
    due_reminder(api, skip_if_done=False)
    now = datetime.now(UTC)
    [delivery_id] = dispatch.reminders_tick(now=now)
    assert dispatch._lease([delivery_id], now) == [delivery_id]  # a worker took it and died
    assert dispatch.reminders_tick(now=now + timedelta(minutes=1)) == []  # its lease still holds
    later = now + dispatch.LEASE + timedelta(seconds=1)
    assert dispatch.reminders_tick(now=later) == [delivery_id]  # the database hands it out again
    assert dispatch.deliver(delivery_id, now=later).status == "sent"
    # had the dead worker's push gone out, this one carries the same Topic and tag: it replaces
    [message] = receiver.received
    assert message.headers["topic"] == push.topic_for(receiver.decrypt(message)["tag"])


@pytest.mark.django_db
def test_a_gone_subscription_is_deleted_and_a_busy_service_is_retried(api, receiver):
    api.post("push/subscriptions", receiver.subscription("old-phone"))
    api.post("push/subscriptions", receiver.subscription("new-phone"))
    receiver.answers = {"/push/old-phone": [410], "/push/new-phone": [503]}
    due_reminder(api, skip_if_done=False)
    now = datetime.now(UTC)
    [delivery_id] = dispatch.reminders_tick(now=now)
    first = dispatch.deliver(delivery_id, now=now)
    assert first.status == "retry"
    assert PushSubscription.objects.count() == 1
    assert dispatch.deliver(delivery_id, now=now).status == "sent"  # the retry
    paths = [m.path for m in receiver.received]
    assert sorted(paths) == ["/push/new-phone", "/push/new-phone", "/push/old-phone"]
    assert Delivery.objects.get(pk=delivery_id).status == "sent"
    assert dispatch.deliver(delivery_id, now=now).status == "busy"  # sent: never again


@pytest.mark.django_db
def test_a_slot_handed_back_for_a_retry_waits_for_it_and_is_sent_once(api, receiver):
    api.post("push/subscriptions", receiver.subscription("phone"))
    receiver.answers = {"/push/phone": [503]}
    due_reminder(api, skip_if_done=False)
    claimed = datetime.now(UTC)
    [delivery_id] = dispatch.reminders_tick(now=claimed)
    # its task ran behind a backlog, and the push service asked to try again later
    tried = claimed + timedelta(minutes=3)
    assert dispatch.deliver(delivery_id, now=tried).status == "retry"
    # a minute on, the retry is on its way: the tick leaves the slot to it
    assert dispatch.reminders_tick(now=tried + timedelta(minutes=1)) == []
    # had the retry been lost, the slot is handed out again once it has waited STALE
    lost = tried + dispatch.STALE + timedelta(seconds=1)
    assert dispatch.reminders_tick(now=lost) == [delivery_id]
    assert dispatch.deliver(delivery_id, now=lost).status == "sent"
    assert dispatch.deliver(delivery_id, now=lost).status == "busy"  # the late retry
    delivery = Delivery.objects.get(pk=delivery_id)
    assert delivery.status == "sent" and delivery.attempts == 2  # the two real tries
    # the push refused with 503, then the one that arrived
    assert [m.path for m in receiver.received] == ["/push/phone", "/push/phone"]


@pytest.mark.django_db
def test_a_sent_slot_records_every_device_it_reached(api, receiver):
    phone = api.post("push/subscriptions", receiver.subscription("phone")).json()["id"]
    tablet = api.post("push/subscriptions", receiver.subscription("tablet")).json()["id"]
    api.post("push/subscriptions", receiver.subscription("old-laptop"))
    receiver.answers = {"/push/old-laptop": [410]}
    due_reminder(api, skip_if_done=False)
    assert [o.status for o in run_tick()] == ["sent"]
    delivery = Delivery.objects.get()
    assert sorted(delivery.sent_to) == sorted([phone, tablet])
    assert delivery.detail == "push to 2 device(s)"


@pytest.mark.django_db
def test_catch_up_sends_a_slot_missed_by_minutes_and_skips_an_older_one(api, receiver):
    api.post("push/subscriptions", receiver.subscription("phone"))
    # its own time of day is hours away, so its next slot is in the future whenever this runs
    # (at 07:00 it would fail between 07:00 and 07:15: a real slot missed by minutes is sent)
    elsewhere = (datetime.now(LONDON) + timedelta(hours=6)).strftime("%H:%M")
    late = due_reminder(api, minutes_ago=10, skip_if_done=False)
    old = due_reminder(api, minutes_ago=45, skip_if_done=False, time=elsewhere)
    outcomes = run_tick()
    assert [o.status for o in outcomes] == ["sent"]
    assert Delivery.objects.get().reminder_id == late.id
    old.refresh_from_db()
    assert old.next_fire_at > datetime.now(UTC)  # moved on without a burst of late reminders


@pytest.mark.django_db
def test_a_red_flag_turns_the_reminder_into_a_gentle_check(api, receiver):
    api.post("push/subscriptions", receiver.subscription("phone"))
    today = datetime.now(LONDON).date().isoformat()
    api.post("checkins", checkin_body(date=today, red_flags=["locking"]))
    due_reminder(api)
    run_tick()
    payload = receiver.decrypt(receiver.received[0])
    assert "10 minutes" not in payload["body"] and "clinician" in payload["body"]


@pytest.mark.django_db
def test_email_reminders_and_the_turn_off_link_that_needs_a_post(api, receiver):
    reminder = due_reminder(api, channel="email", skip_if_done=False)
    run_tick()
    [email] = mail.outbox
    assert email.to == ["alice@example.com"] and "sessions this week" in email.body
    assert email.alternatives and "<a href=" in email.alternatives[0][0]
    off_url = next(w for w in email.body.split() if "/reminders/off/" in w)
    path = off_url.split("localhost:8000", 1)[1]
    browser = Client()
    assert browser.get(path).status_code == 200  # a mail scanner following the link...
    assert Reminder.objects.get(pk=reminder.pk).enabled  # ... turns nothing off
    assert browser.post(path).status_code == 200
    assert not Reminder.objects.get(pk=reminder.pk).enabled
    assert browser.get("/reminders/off/forged-token").status_code == 404


@pytest.mark.django_db
def test_push_falls_back_to_email_without_a_subscription(api, receiver):
    due_reminder(api, skip_if_done=False)
    run_tick()
    assert len(mail.outbox) == 1 and receiver.received == []


@pytest.mark.django_db
def test_the_morning_check_follows_a_session_and_opens_the_check_in(api, receiver):
    api.post("push/subscriptions", receiver.subscription("phone"))
    response = api.post("reminders", {"kind": "morning_check"})
    assert response.status_code == 201
    assert response.json()["time"] == "08:00" and response.json()["weekdays"] == list(range(7))
    check = Reminder.objects.get(kind="morning_check")
    yesterday = datetime.now(LONDON) - timedelta(days=1)
    session_id = api.post("sessions", session_body(started_at=yesterday.isoformat())).json()["id"]
    Reminder.objects.filter(pk=check.pk).update(
        next_fire_at=datetime.now(UTC) - timedelta(minutes=1)
    )
    assert [o.status for o in run_tick()] == ["sent"]
    payload = receiver.decrypt(receiver.received[0])
    assert payload["url"] == f"/checkin/morning?session={session_id}"
    # answered: the next morning check has nothing to ask
    api.patch(f"sessions/{session_id}", {"pain_next_morning": 2})
    Reminder.objects.filter(pk=check.pk).update(
        next_fire_at=datetime.now(UTC) - timedelta(minutes=1)
    )
    assert [o.status for o in run_tick()] == ["skipped"]


@pytest.mark.django_db
def test_a_disallowed_endpoint_is_never_posted_to(receiver):
    result = push.send(
        endpoint="http://169.254.169.254/latest/meta-data",
        p256dh="x",
        auth="y",
        payload={},
        topic="t",
    )
    assert result.outcome == "failed" and receiver.received == []


@pytest.mark.django_db
def test_redirects_are_not_followed_and_other_4xx_are_not_retried(api, receiver):
    api.post("push/subscriptions", receiver.subscription("phone"))
    receiver.answers = {"/push/phone": [307]}
    due_reminder(api, skip_if_done=False)
    assert [o.status for o in run_tick()] == ["failed"]
    assert [m.path for m in receiver.received] == ["/push/phone"]  # never /elsewhere
    receiver.answers = {"/push/phone": [400]}
    due_reminder(api, skip_if_done=False)
    assert [o.status for o in run_tick()] == ["failed"]
    assert PushSubscription.objects.count() == 1  # kept: only 404 and 410 delete


@pytest.mark.django_db
def test_a_push_goes_through_the_proxy_the_environment_names(api, receiver, monkeypatch):
    from tests.pushreceiver import PushReceiver

    proxy = PushReceiver().start()  # a plain-http proxy, answering for the push service
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", f"http://relay:s3cret@{proxy.origin.split('://')[1]}")
    try:
        api.post("push/subscriptions", receiver.subscription("phone"))
        due_reminder(api, skip_if_done=False)
        assert [o.status for o in run_tick()] == ["sent"]
        [message] = proxy.received
        assert message.path == f"{receiver.origin}/push/phone" and receiver.received == []
        assert message.headers["proxy-authorization"] == "Basic cmVsYXk6czNjcmV0"
    finally:
        proxy.stop()


@pytest.mark.django_db
def test_the_api_accepts_writes_while_the_broker_is_down(api, settings):
    from config.celery import app

    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        assert api.post("sessions", session_body()).status_code == 201
        assert api.post("checkins", checkin_body()).status_code == 201
        assert api.post("reminders", {"weekdays": [0], "time": "07:00"}).status_code == 201
    finally:
        app.conf.broker_url = settings.CELERY_BROKER_URL


@pytest.mark.django_db
def test_a_push_service_that_times_out_is_retried(api, receiver, monkeypatch):
    monkeypatch.setattr(push, "TIMEOUT_SECONDS", 0.5)
    api.post("push/subscriptions", receiver.subscription("slow"))
    receiver.delays = {"/push/slow": 2.0}
    due_reminder(api, skip_if_done=False)
    now = datetime.now(UTC)
    [delivery_id] = dispatch.reminders_tick(now=now)
    assert dispatch.deliver(delivery_id, now=now).status == "retry"
    assert dispatch.deliver(delivery_id, now=now).status == "sent"  # the service answers now
    assert Delivery.objects.get(pk=delivery_id).status == "sent"


@pytest.mark.django_db
def test_a_reminder_under_a_red_flag_asks_after_the_knee_has_no_log_now_and_opens_the_checkin(
    api, receiver
):
    api.post("push/subscriptions", receiver.subscription("phone"))
    twenty_days_ago = (datetime.now(UTC) - timedelta(days=20)).date().isoformat()
    api.post("checkins", checkin_body(date=twenty_days_ago, red_flags=["locking"]))
    due_reminder(api)
    assert [o.status for o in run_tick()] == ["sent"]
    payload = receiver.decrypt(receiver.received[-1])
    assert payload["url"] == "/checkin"
    assert "Log now" not in [a["title"] for a in payload["actions"]]
    assert "see a clinician before you exercise again" in payload["body"]
    assert "10 minutes" not in payload["body"]
    # once a clinician has seen the knee, the reminder urges and offers "Log now" again
    api.post("checkins/clearance", {"client_id": str(uuid.uuid4())})
    due_reminder(api)
    assert [o.status for o in run_tick()] == ["sent"]
    payload = receiver.decrypt(receiver.received[-1])
    assert payload["url"] == "/log" and "Log now" in [a["title"] for a in payload["actions"]]


@pytest.mark.django_db
def test_the_email_under_a_red_flag_says_the_same(api, settings):
    api.post("checkins", checkin_body(red_flags=["major_swelling"]))
    due_reminder(api, channel="email")
    assert [o.status for o in run_tick()] == ["sent"]
    [email] = mail.outbox
    assert "see a clinician before you exercise again" in email.body
    assert "10 minutes" not in email.body and email.body.count("/checkin") == 1


@pytest.mark.django_db
def test_a_reminder_while_pain_went_above_5_does_not_urge(api, receiver):
    api.post("push/subscriptions", receiver.subscription("phone"))
    yesterday = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    api.post("sessions", session_body(started_at=yesterday, pain_during=7))
    due_reminder(api)
    assert [o.status for o in run_tick()] == ["sent"]
    payload = receiver.decrypt(receiver.received[-1])
    assert "10 minutes" not in payload["body"] and "hip work" not in payload["body"]
    assert "Log now" not in [a["title"] for a in payload["actions"]]


@pytest.mark.django_db
def test_a_refused_email_never_stops_the_other_reminders_of_its_batch(api, monkeypatch):
    """The mail server refusing one address (outside this machine, so the one thing faked) fails
    that slot alone; the other user's email of the same batch is sent and recorded once."""
    refused = due_reminder(api, channel="email")
    other, _ = signed_in("ravi@example.com")
    kept = due_reminder(other, channel="email")
    send = dispatch.mail.send_reminder_email

    def refuse_alice(*, to, **fields):
        if to == refused.user.email:
            raise OSError("550 mailbox unavailable")
        return send(to=to, **fields)

    monkeypatch.setattr(dispatch.mail, "send_reminder_email", refuse_alice)
    now = datetime.now(UTC)
    outcomes = dispatch.deliver_batch(dispatch.reminders_tick(now=now), now=now)
    by_reminder = {Delivery.objects.get(pk=i).reminder_id: o.status for i, o in outcomes.items()}
    assert by_reminder == {refused.id: "failed", kept.id: "sent"}
    assert [m.to for m in mail.outbox] == [["ravi@example.com"]]


@pytest.mark.django_db
def test_a_person_whose_situation_cannot_be_read_fails_alone_and_the_batch_goes_on(receiver):
    """One person's data the batch's read cannot take (a time zone the zone database no longer
    knows) fails that person's slot only; the others of the batch are read and sent."""
    for name in ("lost", "kept"):
        api, _ = signed_in(f"{name}@example.com")
        api.post("push/subscriptions", receiver.subscription(name))
        due_reminder(api, skip_if_done=False)
    now = datetime.now(UTC)
    ids = dispatch.reminders_tick(now=now)
    Profile.objects.filter(user__email="lost@example.com").update(timezone="Atlantis/Lost_City")
    outcomes = dispatch.deliver_batch(ids, now=now)
    by_email = {Delivery.objects.get(pk=i).reminder.user.email: o for i, o in outcomes.items()}
    assert by_email["kept@example.com"].status == "sent"
    assert by_email["lost@example.com"].status == "failed"
    assert [m.path for m in receiver.received] == ["/push/kept"]
    lost = Delivery.objects.get(reminder__user__email="lost@example.com")
    assert lost.status == "failed" and "Atlantis/Lost_City" in lost.detail
    assert Delivery.objects.get(reminder__user__email="kept@example.com").status == "sent"


def weeks_of_history(users, *, weeks: int) -> None:  # type: ignore[no-untyped-def]
    """A check-in every day and a session every other day for ``weeks`` weeks, for each user."""
    now = datetime.now(UTC)
    today = now.astimezone(LONDON).date()
    CheckIn.objects.bulk_create(
        CheckIn(user=u, client_id=uuid.uuid4(), date=today - timedelta(days=n), pain=3)
        for u in users
        for n in range(1, weeks * 7)
    )
    WorkoutSession.objects.bulk_create(
        WorkoutSession(
            user=u, client_id=uuid.uuid4(), started_at=now - timedelta(days=n), pain_during=2
        )
        for u in users
        for n in range(2, weeks * 7, 2)
    )


def delivered_counting_queries(receiver, users: list) -> tuple[dict, int]:  # type: ignore[type-arg]
    """One tick's slots for ``users`` delivered in one batch: each user's notification, and the
    statements the batch sent (the test's transaction turns each of the batch's own into a
    savepoint, which are left out)."""
    now = datetime.now(UTC)
    ids = dispatch.reminders_tick(now=now)
    assert len(ids) == len(users)
    receiver.received.clear()
    with CaptureQueriesContext(connection) as queries:
        outcomes = dispatch.deliver_batch(ids, now=now)
    assert {o.status for o in outcomes.values()} == {"sent"}
    got = {m.path.rsplit("/", 1)[1]: receiver.decrypt(m) for m in receiver.received}
    statements = [q["sql"] for q in queries.captured_queries]
    return got, len([q for q in statements if "SAVEPOINT" not in q])


@pytest.mark.django_db
def test_a_batch_of_50_costs_the_same_few_queries_whatever_the_users_histories(receiver):
    slot = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=1)
    newcomers = crowd(receiver, users=50, reminders_each=1, slot=slot, prefix="new")
    _, newcomers_queries = delivered_counting_queries(receiver, newcomers)

    regulars = crowd(receiver, users=50, reminders_each=1, slot=slot, prefix="old")
    weeks_of_history(regulars, weeks=8)
    today = datetime.now(LONDON).date()
    CheckIn.objects.filter(user=regulars[0], date=today - timedelta(days=1)).update(
        red_flags=["locking"]
    )
    WorkoutSession.objects.create(
        user=regulars[1], client_id=uuid.uuid4(), pain_during=7,
        started_at=datetime.now(UTC) - timedelta(days=1, hours=3),
    )  # fmt: skip
    got, regulars_queries = delivered_counting_queries(receiver, regulars)
    # the same few queries for a batch of people with weeks of history as for newcomers: no
    # read per person, none that grows with a history
    assert regulars_queries == newcomers_queries <= 10
    # and each one's words: a red flag asks after the knee, pain above 5 does not urge, the rest
    # count the week's sessions
    assert "clinician" in got["old0"]["body"] and got["old0"]["url"] == "/checkin"
    assert "10 minutes" not in got["old1"]["body"] and "Log now" not in [
        a["title"] for a in got["old1"]["actions"]
    ]
    assert all("sessions this week" in got[f"old{n}"]["body"] for n in range(2, 50))
