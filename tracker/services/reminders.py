"""Reminders: when (weekdays and a local time, kept as the next instant due) and how."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from tracker.access import delete_owned, owned
from tracker.errors import Conflict, InvalidInput
from tracker.models import (
    Reminder,
    User,
)
from tracker.rules.reminders import reminder_next_fire, weekdays_mask

MORNING_CHECK_DEFAULT = time(8, 0)


def _schedule(reminder: Reminder, tz_name: str, now: datetime) -> None:
    if not reminder.enabled:
        reminder.next_fire_at = None
        return
    reminder.next_fire_at = reminder_next_fire(
        weekdays=reminder.weekdays, at=reminder.time, tz_name=tz_name, after=now
    )


def reminder_create(*, user: User, fields: Mapping[str, Any]) -> Reminder:
    kind = fields.get("kind") or "session"
    weekdays: list[int] | None = fields.get("weekdays")
    at: time | None = fields.get("time")
    if kind == "morning_check":
        weekdays = weekdays or list(range(7))
        at = at or MORNING_CHECK_DEFAULT
    if not weekdays or at is None:
        errors = {}
        if not weekdays:
            errors["weekdays"] = "choose at least one weekday"
        if at is None:
            errors["time"] = "give a local time as HH:MM"
        raise InvalidInput("Some fields are not valid.", errors)
    reminder = Reminder(
        user=user,
        kind=kind,
        weekdays=weekdays_mask(weekdays),
        time=at,
        channel=fields.get("channel") or "push",
        enabled=fields.get("enabled", True),
        skip_if_done=fields.get("skip_if_done", True),
    )
    _schedule(reminder, user.profile.timezone, timezone.now())
    limit = settings.REMINDERS_PER_USER
    try:
        with transaction.atomic():
            User.objects.select_for_update().filter(pk=user.pk).first()  # one create at a time
            if Reminder.objects.filter(user=user).count() >= limit:
                raise InvalidInput(
                    f"You have {limit} reminders already, the most one account can have. "
                    "Change or delete one instead.",
                    {"reminders": f"at most {limit} reminders per account"},
                )
            reminder.save(force_insert=True)
    except IntegrityError:
        raise Conflict(
            "You already have a next-morning knee check; change that one instead.",
            {"kind": "only one morning check"},
        ) from None
    return reminder


def reminder_update(*, user: User, reminder_id: int, changes: Mapping[str, Any]) -> Reminder:
    with transaction.atomic():
        reminder = owned(
            Reminder.objects.select_for_update(), user=user, pk=reminder_id, what="reminder"
        )
        if changes.get("weekdays") is not None:
            reminder.weekdays = weekdays_mask(changes["weekdays"])
        for field in ("time", "channel", "enabled", "skip_if_done"):
            if changes.get(field) is not None:
                setattr(reminder, field, changes[field])
        _schedule(reminder, user.profile.timezone, timezone.now())
        reminder.save()
    return reminder


def reminder_delete(*, user: User, reminder_id: int) -> None:
    delete_owned(Reminder.objects, user=user, pk=reminder_id, what="reminder")


def reminder_snooze(*, user: User, reminder_id: int, minutes: int) -> Reminder:
    """The notification's Snooze action: remind again in ``minutes`` (one extra slot).

    Only a reminder that is on: a snooze never turns back on one its owner turned off."""
    with transaction.atomic():
        reminder = owned(
            Reminder.objects.select_for_update(), user=user, pk=reminder_id, what="reminder"
        )
        if not reminder.enabled:
            raise Conflict(
                "This reminder is off, so it cannot be snoozed. Turn it on first.",
                {"enabled": "the reminder is off"},
            )
        reminder.next_fire_at = (timezone.now() + timedelta(minutes=minutes)).replace(
            second=0, microsecond=0
        )
        reminder.save(update_fields=["next_fire_at", "updated_at"])
    return reminder


def reminder_turn_off(*, reminder: Reminder) -> None:
    Reminder.objects.filter(pk=reminder.pk).update(enabled=False, next_fire_at=None)


def reminders_follow_timezone(*, user: User, tz_name: str) -> None:
    """A new time zone moves every reminder with it: the same local time in the new zone."""
    now = timezone.now()
    reminders = list(Reminder.objects.filter(user=user, enabled=True))
    for reminder in reminders:
        _schedule(reminder, tz_name, now)
    Reminder.objects.bulk_update(reminders, ["next_fire_at"])
