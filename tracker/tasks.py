"""Celery tasks: thin wrappers around the dispatcher."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from tracker import dispatch


class PushLater(Exception):
    """A push service asked to try again (timeout, 5xx or 429)."""


@shared_task(ignore_result=True)
def dispatch_due_reminders() -> int:
    """Beat runs this every minute for all users: claim what is due, hand each to a worker."""
    ids = dispatch.reminders_tick(now=timezone.now())
    for delivery_id in ids:
        deliver_reminder.delay(delivery_id)
    return len(ids)


@shared_task(
    bind=True,
    ignore_result=True,
    autoretry_for=(PushLater,),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def deliver_reminder(self: object, delivery_id: int) -> str:
    outcome = dispatch.deliver(delivery_id, now=timezone.now())
    if outcome.status == "retry":
        raise PushLater(outcome.detail)
    return outcome.status
