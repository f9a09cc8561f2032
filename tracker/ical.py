"""The reminder slots as a private iCal feed, for a phone's calendar to remind too."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.utils import timezone

from tracker.models import (
    Profile,
    Reminder,
)
from tracker.rules.reminders import weekdays_from_mask
from tracker.rules.weeks import local_date
from tracker.tokens import token_digest

ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def calendar_feed(*, token: str) -> bytes | None:
    """The user's reminder slots as an iCal feed, for a phone calendar to remind too."""
    profile = (
        Profile.objects.select_related("user")
        .filter(calendar_token_digest=token_digest(token))
        .first()
    )
    if profile is None or not token:
        return None
    tz = ZoneInfo(profile.timezone)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Hip2Knee//reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Hip2Knee reminders")
    today = local_date(timezone.now(), tz)
    for reminder in Reminder.objects.filter(user=profile.user, enabled=True, kind="session"):
        days = weekdays_from_mask(reminder.weekdays)
        first = next(
            today + timedelta(days=i)
            for i in range(7)
            if (today + timedelta(days=i)).weekday() in days
        )
        event = icalendar.Event()
        event.add("uid", f"reminder-{reminder.id}@hip2knee")
        event.add("summary", "Hip session (Hip2Knee)")
        event.add("description", "10 minutes of hip work. Skip it if your knee needs rest.")
        event.add("dtstart", datetime.combine(first, reminder.time, tzinfo=tz))
        event.add("duration", timedelta(minutes=15))
        event.add("dtstamp", timezone.now())
        event.add("rrule", {"freq": "weekly", "byday": [ICAL_DAYS[d] for d in days]})
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", "Time for your hips")
        alarm.add("trigger", timedelta(0))
        event.add_component(alarm)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    feed: bytes = calendar.to_ical()  # icalendar leaves its return type unannotated
    return feed
