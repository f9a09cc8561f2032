"""The one place that knows when a reminder is due, and what it says.

A reminder names local weekdays (Monday = 0) and a local wall-clock time in the user's IANA zone.
Its slots are instants: on a day when that wall time does not exist (clocks go forward) the slot is
the first valid minute after it; when it occurs twice (clocks go back) only the first counts.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from tracker.rules.weeks import local_date

ALL_DAYS = frozenset(range(7))
CATCH_UP = timedelta(minutes=15)  # a slot missed by at most this much is still sent, once


def weekdays_mask(weekdays: Iterable[int]) -> int:
    """``{0, 2, 4}`` (Mon, Wed, Fri) -> ``0b10101`` = 21."""
    mask = 0
    for day in weekdays:
        mask |= 1 << day
    return mask


def weekdays_from_mask(mask: int) -> list[int]:
    return [day for day in range(7) if mask & (1 << day)]


def _exists(local: datetime, tz: ZoneInfo) -> bool:
    """False for a wall time skipped by a DST jump (it does not survive a round trip)."""
    round_trip = local.astimezone(UTC).astimezone(tz)
    return round_trip.replace(tzinfo=None) == local.replace(tzinfo=None)


def slot_on(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of ``at`` on local ``day``.

    London, 29 March 2026 (clocks go 01:00 -> 02:00): 01:30 does not exist, so the slot is 02:00
    BST (01:00 UTC). 25 October 2026 (02:00 -> 01:00): 01:30 happens twice; the first (BST) counts.
    """
    local = datetime.combine(day, at, tzinfo=tz).replace(fold=0)
    if _exists(local, tz):
        return local.astimezone(UTC)
    naive = datetime.combine(day, at)
    for minutes in range(1, 24 * 60):
        later = (naive + timedelta(minutes=minutes)).replace(tzinfo=tz, fold=0)
        if _exists(later, tz):
            return later.astimezone(UTC)
    raise ValueError(f"no valid local time after {at} on {day} in {tz}")  # pragma: no cover


def next_slot(*, weekdays: Iterable[int], at: time, tz_name: str, after: datetime) -> datetime:
    """The first slot strictly after ``after`` (an aware instant), as a UTC instant.

    Mondays and Thursdays at 18:00 in New York, after Tuesday 12:00 UTC -> Thursday 22:00 UTC.
    """
    days = frozenset(weekdays)
    if not days:
        raise ValueError("a reminder needs at least one weekday")
    tz = ZoneInfo(tz_name)
    start = local_date(after, tz) - timedelta(days=1)
    for offset in range(9):
        day = start + timedelta(days=offset)
        if day.weekday() in days:
            slot = slot_on(day, at, tz)
            if slot > after:
                return slot
    raise AssertionError("a weekly slot always exists within nine days")  # pragma: no cover


def reminder_next_fire(*, weekdays: int, at: time, tz_name: str, after: datetime) -> datetime:
    """A stored reminder's next slot after ``after``: ``weekdays`` as the stored bit mask.

    Mon/Wed/Fri (mask 21) at 18:00 in Europe/London, after Tuesday 09:00 UTC -> Wednesday
    17:00 UTC (British Summer Time) or 18:00 UTC (winter).
    """
    return next_slot(weekdays=weekdays_from_mask(weekdays), at=at, tz_name=tz_name, after=after)


def skips_slot(*, kind: str, skip_if_done: bool, session_logged_that_day: bool) -> bool:
    """Whether a slot stays silent: a session reminder that skips days already done says
    nothing on a local day with a session logged (the morning check has its own rule)."""
    return kind == "session" and skip_if_done and session_logged_that_day


def next_sent(
    *,
    slot: datetime,
    weekdays: int,
    at: time,
    tz_name: str,
    kind: str,
    skip_if_done: bool,
    session_days: Collection[date],
) -> datetime:
    """The first slot from ``slot`` (the reminder's next one) that is not skipped: the one the
    person will really be reminded at, given the local days that already have a session.

    Mon-Fri at 18:00, today Tuesday with a session logged, skipping days done -> Wednesday 18:00.
    """
    tz = ZoneInfo(tz_name)
    for _ in range(len(session_days) + 1):  # each skip passes one day with a session
        if not skips_slot(
            kind=kind,
            skip_if_done=skip_if_done,
            session_logged_that_day=local_date(slot, tz) in session_days,
        ):
            break
        slot = reminder_next_fire(weekdays=weekdays, at=at, tz_name=tz_name, after=slot)
    return slot


def slot_fate(*, slot: datetime, now: datetime, catch_up: timedelta = CATCH_UP) -> str:
    """``"wait"`` before the slot, ``"send"`` up to ``catch_up`` late, ``"skip"`` when older:
    a dispatcher that was down sends a slot missed by minutes once, never a burst of old ones."""
    if slot > now:
        return "wait"
    return "send" if now - slot <= catch_up else "skip"


SafetyLevel = Literal["red", "amber"] | None


def safety_level(flag_codes: Iterable[str]) -> SafetyLevel:
    """``"red"`` while a red flag is up, ``"amber"`` while pain went above 5, had not settled or
    is rising, else None."""
    codes = set(flag_codes)
    if "red_flag" in codes:
        return "red"
    return "amber" if codes else None


@dataclass(frozen=True)
class ReminderContent:
    """What a reminder says and does: its words, the page a tap opens (a name of
    ``tracker.pages.PAGES``) and the notification's buttons (``action`` and ``title``; the
    snooze button also names the reminder)."""

    title: str
    body: str
    opens: str
    actions: tuple[dict[str, object], ...]


def reminder_content(
    *,
    kind: str,
    sessions_this_week: int,
    weekly_target: int,
    safety: SafetyLevel,
    reminder_id: int,
) -> ReminderContent:
    """The reminder as delivered, by push or by email.

    While a red flag is up it urges nothing: it asks after the knee, says to see a clinician
    first, opens the check-in and has no "Log now" (nor a snooze that would bring it back). While
    an amber flag is up it asks after the knee without urging a session. Otherwise it counts the
    week and offers "Log now". The morning check asks how the knee is, whatever the flags.
    """
    snooze = {"action": "snooze", "title": "Snooze 1 h", "reminder": reminder_id}
    if kind == "morning_check":
        return ReminderContent(
            "How is your knee this morning?",
            "One tap: rate your knee pain the morning after your session.",
            "morning_check",
            ({"action": "open", "title": "Rate my knee"},),
        )
    if safety == "red":
        return ReminderContent(
            "How is your knee?",
            "You reported a red-flag symptom: see a clinician before you exercise again. "
            "Tell the app how your knee is today.",
            "checkin",
            ({"action": "open", "title": "Knee check-in"},),
        )
    if safety == "amber":
        return ReminderContent(
            "How is your knee today?",
            "Your knee has been sore lately. Rate how it feels today; a session can wait until "
            "it has settled.",
            "checkin",
            ({"action": "open", "title": "Knee check-in"}, snooze),
        )
    left = weekly_target - sessions_this_week
    if left <= 0:
        title, body = (
            "Hip session?",
            f"{sessions_this_week} of {weekly_target} sessions this week: target met. "
            "An easy 10 minutes keeps the habit going, if your knee is happy.",
        )
    else:
        title, body = (
            "Time for your hips",
            f"{sessions_this_week} of {weekly_target} sessions this week — 10 minutes of hip work?",
        )
    return ReminderContent(title, body, "log", ({"action": "open", "title": "Log now"}, snooze))
