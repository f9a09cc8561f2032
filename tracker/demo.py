"""Eight weeks of believable history for a demo account, so a newcomer sees full charts at once.

Eight complete weeks before this one (so the week-8 milestone is there) and this week so far:
three sessions most weeks (one short week, one flare in week 5), sets that progress through the
bands, and check-ins whose knee pain falls from about 6 to about 2. Everything goes through the
same services as the API, so the rules see it exactly as they would a real user's log.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from tracker.models import Routine, User
from tracker.rules.weeks import local_date
from tracker.services import accounts, checkins, sessions

DEMO_EMAIL = "demo@hip2knee.example"
DEMO_PASSWORD = "hips-for-kinder-knees"  # noqa: S105 - a public demo, named in the README
WEEKS = 9  # eight complete, and the current one
# mean knee pain by week (0-10): falling, with a flare in week 5
PAIN_BY_WEEK = (6.0, 5.5, 4.5, 3.5, 5.5, 3.0, 2.5, 2.0, 2.0)
SESSIONS_BY_WEEK = (3, 3, 2, 3, 1, 3, 3, 3, 3)
SESSION_DAYS = (0, 2, 4)  # Monday, Wednesday, Friday
BANDS = ("yellow", "red", "green")
NAMESPACE = uuid.UUID("7f1a6a52-2f0e-4b6e-9d7e-6c2b1f9e0d11")


def _cid(*parts: object) -> uuid.UUID:
    """Stable client ids: seeding twice changes nothing."""
    return uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts))


def seed_history(user: User, *, now: datetime | None = None, seed: int = 8) -> dict[str, int]:
    """Writes eight complete weeks and this week so far into ``user``'s log (idempotent)."""
    now = now or timezone.now()
    rng = random.Random(seed)
    tz = ZoneInfo(user.profile.timezone)
    today = local_date(now, tz)
    first_monday = today - timedelta(days=today.weekday(), weeks=WEEKS - 1)
    routine = Routine.objects.get(starter=True, name="Hip-to-Knee starter")
    counts = {"sessions": 0, "checkins": 0}
    with transaction.atomic():
        for week in range(WEEKS):
            monday = first_monday + timedelta(weeks=week)
            pain = PAIN_BY_WEEK[week]
            band = BANDS[min(week // 3, len(BANDS) - 1)]
            reps = min(10 + week // 2, 12)
            for n, offset in enumerate(SESSION_DAYS[: SESSIONS_BY_WEEK[week]]):
                day = monday + timedelta(days=offset)
                started = datetime.combine(day, time(18, 15), tz)
                if started > now:
                    continue
                flare = week == 4
                sets = []
                for item in routine.items.all():
                    sides = ("left", "right") if item.per_side else ("both",)
                    for _ in range(item.sets):
                        for side in sides:
                            strength = item.exercise_id in ("clamshell", "glute-bridge")
                            sets.append(
                                {
                                    "exercise": item.exercise_id,
                                    "side": side,
                                    "reps": reps - (2 if flare else 0),
                                    "band": band if strength else None,
                                    "felt_in_knee": flare and item.exercise_id == "supported-squat",
                                }
                            )
                during = max(0, min(10, round(pain - 1 + rng.uniform(-1, 1))))
                morning_after = datetime.combine(day + timedelta(days=1), time(8), tz)
                _, created = sessions.session_log(
                    user=user,
                    client_id=_cid(user.pk, "session", week, n),
                    started_at=started,
                    routine_id=routine.pk,
                    sets=sets,
                    pain_during=during,
                    pain_next_morning=(during + (2 if flare else 0))
                    if morning_after < now
                    else None,
                    notes="Knee grumbled on the squats." if flare else "",
                )
                counts["sessions"] += created
            for offset in (1, 3, 5):
                day = monday + timedelta(days=offset)
                if day > today:
                    continue
                answers = {
                    "pain": max(0, min(10, round(pain + rng.uniform(-0.8, 0.8)))),
                    "stairs": max(0, min(10, round(pain + 1))),
                    "sitting": max(0, min(10, round(pain))),
                    "rest_day": offset == 5,
                }
                _, created = checkins.checkin_save(
                    user=user, client_id=_cid(user.pk, "checkin", day), day=day, answers=answers
                )
                counts["checkins"] += created
    return counts


def seed_demo(
    *, email: str = DEMO_EMAIL, password: str = DEMO_PASSWORD
) -> tuple[User, dict[str, int]]:
    """The demo account (created if missing) with its history."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = accounts.user_signup(email=email, password=password, tz_name="Europe/London")
    return user, seed_history(user)
