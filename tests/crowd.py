"""Many users with reminders due in the same minute, each with a device at a local push receiver,
written in bulk (for the rush tests and `make bench`)."""

from __future__ import annotations

from datetime import datetime
from datetime import time as clock
from typing import Any
from zoneinfo import ZoneInfo

from tracker.models import Profile, PushSubscription, Reminder, User

EVERY_DAY = 127
LONDON = ZoneInfo("Europe/London")


def crowd(
    receiver: Any, *, users: int, reminders_each: int, slot: datetime, prefix: str = "crowd"
) -> list[User]:
    """``users`` accounts in London, each with one device at ``receiver`` (path
    ``/push/<prefix><n>``) and ``reminders_each`` daily reminders whose next slot is ``slot``."""
    User.objects.bulk_create(
        [User(email=f"{prefix}{n}@example.com", password="!") for n in range(users)],
        batch_size=2000,
    )
    made = list(User.objects.filter(email__startswith=prefix).order_by("id"))
    Profile.objects.bulk_create(
        [Profile(user=u, timezone="Europe/London") for u in made],
        batch_size=2000,
        ignore_conflicts=True,
    )
    subscriptions = []
    for n, user in enumerate(made):
        device = receiver.subscription(f"{prefix}{n}")
        subscriptions.append(
            PushSubscription(
                user=user,
                endpoint=device["endpoint"],
                p256dh=device["keys"]["p256dh"],
                auth=device["keys"]["auth"],
            )
        )
    PushSubscription.objects.bulk_create(subscriptions, batch_size=2000)
    at = slot.astimezone(LONDON).time().replace(second=0, microsecond=0)
    Reminder.objects.bulk_create(
        [
            Reminder(
                user=user,
                weekdays=EVERY_DAY,
                time=clock(at.hour, at.minute),
                skip_if_done=False,
                next_fire_at=slot,
            )
            for user in made
            for _ in range(reminders_each)
        ],
        batch_size=2000,
    )
    return made
