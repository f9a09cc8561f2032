"""Reminder dispatch: the database is the source of truth, the broker only a messenger.

Every minute ``reminders_tick`` reads the reminders due now (an indexed ``next_fire_at``), claims
one ``Delivery`` per (reminder, slot) under a unique constraint, advances ``next_fire_at`` and
returns what to deliver; it also hands back deliveries claimed but not finished for a while, since
a broker may lose a message. ``deliver`` takes a short lease on a delivery before sending, so two
workers never send one slot at the same time; a worker killed mid-send leaves the lease to expire
and the slot is sent again with the same ``Topic`` and ``tag``, which replace rather than add.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from tracker import mail, push
from tracker.errors import NotFound
from tracker.models import Delivery, PushSubscription, Reminder, User, WorkoutSession
from tracker.pages import page_link, page_path
from tracker.rules.reminders import (
    ReminderContent,
    SafetyLevel,
    reminder_content,
    reminder_next_fire,
    safety_level,
    slot_fate,
)
from tracker.rules.safety import RECENT_DAYS
from tracker.rules.weeks import local_date, week_start
from tracker.selectors.progress import weekly_progress

logger = logging.getLogger(__name__)

BATCH = 500
LEASE = timedelta(minutes=2)  # how long one worker may hold a delivery while sending
STALE = timedelta(minutes=2)  # a claim not finished by then is handed out again
MAX_ATTEMPTS = 6


def catch_up() -> timedelta:
    return timedelta(minutes=settings.REMINDER_CATCH_UP_MINUTES)


def reminders_tick(*, now: datetime) -> list[int]:
    """Claim every due slot once, advance the reminders, and return the deliveries to send."""
    to_send: list[int] = []
    tick = uuid.uuid4().hex
    late_limit = catch_up()
    with transaction.atomic():
        due = (
            Reminder.objects.filter(enabled=True, next_fire_at__lte=now)
            .select_related("user__profile")
            .order_by("next_fire_at")
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        reminders = list(due[:BATCH])
        claims = []
        for reminder in reminders:
            slot = reminder.next_fire_at
            assert slot is not None  # the query asked for next_fire_at <= now
            if slot_fate(slot=slot, now=now, catch_up=late_limit) == "send":
                claims.append(
                    Delivery(reminder=reminder, slot=slot, claimed_at=now, claimed_by=tick)
                )
            tz_name = reminder.user.profile.timezone
            reminder.next_fire_at = reminder_next_fire(
                weekdays=reminder.weekdays,
                at=reminder.time,
                tz_name=tz_name,
                after=max(slot, now - late_limit),
            )
        # One insert for every claim; a slot another dispatcher claimed first is left alone,
        # and only the rows this tick inserted are sent by it.
        Delivery.objects.bulk_create(claims, ignore_conflicts=True)
        to_send.extend(
            Delivery.objects.filter(
                claimed_by=tick, reminder_id__in=[c.reminder_id for c in claims]
            ).values_list("id", flat=True)
        )
        Reminder.objects.bulk_update(reminders, ["next_fire_at"])

        stale = list(
            Delivery.objects.filter(
                Q(lease_until__isnull=True) | Q(lease_until__lt=now),
                status__in=("claimed", "sending"),
                claimed_at__lt=now - STALE,
            ).values_list("id", "attempts")[:BATCH]
        )
        give_up = [i for i, attempts in stale if attempts >= MAX_ATTEMPTS]
        again = [i for i, attempts in stale if attempts < MAX_ATTEMPTS]
        Delivery.objects.filter(id__in=give_up).update(status="failed", detail="gave up")
        Delivery.objects.filter(id__in=again).update(claimed_at=now, status="claimed")
        to_send.extend(again)
    return to_send


@dataclass(frozen=True)
class Outcome:
    status: str  # "sent", "skipped", "retry", "failed", "busy"
    detail: str = ""


def _lease(delivery_id: int, now: datetime) -> bool:
    with transaction.atomic():
        taken = Delivery.objects.filter(
            Q(lease_until__isnull=True) | Q(lease_until__lt=now),
            pk=delivery_id,
            status__in=("claimed", "sending"),
        ).update(status="sending", lease_until=now + LEASE, attempts=F("attempts") + 1)
    return taken == 1


def _finish(delivery: Delivery, status: str, now: datetime, detail: str = "") -> Outcome:
    delivery.status = status
    delivery.detail = detail[:200]
    delivery.lease_until = None
    if status == "sent":
        delivery.sent_at = now
    delivery.save(update_fields=["status", "detail", "lease_until", "sent_at", "sent_to"])
    return Outcome(status, detail)


class RecentSession(NamedTuple):
    id: int
    started_at: datetime
    pain_during: int | None
    pain_next_morning: int | None


@dataclass(frozen=True)
class Situation:
    """What a reminder's message depends on."""

    done_today: bool
    this_week: int  # sessions in the slot's local week
    check_session: int | None  # yesterday's session still waiting for its morning answer
    safety: SafetyLevel  # "red" while a red flag is up, "amber" while any other flag is


