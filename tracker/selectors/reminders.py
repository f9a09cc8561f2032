"""Reminders, scoped to one user (and the one an email's off link names)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.utils import timezone

from tracker.access import owned
from tracker.models import (
    Reminder,
    User,
    WorkoutSession,
)
from tracker.rules.reminders import next_sent
from tracker.rules.weeks import local_date

# a reminder's next slot is from now on: only sessions of today (in any zone) can skip one
SESSION_LOOKBACK = timedelta(days=2)


def reminder_list(*, user: User) -> list[Reminder]:
    return reminders_shown(user=user, reminders=Reminder.objects.filter(user=user))


def reminder_get(*, user: User, reminder_id: int) -> Reminder:
    reminder = owned(Reminder.objects, user=user, pk=reminder_id, what="reminder")
    return reminders_shown(user=user, reminders=[reminder])[0]


def reminders_shown(*, user: User, reminders: Iterable[Reminder]) -> list[Reminder]:
    """The reminders as the answer shows them: ``next_fire_at`` is the next slot each will
    really be sent at, past the slots a session already logged that day keeps silent (the
    stored one stays the dispatcher's next slot to look at). One query for the sessions."""
    shown = list(reminders)
    tz_name = user.profile.timezone
    since = timezone.now() - SESSION_LOOKBACK
    session_days = {
        local_date(started, tz_name)
        for started in WorkoutSession.objects.filter(user=user, started_at__gte=since).values_list(
            "started_at", flat=True
        )
    }
    for reminder in shown:
        if reminder.next_fire_at is not None and session_days:
            reminder.next_fire_at = next_sent(
                slot=reminder.next_fire_at,
                weekdays=reminder.weekdays,
                at=reminder.time,
                tz_name=tz_name,
                kind=reminder.kind,
                skip_if_done=reminder.skip_if_done,
                session_days=session_days,
            )
    return shown


def reminder_for_off_link(reminder_id: int) -> Reminder | None:
    return Reminder.objects.filter(pk=reminder_id).first()
