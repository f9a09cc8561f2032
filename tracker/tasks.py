"""Celery tasks: thin wrappers around the dispatcher and the account's emails.

Ticks, deliveries and account emails travel on queues of their own (routed in
``config/settings.py``), so a tick never waits behind a rush of deliveries, nor a password-reset
link behind either, and a worker can be given to any of them, or to all.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import datetime

from celery import Task, shared_task
from django.conf import settings
from django.utils import timezone

from tracker import dispatch
from tracker.services import account_emails

RETRY_BACKOFF_SECONDS = 30
RETRY_BACKOFF_MAX_SECONDS = 600
HELPER_EXPIRES_SECONDS = 50  # a claimer not started within its minute is dropped, as a tick is


def _hand_out(batches: Iterable[list[int]]) -> int:
    """Each claimed batch to the workers as delivery tasks, as soon as it is claimed."""
    size = settings.REMINDER_DELIVERY_BATCH
    count = 0
    for ids in batches:
        for start in range(0, len(ids), size):
            deliver_reminders.delay(ids[start : start + size])
        count += len(ids)
    return count


@shared_task(ignore_result=True)
def dispatch_due_reminders() -> int:
    """Beat runs this at the start of every minute for all users: claim everything due, batch
    after batch, and hand each batch of deliveries to the workers as soon as it is claimed. In a
    rush, claimers on other workers share the claim with it."""
    now = timezone.now()
    for _ in range(dispatch.claim_helpers(now=now)):
        claim_due_reminders.apply_async((now.isoformat(),), expires=HELPER_EXPIRES_SECONDS)
    return _hand_out(dispatch.reminders_tick_batches(now=now))


@shared_task(ignore_result=True)
def claim_due_reminders(now: str) -> int:
    """A claimer beside a rush's tick: what is due at the tick's ``now`` and not yet claimed by
    the tick or another claimer, batch after batch, each handed out at once."""
    return _hand_out(dispatch.reminders_claim_batches(now=datetime.fromisoformat(now)))


@shared_task(bind=True, ignore_result=True, max_retries=5)
def deliver_reminders(
    self: Task[[list[int]], dict[str, int]], delivery_ids: list[int]
) -> dict[str, int]:
    """Send a batch of claimed slots; what a push service asked to retry is tried again later
    (backing off), what the batch had no time for goes back on the queue at once."""
    outcomes = dispatch.deliver_batch(delivery_ids, now=timezone.now())
    counts: dict[str, int] = {}
    for outcome in outcomes.values():
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    later = [i for i, o in outcomes.items() if o.status == "later"]
    if later:
        deliver_reminders.delay(later)
    again = [i for i, o in outcomes.items() if o.status == "retry"]
    if again:
        backoff = min(RETRY_BACKOFF_MAX_SECONDS, RETRY_BACKOFF_SECONDS * 2**self.request.retries)
        raise self.retry(args=(again,), countdown=random.uniform(backoff / 2, backoff))
    return counts


# A mail server that cannot be reached or refuses for now (OSError, smtplib's errors among them)
# is tried again, backing off; the link is made when the mail is sent, so it is never older. A
# refusal for good is not (account_emails._send).
ACCOUNT_EMAIL_RETRIES = 5
account_email_task = shared_task(
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=RETRY_BACKOFF_SECONDS,
    retry_backoff_max=RETRY_BACKOFF_MAX_SECONDS,
    max_retries=ACCOUNT_EMAIL_RETRIES,
)


@account_email_task
def send_password_reset_email(email: str) -> None:
    """Every password-reset request hands its address here, whoever it belongs to; the link is
    sent only to an account's address."""
    account_emails.password_reset_email_send(email=email)


@account_email_task
def send_email_change_emails(user_id: int, old_email: str, new_email: str) -> None:
    """The link to the new address for a change asked for; once it is sent, the notice to the
    current address goes by a task of its own (a failed notice never sends the link again)."""
    if account_emails.email_change_link_send(
        user_id=user_id, old_email=old_email, new_email=new_email
    ):
        send_email_change_notice.delay(user_id, old_email, new_email)


@account_email_task
def send_email_change_notice(user_id: int, old_email: str, new_email: str) -> None:
    """Tells the current address that a change of email was asked for."""
    account_emails.email_change_notice_send(
        user_id=user_id, old_email=old_email, new_email=new_email
    )