def _situation(delivery: Delivery, now: datetime) -> Situation:
    reminder = delivery.reminder
    user = reminder.user
    tz = ZoneInfo(user.profile.timezone)
    slot_day = local_date(delivery.slot, tz)
    since = now - timedelta(days=RECENT_DAYS + 8)
    sessions = [
        RecentSession._make(row)
        for row in WorkoutSession.objects.filter(user=user, started_at__gte=since).values_list(
            *RecentSession._fields
        )
    ]
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
        safety=_safety(user, now),
    )


def _safety(user: User, now: datetime) -> SafetyLevel:
    """The flags up now, as the progress answer shows them (the same rules, the same read)."""
    flags = weekly_progress(user=user, weeks=1, now=now)["flags"]
    return safety_level(flag["code"] for flag in flags)


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


def deliver(delivery_id: int, *, now: datetime) -> Outcome:
    """Send one claimed slot by push (email when the user has no push subscription) or email."""
    if not _lease(delivery_id, now):
        return Outcome("busy", "sent, skipped or being sent by another worker")
    delivery = Delivery.objects.select_related("reminder__user__profile").get(pk=delivery_id)
    reminder = delivery.reminder
    user = reminder.user
    facts = _situation(delivery, now)
    if reminder.kind == "session" and reminder.skip_if_done and facts.done_today:
        return _finish(delivery, "skipped", now, "a session is already logged today")
    if reminder.kind == "morning_check" and facts.check_session is None:
        return _finish(delivery, "skipped", now, "no session yesterday waiting for its answer")
    content = reminder_content(
        kind=reminder.kind,
        sessions_this_week=facts.this_week,
        weekly_target=user.profile.weekly_target,
        safety=facts.safety,
        reminder_id=reminder.id,
    )
    title, body, opens = content.title, content.body, content.opens
    session = facts.check_session if reminder.kind == "morning_check" else None
    tag = f"h2k-reminder-{reminder.id}-{delivery.slot:%Y%m%dT%H%M}"
    payload = reminder_payload(content, session=session, tag=tag)
    subscriptions = list(PushSubscription.objects.filter(user=user))
    if reminder.channel == "email" or not subscriptions:
        off_url = settings.SITE_URL + reverse(
            "tracker:reminder-off", args=[mail.off_token(reminder.id)]
        )
        mail.send_reminder_email(
            to=user.email,
            title=title,
            body=body,
            url=page_link(opens, session=session),
            off_url=off_url,
        )
        return _finish(delivery, "sent", now, "email")
    topic = push.topic_for(tag)
    retry = False
    for sub in subscriptions:
        if sub.id in delivery.sent_to:
            continue
        result = push.send(
            endpoint=sub.endpoint, p256dh=sub.p256dh, auth=sub.auth, payload=payload,
            topic=topic,
        )  # fmt: skip
        if result.outcome == "sent":
            delivery.sent_to = [*delivery.sent_to, sub.id]
            PushSubscription.objects.filter(pk=sub.id).update(last_success_at=now)
        elif result.outcome == "gone":
            sub.delete()
        elif result.outcome == "retry":
            retry = True
        else:
            logger.warning("push to subscription %s failed: %s", sub.id, result.detail)
    if retry:
        delivery.status = "claimed"
        delivery.lease_until = None
        delivery.save(update_fields=["status", "lease_until", "sent_to"])
        return Outcome("retry", "a push service asked to try again")
    if not delivery.sent_to:
        return _finish(delivery, "failed", now, "no device accepted the push")
    return _finish(delivery, "sent", now, f"push to {len(delivery.sent_to)} device(s)")


def push_test_send(*, user: User) -> dict[str, Any]:
    """Sends a test notification to each of the user's subscriptions at once (not via the
    queue: the person is looking at the screen waiting for it). Expired ones are removed."""
    subscriptions = list(PushSubscription.objects.filter(user=user))
    if not subscriptions:
        raise NotFound("No device has push turned on for this account yet.")
    payload = {
        "title": "Hip2Knee test",
        "body": "Push works on this device. Reminders will arrive like this.",
        "url": page_path("reminders"),
        "tag": "hip2knee-test",
    }
    sent, problems = 0, []
    for subscription in subscriptions:
        result = push.send(
            endpoint=subscription.endpoint,
            p256dh=subscription.p256dh,
            auth=subscription.auth,
            payload=payload,
            topic="hip2knee-test",
        )
        if result.outcome == "sent":
            sent += 1
            subscription.last_success_at = timezone.now()
            subscription.save(update_fields=["last_success_at"])
        else:
            if result.outcome == "gone":
                subscription.delete()
            problems.append(result.detail or result.outcome)
    return {"sent": sent, "failed": len(problems), "detail": "; ".join(problems)[:500]}
