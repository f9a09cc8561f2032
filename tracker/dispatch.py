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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
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
from tracker.selectors.lookups import AnyOf
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
                AnyOf(F("reminder_id"), [c.reminder_id for c in claims]), claimed_by=tick
            ).values_list("id", flat=True)
        )
        for next_fire, ids in moves.items():
            Reminder.objects.filter(AnyOf(F("id"), ids)).update(next_fire_at=next_fire)
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
        Delivery.objects.filter(AnyOf(F("id"), give_up)).update(status="failed", detail="gave up")
        Delivery.objects.filter(AnyOf(F("id"), again)).update(claimed_at=now, status="claimed")
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
                AnyOf(F("id"), delivery_ids),
                status__in=("claimed", "sending"),
            )
        )
        taken = list(free.values_list("id", flat=True))
        Delivery.objects.filter(AnyOf(F("id"), taken)).update(
            status="sending", lease_until=now + LEASE, attempts=F("attempts") + 1
        )
    return taken


@dataclass
class Sending:
    """One leased delivery on its way, with its reminder and what its person's profile says;
    ``sent_to`` grows as devices accept it."""

    id: int
    slot: datetime
    attempts: int
    sent_to: list[int]
    reminder_id: int
    kind: str
    channel: str
    skip_if_done: bool
    user_id: int
    email: str
    timezone: str
    weekly_target: int
    clinician_seen_at: datetime | None
    clinician_seen_on: date | None


def sendings_read(delivery_ids: Sequence[int]) -> list[Sending]:
    """The deliveries, oldest slot first, each with its reminder and person, in one query: rows,
    not model instances, which a batch would spend more on building than on its pushes."""
    own = ("id", "slot", "attempts", "sent_to", "reminder_id")
    person = "reminder__user__profile__"
    joined = {
        "kind": "reminder__kind",
        "channel": "reminder__channel",
        "skip_if_done": "reminder__skip_if_done",
        "user_id": "reminder__user_id",
        "email": "reminder__user__email",
        **{name: person + name for name in ("timezone", "weekly_target")},
        **{name: person + name for name in ("clinician_seen_at", "clinician_seen_on")},
    }
    rows: Iterable[dict[str, Any]] = (
        Delivery.objects.filter(AnyOf(F("id"), delivery_ids))
        .order_by("slot", "id")
        .values(*own, **{name: F(path) for name, path in joined.items()})
    )
    return [Sending(**row) for row in rows]


class Device(NamedTuple):
    id: int
    user_id: int
    endpoint: str
    p256dh: str
    auth: str


def devices_read(user_ids: Iterable[int]) -> dict[int, list[Device]]:
    """Each user's push subscriptions, oldest first."""
    devices: dict[int, list[Device]] = defaultdict(list)
    for row in (
        PushSubscription.objects.filter(AnyOf(F("user_id"), user_ids))
        .order_by("id")
        .values_list(*Device._fields)
    ):
        device = Device._make(row)
        devices[device.user_id].append(device)
    return devices


def recipients_of(sendings: Sequence[Sending], now: datetime) -> dict[int, Recipient | str]:
    """Per user of ``sendings``, what their reminders' words depend on, read for all at once; when
    that read fails (one person's data it cannot take), read person by person, so that only that
    person's slots fail (with why, a string)."""
    people = {s.user_id: s for s in sendings}
    try:
        return dict(recipients_read(profiles=people.values(), now=now))
    except Exception:
        logger.exception("reading the recipients of a batch failed; reading them one by one")
    recipients: dict[int, Recipient | str] = {}
    for user_id, person in people.items():
        try:
            recipients.update(recipients_read(profiles=[person], now=now))
        except Exception as exc:
            logger.exception("reading the situation of user %s failed", user_id)
            recipients[user_id] = f"error: {exc}"
    return recipients


@dataclass(frozen=True)
class Situation:
    """What a reminder's message depends on."""

    done_today: bool
    this_week: int  # sessions in the slot's local week
    check_session: int | None  # yesterday's session still waiting for its morning answer
    safety: SafetyLevel  # "red" while a red flag is up, "amber" while any other flag is


