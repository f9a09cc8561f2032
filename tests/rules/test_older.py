"""Summing the older facts once (``summarize_older``) gives the answer of passing them all."""

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tracker.rules.progress import CheckInFact, SessionFact, summarize_older
from tracker.rules.report import progress_report


@pytest.mark.parametrize("seed", range(25))
def test_older_facts_summed_give_the_same_answer(seed):
    rng = random.Random(seed)
    tz_name = rng.choice(["UTC", "Europe/London", "Pacific/Auckland", "America/Los_Angeles"])
    tz = ZoneInfo(tz_name)
    now = datetime(2026, 3, 29, 12, 0, tzinfo=UTC) + timedelta(hours=rng.randrange(24 * 60))
    span = rng.choice([20, 60, 200, 500])  # days of history
    sessions = [
        SessionFact(
            now - timedelta(minutes=rng.randrange(1, span * 24 * 60)),
            rng.choice([None, 1, 3, 6]),
            rng.choice([None, 2, 5]),
        )
        for _ in range(rng.randrange(0, span // 2 + 2))
    ]
    today = now.astimezone(tz).date()
    # dense (rest weeks happen), sparse, or none lately (the usual pain is an older one)
    mode = seed % 3
    days = rng.sample(range(span), rng.randrange(0, min(span, 120)))
    if mode == 0:
        days = rng.sample(range(span), min(span, 150))
    elif mode == 2:
        days = [d for d in days if d > 45]
    checkins = [
        CheckInFact(
            today - timedelta(days=d),
            rng.randrange(0, 2 if mode == 2 else 11),  # mode 2: sessions since hurt more
            rng.random() < (0.7 if mode == 0 else 0.2),
            ("night_pain",) if d < 14 and rng.random() < 0.1 else (),
            datetime.combine(today - timedelta(days=d), datetime.min.time(), tz)
            + timedelta(hours=rng.randrange(24)),
        )
        for d in days
    ]
    boundary = today - timedelta(days=rng.choice([16, 29, 45]))
    live_from = datetime.combine(boundary, datetime.min.time(), tz)
    weekly_target = rng.randint(1, 7)

    def report(**facts):
        return progress_report(
            recent_sessions=[], library={}, tz_name=tz_name, weekly_target=weekly_target,
            now=now, weeks=rng_weeks, **facts,
        )  # fmt: skip

    rng_weeks = rng.choice([1, 12, 104])
    everything = report(sessions=sessions, checkins=checkins)
    summed = report(
        sessions=[s for s in sessions if s.started_at >= live_from],
        checkins=[c for c in checkins if c.day >= boundary],
        older=summarize_older(
            [s for s in sessions if s.started_at < live_from],
            [
                CheckInFact(c.day, c.pain, c.rest_day)  # as the cache keeps them: no detail
                for c in checkins
                if c.day < boundary
            ],
            tz_name,
        ),
    )
    assert summed == everything
