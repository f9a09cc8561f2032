"""Reminders, scoped to one user (and the one an email's off link names)."""

from __future__ import annotations

from django.db.models import (
    QuerySet,
)

from tracker.access import owned
from tracker.models import (
    Reminder,
    User,
)


def reminder_list(*, user: User) -> QuerySet[Reminder]:
    return Reminder.objects.filter(user=user)


def reminder_get(*, user: User, reminder_id: int) -> Reminder:
    return owned(Reminder.objects, user=user, pk=reminder_id, what="reminder")


def reminder_for_off_link(reminder_id: int) -> Reminder | None:
    return Reminder.objects.filter(pk=reminder_id).first()