def _situation(sending: Sending, recipient: Recipient) -> Situation:
    tz = ZoneInfo(sending.timezone)
    slot_day = local_date(sending.slot, tz)
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


def reminder_notification(sending: Sending, facts: Situation) -> Notification | str:
    """The words and actions of one slot's notification, or why it is skipped (a string)."""
    if skips_slot(
        kind=sending.kind,
        skip_if_done=sending.skip_if_done,
        session_logged_that_day=facts.done_today,
    ):
        return "a session is already logged today"
    if sending.kind == "morning_check" and facts.check_session is None:
        return "no session yesterday waiting for its answer"
    content = reminder_content(
        kind=sending.kind,
        sessions_this_week=facts.this_week,
        weekly_target=sending.weekly_target,
        safety=facts.safety,
        reminder_id=sending.reminder_id,
    )
    session = facts.check_session if sending.kind == "morning_check" else None
    tag = f"h2k-reminder-{sending.reminder_id}-{sending.slot:%Y%m%dT%H%M}"
    payload = reminder_payload(content, session=session, tag=tag)
    return Notification(content.title, content.body, content.opens, session, payload)


Columns = tuple[tuple[str, Any], ...]  # (column, value) pairs a delivery's outcome sets


class _Ledger:
    """Outcomes of a batch not yet written: deliveries finished or handed back, and what
    happened to each subscription. ``write`` stores them in a few queries."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.pending = 0  # deliveries recorded, not yet written
        # the columns an outcome sets -> the deliveries it sets them on, each with the devices
        # it has reached: a batch's outcomes share a few (a rush's are all "sent", alike)
        self.outcomes: dict[Columns, dict[int, list[int]]] = defaultdict(dict)
        self.succeeded: set[int] = set()
        self.gone: set[int] = set()
        self.errors: dict[int, tuple[str, bool]] = {}  # subscription -> (detail, permanent)

    def _record(self, sending: Sending, **columns: Any) -> None:
        self.outcomes[tuple(columns.items())][sending.id] = sending.sent_to
        self.pending += 1

    def hand_back(self, sending: Sending, detail: str, *, tried: bool = True) -> None:
        """Not finished: claimed again now, with the devices already sent to kept (and, when it
        was not ``tried``, its lease's attempt given back). The claim is dated now, so a tick
        hands it out again only once it has waited ``STALE`` since (its retry lost), not at once
        as if it were the first claim gone stale."""
        attempts = sending.attempts if tried else sending.attempts - 1
        self._record(
            sending, status="claimed", detail=detail, attempts=attempts, claimed_at=self.now
        )

    def finish(self, sending: Sending, status: str, detail: str = "") -> Outcome:
        sent = {"sent_at": self.now} if status == "sent" else {}
        self._record(sending, status=status, detail=detail[:200], **sent)
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
        """Every delivery recorded, in one UPDATE per combination of columns the outcomes set,
        with the devices each has reached (the record of a finished one; a handed back one's
        retry skips them), and each subscription's outcome."""
        if not (self.pending or self.succeeded or self.gone or self.errors):
            return
        with transaction.atomic():
            for columns, sent_to in self.outcomes.items():
                deliveries_update(columns, sent_to)
            record_push_outcomes(
                now=self.now, succeeded=self.succeeded, gone=self.gone, errors=self.errors
            )
        self.pending, self.outcomes = 0, defaultdict(dict)
        self.succeeded, self.gone, self.errors = set(), set(), {}


def deliveries_update(columns: Columns, sent_to: dict[int, list[int]]) -> None:
    """Set ``columns`` (and no lease) on the deliveries of ``sent_to``, and on each the devices
    it has reached, in one UPDATE joined to ``{delivery: devices}`` given as one JSON parameter
    (a VALUES list would need two parameters a row, and psycopg parses a statement of more than
    50 parameters afresh each time). Django's ``bulk_update`` would build a CASE of one WHEN per
    row and column instead, which costs a batch more than the rest of its deliveries together."""
    fields = {field.name: field for field in Delivery._meta.concrete_fields}
    assignments = ", ".join(f"{name} = %s" for name, _ in columns)
    params = [fields[name].get_db_prep_save(value, connection) for name, value in columns]
    params.append(fields["sent_to"].get_db_prep_save(sent_to, connection))
    each = "jsonb_each" if connection.vendor == "postgresql" else "json_each"
    # the names are this module's own; every value is a parameter
    sql = f"""UPDATE tracker_delivery SET {assignments}, lease_until = NULL, sent_to = v.value
              FROM {each}(%s) AS v WHERE tracker_delivery.id = CAST(v.key AS bigint)"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def record_push_outcomes(
    *, now: datetime, succeeded: set[int], gone: set[int], errors: dict[int, tuple[str, bool]]
) -> None:
    """Per subscription: a success clears its failures; an expired one is deleted; an error is
    recorded on it, and one failing permanently ``DROP_AFTER_FAILURES`` times in a row goes."""
    if succeeded:
        PushSubscription.objects.filter(AnyOf(F("id"), succeeded)).update(
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
    sending: Sending,
    devices: list[Device],
    payload: dict[str, Any],
    ledger: _Ledger,
    failed_here: set[int],
) -> Outcome:
    """One slot to each of the user's devices not yet sent to; an error is that device's."""
    topic = push.topic_for(payload["tag"])
    retry = False
    for device in devices:
        if device.id in sending.sent_to or device.id in failed_here:
            continue
        result = push.send(
            endpoint=device.endpoint, p256dh=device.p256dh, auth=device.auth, payload=payload,
            topic=topic,
        )  # fmt: skip
        ledger.push_result(device.id, result)
        if result.outcome == "sent":
            sending.sent_to = [*sending.sent_to, device.id]
        elif result.outcome == "retry":
            retry = True
        else:  # gone or refused: not tried again in this batch
            failed_here.add(device.id)
            if result.outcome == "failed":
                logger.warning("push to subscription %s failed: %s", device.id, result.detail)
    if retry:
        ledger.hand_back(sending, "a push service asked to try again")
        return Outcome("retry", "a push service asked to try again")
    if not sending.sent_to:
        return ledger.finish(sending, "failed", "no device accepted the push")
    return ledger.finish(sending, "sent", f"push to {len(sending.sent_to)} device(s)")


def _send_email(sending: Sending, note: Notification, ledger: _Ledger) -> Outcome:
    off_url = settings.SITE_URL + reverse(
        "tracker:reminder-off", args=[mail.off_token(sending.reminder_id)]
    )
    mail.send_reminder_email(
        to=sending.email,
        title=note.title,
        body=note.body,
        url=page_link(note.opens, session=note.session),
        off_url=off_url,
    )
    return ledger.finish(sending, "sent", "email")


def _send(
    sending: Sending,
    recipient: Recipient,
    devices: list[Device],
    ledger: _Ledger,
    failed_here: set[int],
) -> Outcome:
    """One slot: skipped when its words say so, else by push to each device, or by email (for
    an email reminder, or a person with no device)."""
    note = reminder_notification(sending, _situation(sending, recipient))
    if isinstance(note, str):
        return ledger.finish(sending, "skipped", note)
    if sending.channel == "email" or not devices:
        return _send_email(sending, note, ledger)
    return _send_push(sending, devices, note.payload, ledger, failed_here)


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
    sendings = sendings_read(taken)
    recipients = recipients_of(sendings, now)
    devices = devices_read({s.user_id for s in sendings})
    ledger = _Ledger(now)
    failed_here: set[int] = set()
    for sending in sendings:
        if clock.monotonic() - started > budget_seconds:
            # not tried: handed back as it was, for another worker
            ledger.hand_back(sending, "handed back: the batch ran out of time", tried=False)
            outcomes[sending.id] = Outcome("later", "the batch ran out of time")
            continue
        try:
            recipient = recipients[sending.user_id]
            if isinstance(recipient, str):  # their situation could not be read
                outcomes[sending.id] = ledger.finish(sending, "failed", recipient)
            else:
                outcomes[sending.id] = _send(
                    sending, recipient, devices[sending.user_id], ledger, failed_here
                )
        except Exception as exc:  # one user's failure (a refused email) never stops the others
            logger.exception("reminder delivery %s failed", sending.id)
            outcomes[sending.id] = ledger.finish(sending, "failed", f"error: {exc}")
        if ledger.pending >= RECORD_EVERY:
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
