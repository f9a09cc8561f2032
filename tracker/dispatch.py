"""Reminder dispatch: the database is the source of truth, the broker only a messenger.

Every minute beat's tick claims everything due, batch after batch (an indexed ``next_fire_at``,
``SKIP LOCKED`` so that two ticks, or a rush's tick and the claimers it asks for, share the work,
each batch its own): one ``Delivery`` per (reminder, slot) under a unique constraint,
``next_fire_at`` advanced in the same transaction. There is no cap per minute: a tick hands each
claimed batch out while it claims the next. It also hands back deliveries
claimed but not finished for a while, since a broker may lose a message.

``deliver_batch`` sends many deliveries in one go: it takes a short lease on all of them at once
(so two workers never send one slot at the same time), reads the situation of all their users in
a few queries, sends, and records the outcomes every few deliveries. A worker killed mid-batch
leaves its leases to expire and those slots are sent again with the same ``Topic`` and ``tag``,
which replace rather than add. A subscription's own failure is recorded on it and never stops
the others.

What a reminder says is decided in ``reminder_notification`` alone; everything else here is the
mechanics of getting it there once.
"""

from __future__ import annotations

import logging
import time as clock
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from tracker import mail, push
from tracker.errors import NotFound
from tracker.models import Delivery, PushSubscription, Reminder, User
from tracker.pages import page_link, page_path
from tracker.rules.reminders import (
    ReminderContent,
    SafetyLevel,
    reminder_content,
    reminder_next_fire,
    safety_level,
    skips_slot,
    slot_fate,
)
from tracker.rules.weeks import local_date, week_start
from tracker.selectors.recipients import Recipient, recipients_read

logger = logging.getLogger(__name__)

CLAIM_BATCH = 1000  # reminders claimed per transaction; a tick claims batch after batch
LEASE = timedelta(minutes=2)  # how long one worker may hold a delivery while sending
STALE = timedelta(minutes=2)  # a claim not finished by then is handed out again
MAX_ATTEMPTS = 6
RECORD_EVERY = 25  # outcomes written after this many deliveries (and at the end of a batch)
BATCH_SECONDS = 30.0  # a batch hands back what it has not started by then, for other workers
DROP_AFTER_FAILURES = 3  # permanent failures in a row before a subscription is dropped


def catch_up() -> timedelta:
    return timedelta(minutes=settings.REMINDER_CATCH_UP_MINUTES)


def _skip_locked(queryset: Any, **options: Any) -> Any:
    """Rows another transaction holds are passed over (PostgreSQL); SQLite's immediate
    transactions take the whole database instead."""
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True, **options)
    return queryset


class Claim(NamedTuple):
    reminders: int  # due reminders read and moved on
    deliveries: list[int]  # deliveries this claim created, to send


def reminders_claim(*, now: datetime, limit: int = CLAIM_BATCH) -> Claim:
    """Claim up to ``limit`` due reminders in one transaction: a ``Delivery`` for each slot still
    worth sending, and every reminder moved on to its next slot."""
    tick = uuid.uuid4().hex
    late_limit = catch_up()
    with transaction.atomic():
        due = _skip_locked(
            # the partial index's own order, so each batch reads only its rows
            Reminder.objects.filter(enabled=True, next_fire_at__lte=now).order_by("next_fire_at"),
            of=("self",),
        )
        rows = list(
            due.values_list(
                "id", "next_fire_at", "weekdays", "time", "user__profile__timezone", named=True
            )[:limit]
        )
        claims = []
        moves: dict[datetime, list[int]] = defaultdict(list)
        # a rush is many reminders with the same few schedules: each next slot worked out once
        next_fires: dict[tuple[int, time, str, datetime], datetime] = {}
        for row in rows:
            slot = row.next_fire_at
            if slot_fate(slot=slot, now=now, catch_up=late_limit) == "send":
                claims.append(
                    Delivery(reminder_id=row.id, slot=slot, claimed_at=now, claimed_by=tick)
                )
            key = (row.weekdays, row.time, row.user__profile__timezone, max(slot, now - late_limit))
            if key not in next_fires:
                next_fires[key] = reminder_next_fire(
                    weekdays=key[0], at=key[1], tz_name=key[2], after=key[3]
                )
            moves[next_fires[key]].append(row.id)
        # One insert for every claim; a slot another dispatcher claimed first is left alone,
        # and only the rows this tick inserted are sent by it.
        Delivery.objects.bulk_create(claims, ignore_conflicts=True, batch_size=CLAIM_BATCH)
        created = list(
            Delivery.objects.filter(
                claimed_by=tick, reminder_id__in=[c.reminder_id for c in claims]
            ).values_list("id", flat=True)
        )
        for next_fire, ids in moves.items():
            Reminder.objects.filter(id__in=ids).update(next_fire_at=next_fire)
    return Claim(len(rows), created)


