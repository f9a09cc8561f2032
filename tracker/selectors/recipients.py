"""The people a batch of reminders goes to: what their reminders' words depend on, for the whole
batch in two queries, whatever its size and however long their histories.

A reminder's words change with the safety flags up (a red flag, or pain above 5, not settled or
rising), so the flags are worked out by the same rules as the progress answer
(``rules.safety.safety_flags``, the weeks by ``rules.progress.build_history``), from only the rows
those rules look at: the sessions of the last weeks, the check-ins of the last ``CHECKIN_DAYS``
(the last three completed weeks, and the usual pain before each recent session), and the ones
that reported a red flag since the person's latest word that a clinician has seen the knee.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple, Protocol
from zoneinfo import ZoneInfo

from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce

from tracker.models import CheckIn, WorkoutSession
from tracker.rules import vocabulary as vocab
from tracker.rules.progress import CheckInFact, SessionFact, Totals, WeekPains, build_history
from tracker.rules.safety import RECENT_DAYS, USUAL_DAYS, Clearance, Flag, safety_flags
from tracker.rules.weeks import local_date, week_start
from tracker.selectors.lookups import AnyOf

# a session of the last RECENT_DAYS (a day more where DST moves a local midnight) is compared
# with the USUAL_DAYS before it; three completed weeks are 27 days back at the most
CHECKIN_DAYS = RECENT_DAYS + USUAL_DAYS + 1
SESSION_DAYS = RECENT_DAYS + 8  # also the slot's local week and yesterday's morning check


class RecentSession(NamedTuple):
    id: int
    started_at: datetime
    pain_during: int | None
    pain_next_morning: int | None


@dataclass
class Recipient:
    """One person's recent sessions (oldest first) and the safety flags up for them now."""

    sessions: list[RecentSession] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)


class Person(Protocol):
    """What the read needs of each person: their ``Profile``, or a row with the same fields."""

    @property
    def user_id(self) -> int: ...
    @property
    def timezone(self) -> str: ...
    @property
    def weekly_target(self) -> int: ...
    @property
    def clinician_seen_at(self) -> datetime | None: ...
    @property
    def clinician_seen_on(self) -> date | None: ...


def _clearance(profile: Person) -> Clearance | None:
    if profile.clinician_seen_at is None or profile.clinician_seen_on is None:
        return None
    return Clearance(profile.clinician_seen_at, profile.clinician_seen_on)


def _pain_weeks(checkins: Iterable[CheckInFact]) -> dict[date, WeekPains]:
    """The check-ins summed per week, as ``Totals.pain_weeks`` holds them."""
    count: dict[date, int] = defaultdict(int)
    total: dict[date, int] = defaultdict(int)
    for checkin in checkins:
        monday = week_start(checkin.day)
        count[monday] += 1
        total[monday] += checkin.pain
    return {monday: WeekPains(n, total[monday]) for monday, n in count.items()}


def recipients_read(*, profiles: Iterable[Person], now: datetime) -> dict[int, Recipient]:
    """Per user id of ``profiles``: the sessions since ``SESSION_DAYS`` ago and the flags up at
    ``now``, exactly those ``progress/weekly`` shows. Two queries in all."""
    of_user = {p.user_id: p for p in profiles}
    if not of_user:
        return {}
    today = {uid: local_date(now, ZoneInfo(p.timezone)) for uid, p in of_user.items()}
    recipients = {uid: Recipient() for uid in of_user}
    for row in (
        WorkoutSession.objects.filter(
            AnyOf(F("user_id"), of_user), started_at__gte=now - timedelta(days=SESSION_DAYS)
        )
        .order_by("started_at", "id")
        .values_list("user_id", *RecentSession._fields)
    ):
        recipients[row[0]].sessions.append(RecentSession._make(row[1:]))

    checkins: dict[int, list[CheckInFact]] = defaultdict(list)
    since = min(today.values()) - timedelta(days=CHECKIN_DAYS)
    red_flags_since = Coalesce(F("user__profile__clinician_seen_on"), Value(vocab.EARLIEST_DATE))
    fields = ("date", "pain", "rest_day", "red_flags", "created_at", "updated_at", "red_flags_at")
    for uid, day, pain, rest_day, red_flags, created_at, updated_at, red_flags_at in (
        CheckIn.objects.filter(AnyOf(F("user_id"), of_user))
        .filter(Q(date__gte=since) | (~Q(red_flags=[]) & Q(date__gte=red_flags_since)))
        .order_by("date")
        .values_list("user_id", *fields)
    ):
        checkins[uid].append(
            CheckInFact(
                day, pain, rest_day, tuple(red_flags or ()), created_at, updated_at, red_flags_at
            )
        )

    for uid, profile in of_user.items():
        tz = ZoneInfo(profile.timezone)
        recent_from = today[uid] - timedelta(days=CHECKIN_DAYS)
        recent = [c for c in checkins[uid] if c.day >= recent_from]
        # the weeks' pain alone: "rising" reads the means of the last three completed weeks
        totals = Totals(
            session_days={},
            pain_weeks=_pain_weeks(recent),
            rest_days=frozenset(),
            first_checkins=(),
        )
        history = build_history(
            totals=totals, tz_name=profile.timezone, weekly_target=profile.weekly_target, now=now
        )
        recipient = recipients[uid]
        recipient.flags = safety_flags(
            weeks=history.weeks,
            sessions=[
                SessionFact(s.started_at, s.pain_during, s.pain_next_morning)
                for s in recipient.sessions
            ],
            checkins=[c for c in checkins[uid] if c.day >= recent_from or c.red_flags],
            now=now,
            tz=tz,
            clearance=_clearance(profile),
        )
    return recipients