def deliveries_unfinished(*, now: datetime, limit: int = CLAIM_BATCH) -> list[int]:
    """Deliveries claimed but not finished for ``STALE`` (their message lost, their worker
    gone): handed out again, or given up after ``MAX_ATTEMPTS``."""
    with transaction.atomic():
        stale = list(
            _skip_locked(
                Delivery.objects.filter(
                    Q(lease_until__isnull=True) | Q(lease_until__lt=now),
                    status__in=("claimed", "sending"),
                    claimed_at__lt=now - STALE,
                )
            ).values_list("id", "attempts")[:limit]
        )
        give_up = [i for i, attempts in stale if attempts >= MAX_ATTEMPTS]
        again = [i for i, attempts in stale if attempts < MAX_ATTEMPTS]
        Delivery.objects.filter(id__in=give_up).update(status="failed", detail="gave up")
        Delivery.objects.filter(id__in=again).update(claimed_at=now, status="claimed")
    return again


def claim_helpers(*, now: datetime) -> int:
    """How many claimers to start beside a tick: one more per further ``CLAIM_BATCH`` due, up to
    ``REMINDER_CLAIMERS`` in all; none for an ordinary minute. They share the claim with
    ``SKIP LOCKED``, each taking batches the others have not (PostgreSQL)."""
    claimers: int = settings.REMINDER_CLAIMERS
    if claimers < 2:
        return 0
    due = Reminder.objects.filter(enabled=True, next_fire_at__lte=now)[: CLAIM_BATCH * claimers]
    batches = -(-due.count() // CLAIM_BATCH)  # counted no further than the claimers can share
    return max(0, min(claimers, batches) - 1)


def reminders_claim_batches(*, now: datetime) -> Iterator[list[int]]:
    """Everything due at ``now``, claimed batch by batch until nothing due is left (or the other
    claimers hold the rest); each batch of delivery ids as soon as it is claimed."""
    while True:
        claim = reminders_claim(now=now, limit=CLAIM_BATCH)
        if claim.deliveries:
            yield claim.deliveries
        if claim.reminders == 0:
            break


def reminders_tick_batches(*, now: datetime) -> Iterator[list[int]]:
    """Everything due at ``now``, claimed batch by batch, then what is unfinished; each batch of
    delivery ids as soon as it is claimed."""
    yield from reminders_claim_batches(now=now)
    while again := deliveries_unfinished(now=now):
        yield again
        if len(again) < CLAIM_BATCH:
            break


def reminders_tick(*, now: datetime) -> list[int]:
    """Claim every due slot once, advance the reminders, and return the deliveries to send."""
    return [i for batch in reminders_tick_batches(now=now) for i in batch]


@dataclass(frozen=True)
class Outcome:
    status: str  # "sent", "skipped", "retry", "failed", "busy", "later"
    detail: str = ""


def _lease(delivery_ids: Sequence[int], now: datetime) -> list[int]:
    """Lease the deliveries no other worker holds and none has finished; returns their ids."""
    with transaction.atomic():
        free = _skip_locked(
            Delivery.objects.filter(
                Q(lease_until__isnull=True) | Q(lease_until__lt=now),
                pk__in=delivery_ids,
                status__in=("claimed", "sending"),
            )
        )
        taken = list(free.values_list("id", flat=True))
        Delivery.objects.filter(pk__in=taken).update(
            status="sending", lease_until=now + LEASE, attempts=F("attempts") + 1
        )
    return taken


@dataclass(frozen=True)
class Situation:
    """What a reminder's message depends on."""

    done_today: bool
    this_week: int  # sessions in the slot's local week
    check_session: int | None  # yesterday's session still waiting for its morning answer
    safety: SafetyLevel  # "red" while a red flag is up, "amber" while any other flag is


def _situation(delivery: Delivery, recipient: Recipient) -> Situation:
    user = delivery.reminder.user
    tz = ZoneInfo(user.profile.timezone)
    slot_day = local_date(delivery.slot, tz)
    sessions = recipient.sessions
    days = [local_date(s.started_at, tz) for s in sessions]
    yesterday = slot_day - timedelta(days=1)
    unanswered = [
        s.id
        for s, day in zip(sessions, days, strict=True)
        if day == yesterday and s.pain_next_morning is None
    ]
    return Situation(
        done_today=slot_day in days,
        this_week=sum(1 for day in days if week_start(day) == week_start(slot_day)),
        check_session=unanswered[-1] if unanswered else None,
        safety=safety_level(flag.code for flag in recipient.flags),
    )


def reminder_payload(content: ReminderContent, *, session: int | None, tag: str) -> dict[str, Any]:
    """The push notification's payload: the service worker shows its words and its buttons and
    opens ``url`` on a tap."""
    return {
        "title": content.title,
        "body": content.body,
        "url": page_path(content.opens, session=session),
        "tag": tag,
        "actions": list(content.actions),
    }


@dataclass(frozen=True)
class Notification:
    """What one reminder slot says and opens."""

    title: str
    body: str
    opens: str  # a page name of tracker.pages
    session: int | None
    payload: dict[str, Any]


def reminder_notification(delivery: Delivery, facts: Situation) -> Notification | str:
    """The words and actions of one slot's notification, or why it is skipped (a string)."""
    reminder = delivery.reminder
    user = reminder.user
    if skips_slot(
        kind=reminder.kind,
        skip_if_done=reminder.skip_if_done,
        session_logged_that_day=facts.done_today,
    ):
        return "a session is already logged today"
    if reminder.kind == "morning_check" and facts.check_session is None:
        return "no session yesterday waiting for its answer"
    content = reminder_content(
        kind=reminder.kind,
        sessions_this_week=facts.this_week,
        weekly_target=user.profile.weekly_target,
        safety=facts.safety,
        reminder_id=reminder.id,
    )
    session = facts.check_session if reminder.kind == "morning_check" else None
    tag = f"h2k-reminder-{reminder.id}-{delivery.slot:%Y%m%dT%H%M}"
    payload = reminder_payload(content, session=session, tag=tag)
    return Notification(content.title, content.body, content.opens, session, payload)


class _Ledger:
    """Outcomes of a batch not yet written: deliveries finished or handed back, and what
    happened to each subscription. ``write`` stores them in a few queries."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.deliveries: list[Delivery] = []
        self.succeeded: set[int] = set()
        self.gone: set[int] = set()
        self.errors: dict[int, tuple[str, bool]] = {}  # subscription -> (detail, permanent)

    def hand_back(self, delivery: Delivery, detail: str) -> None:
        """Not finished: claimed again now, with the devices already sent to kept. The claim is
        dated now, so a tick hands it out again only once it has waited ``STALE`` since (its
        retry lost), not at once as if it were the first claim gone stale."""
        delivery.status, delivery.detail, delivery.lease_until = "claimed", detail, None
        delivery.claimed_at = self.now
        self.deliveries.append(delivery)

    def finish(self, delivery: Delivery, status: str, detail: str = "") -> Outcome:
        delivery.status = status
        delivery.detail = detail[:200]
        delivery.lease_until = None
        if status == "sent":
            delivery.sent_at = self.now
        self.deliveries.append(delivery)
        return Outcome(status, detail)

    def push_result(self, subscription_id: int, result: push.PushResult) -> None:
        if result.outcome == "sent":
            self.succeeded.add(subscription_id)
        elif result.outcome == "gone":
            self.gone.add(subscription_id)
        else:
            self.errors[subscription_id] = (
                result.detail or result.outcome,
                result.outcome == "failed",
            )

    def write(self) -> None:
        """Every delivery in at most two UPDATEs, whatever their outcomes: the finished ones with
        the devices each was sent to (its record), the handed back ones with theirs too, so a
        retry skips them, and with their new claim and attempts."""
        if not (self.deliveries or self.succeeded or self.gone or self.errors):
            return
        finished = [d for d in self.deliveries if d.status != "claimed"]
        handed_back = [d for d in self.deliveries if d.status == "claimed"]
        with transaction.atomic():
            if finished:
                Delivery.objects.bulk_update(
                    finished, ["status", "detail", "lease_until", "sent_at", "sent_to"]
                )
            if handed_back:
                Delivery.objects.bulk_update(
                    handed_back,
                    ["status", "detail", "lease_until", "sent_to", "attempts", "claimed_at"],
                )
            record_push_outcomes(
                now=self.now, succeeded=self.succeeded, gone=self.gone, errors=self.errors
            )
        self.deliveries, self.succeeded, self.gone, self.errors = [], set(), set(), {}


def record_push_outcomes(
    *, now: datetime, succeeded: set[int], gone: set[int], errors: dict[int, tuple[str, bool]]
) -> None:
    """Per subscription: a success clears its failures; an expired one is deleted; an error is
    recorded on it, and one failing permanently ``DROP_AFTER_FAILURES`` times in a row goes."""
    if succeeded:
        PushSubscription.objects.filter(pk__in=succeeded).update(
            last_success_at=now, failures=0, last_error=""
        )
    if gone:
        PushSubscription.objects.filter(pk__in=gone).delete()
    if not errors:
        return
    permanent = [i for i, (_, p) in errors.items() if p]
    for subscription_id, (detail, is_permanent) in errors.items():
        PushSubscription.objects.filter(pk=subscription_id).update(
            last_error=detail[:200],
            last_error_at=now,
            failures=F("failures") + (1 if is_permanent else 0),
        )
    PushSubscription.objects.filter(pk__in=permanent, failures__gte=DROP_AFTER_FAILURES).delete()


def _send_push(
    delivery: Delivery,
    subscriptions: list[PushSubscription],
    payload: dict[str, Any],
    ledger: _Ledger,
    failed_here: set[int],
) -> Outcome:
    """One slot to each of the user's devices not yet sent to; an error is that device's."""
    topic = push.topic_for(payload["tag"])
    retry = False
    for sub in subscriptions:
        if sub.id in delivery.sent_to or sub.id in failed_here:
            continue
        result = push.send(
            endpoint=sub.endpoint, p256dh=sub.p256dh, auth=sub.auth, payload=payload, topic=topic
        )
        ledger.push_result(sub.id, result)
        if result.outcome == "sent":
            delivery.sent_to = [*delivery.sent_to, sub.id]
        elif result.outcome == "retry":
            retry = True
        else:  # gone or refused: not tried again in this batch
            failed_here.add(sub.id)
            if result.outcome == "failed":
                logger.warning("push to subscription %s failed: %s", sub.id, result.detail)
    if retry:
        ledger.hand_back(delivery, "a push service asked to try again")
        return Outcome("retry", "a push service asked to try again")
    if not delivery.sent_to:
        return ledger.finish(delivery, "failed", "no device accepted the push")
    return ledger.finish(delivery, "sent", f"push to {len(delivery.sent_to)} device(s)")


def _send_email(delivery: Delivery, note: Notification, ledger: _Ledger) -> Outcome:
    reminder = delivery.reminder
    off_url = settings.SITE_URL + reverse(
        "tracker:reminder-off", args=[mail.off_token(reminder.id)]
    )
    mail.send_reminder_email(
        to=reminder.user.email,
        title=note.title,
        body=note.body,
        url=page_link(note.opens, session=note.session),
        off_url=off_url,
    )
    return ledger.finish(delivery, "sent", "email")


def deliver_batch(
    delivery_ids: Sequence[int], *, now: datetime, budget_seconds: float = BATCH_SECONDS
) -> dict[int, Outcome]:
    """Send many claimed slots: by push to each device (email when the user has none) or email.

    Reads the deliveries, their users' recent sessions, safety flags (by the rules the progress
    answer uses, so a reminder says what Today shows) and subscriptions in a few queries,
    whatever the batch's size and the users' histories. A slot whose push service asked to try
    again comes back as ``"retry"``; one not started within ``budget_seconds`` as ``"later"``
    (handed back, for another task); one another worker holds or has finished as ``"busy"``.
    """
    started = clock.monotonic()
    outcomes = {
        i: Outcome("busy", "sent, skipped or being sent by another worker") for i in delivery_ids
    }
    taken = _lease(delivery_ids, now)
    if not taken:
        return outcomes
    deliveries = list(
        Delivery.objects.filter(pk__in=taken)
        .select_related("reminder__user__profile")
        .order_by("slot", "id")
    )
    profiles = {d.reminder.user_id: d.reminder.user.profile for d in deliveries}
    recipients = recipients_read(profiles=profiles.values(), now=now)
    devices: dict[int, list[PushSubscription]] = defaultdict(list)
    for sub in PushSubscription.objects.filter(user_id__in=profiles).order_by("id"):
        devices[sub.user_id].append(sub)
    ledger = _Ledger(now)
    failed_here: set[int] = set()
    for delivery in deliveries:
        if clock.monotonic() - started > budget_seconds:
            delivery.attempts -= 1  # not tried: handed back as it was, for another worker
            ledger.hand_back(delivery, "handed back: the batch ran out of time")
            outcomes[delivery.id] = Outcome("later", "the batch ran out of time")
            continue
        reminder = delivery.reminder
        try:
            facts = _situation(delivery, recipients[reminder.user_id])
            note = reminder_notification(delivery, facts)
            if isinstance(note, str):
                outcomes[delivery.id] = ledger.finish(delivery, "skipped", note)
            elif reminder.channel == "email" or not devices[reminder.user_id]:
                outcomes[delivery.id] = _send_email(delivery, note, ledger)
            else:
                outcomes[delivery.id] = _send_push(
                    delivery, devices[reminder.user_id], note.payload, ledger, failed_here
                )
        except Exception as exc:  # one user's failure (a refused email) never stops the others
            logger.exception("reminder delivery %s failed", delivery.id)
            outcomes[delivery.id] = ledger.finish(delivery, "failed", f"error: {exc}")
        if len(ledger.deliveries) >= RECORD_EVERY:
            ledger.write()
    ledger.write()
    return outcomes


def deliver(delivery_id: int, *, now: datetime) -> Outcome:
    """Send one claimed slot (a batch of one)."""
    return deliver_batch([delivery_id], now=now)[delivery_id]


def push_test_send(*, user: User) -> dict[str, Any]:
    """Sends a test notification to each of the user's subscriptions at once (not via the
    queue: the person is looking at the screen waiting for it). Expired ones are removed; an
    error is recorded on its subscription and the others are still sent."""
    subscriptions = list(PushSubscription.objects.filter(user=user))
    if not subscriptions:
        raise NotFound("No device has push turned on for this account yet.")
    payload = {
        "title": "Hip2Knee test",
        "body": "Push works on this device. Reminders will arrive like this.",
        "url": page_path("reminders"),
        "tag": "hip2knee-test",
    }
    ledger = _Ledger(now=timezone.now())
    sent, problems = 0, []
    for subscription in subscriptions:
        result = push.send(
            endpoint=subscription.endpoint,
            p256dh=subscription.p256dh,
            auth=subscription.auth,
            payload=payload,
            topic="hip2knee-test",
        )
        ledger.push_result(subscription.id, result)
        if result.outcome == "sent":
            sent += 1
        else:
            problems.append(result.detail or result.outcome)
    ledger.write()
    return {"sent": sent, "failed": len(problems), "detail": "; ".join(problems)[:500]}
