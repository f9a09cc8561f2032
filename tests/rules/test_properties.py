"""Invariants of the weekly rules over generated histories (hypothesis)."""

import itertools
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.facts import history_of
from tracker.rules.progress import (
    CheckInFact,
    SessionFact,
    habit_score,
    is_meaningful,
    pain_change_pct,
    streak_weeks,
)
from tracker.rules.weeks import local_date, week_start

ZONES = ["UTC", "Europe/London", "America/Los_Angeles", "Pacific/Auckland", "Asia/Kolkata"]
NOW = datetime(2026, 6, 3, 12, tzinfo=UTC)
START = datetime(2026, 1, 1, tzinfo=UTC)

instants = st.integers(0, int((NOW - START).total_seconds())).map(
    lambda s: START + timedelta(seconds=s)
)
days = st.integers(0, (NOW - START).days).map(lambda d: START.date() + timedelta(days=d))
checkins = st.lists(
    st.builds(CheckInFact, day=days, pain=st.integers(0, 10), rest_day=st.booleans()),
    max_size=40,
    unique_by=lambda c: c.day,
)


def counts(sessions, checkin_list, tz_name, target=3):
    history = history_of(
        sessions=sessions, checkins=checkin_list, tz_name=tz_name, weekly_target=target, now=NOW
    )
    return [(w.week_start, w.sessions, w.met) for w in history.weeks], streak_weeks(history.weeks)


@settings(max_examples=150, deadline=None)
@given(
    starts=st.lists(instants, max_size=30),
    checkin_list=checkins,
    tz_name=st.sampled_from(ZONES),
    which=st.integers(0, 29),
    new_weekday=st.integers(0, 6),
    new_minute=st.integers(0, 24 * 60 - 1),
)
def test_moving_a_session_within_its_local_week_never_changes_any_count(
    starts, checkin_list, tz_name, which, new_weekday, new_minute
):
    if not starts:
        return
    tz = ZoneInfo(tz_name)
    sessions = [SessionFact(s) for s in starts]
    moved = sessions[which % len(sessions)]
    monday = week_start(local_date(moved.started_at, tz))
    local = datetime.combine(monday + timedelta(days=new_weekday), datetime.min.time(), tz)
    new_start = (local + timedelta(minutes=new_minute)).astimezone(UTC)
    if week_start(local_date(new_start, tz)) != monday or new_start > NOW:
        return  # a DST gap or the future moved it out of its week: not this property
    moved_sessions = [SessionFact(new_start) if s is moved else s for s in sessions]
    assert counts(sessions, checkin_list, tz_name) == counts(moved_sessions, checkin_list, tz_name)


@settings(max_examples=200, deadline=None)
@given(
    session_days=st.lists(days, max_size=60),
    rest=st.lists(days, max_size=30),
    target=st.integers(1, 7),
    first_offset=st.integers(0, 60),
)
def test_the_habit_score_stays_within_0_and_100(session_days, rest, target, first_offset):
    first = START.date() + timedelta(days=first_offset)
    score = habit_score(
        session_days=Counter(session_days),
        rest_days=rest,
        weekly_target=target,
        first_day=first,
        today=NOW.date(),
    )
    assert 0 <= score <= 100


@settings(max_examples=200, deadline=None)
@given(
    session_days=st.lists(days, max_size=40),
    extra=days,
    target=st.integers(1, 7),
)
def test_one_more_session_never_lowers_the_score(session_days, extra, target):
    first = START.date()
    kwargs = {"rest_days": [], "weekly_target": target, "first_day": first, "today": NOW.date()}
    before = habit_score(session_days=Counter(session_days), **kwargs)
    after = habit_score(session_days=Counter([*session_days, extra]), **kwargs)
    assert after >= before - 1e-9


@given(baseline=st.floats(0, 10), mean=st.floats(0, 10))
def test_meaningful_only_for_a_fall_of_2_points_or_30_percent(baseline, mean):
    change = mean - baseline
    pct = pain_change_pct(mean, baseline)
    if is_meaningful(change, pct):
        assert change <= -2 + 1e-6 or (pct is not None and pct <= -30 + 1e-6)
        assert mean < baseline


@settings(max_examples=100, deadline=None)
@given(checkin_list=checkins, tz_name=st.sampled_from(ZONES))
def test_weeks_are_consecutive_mondays_oldest_first_ending_this_week(checkin_list, tz_name):
    history = history_of(
        sessions=[], checkins=checkin_list, tz_name=tz_name, weekly_target=3, now=NOW
    )
    starts = [w.week_start for w in history.weeks]
    assert all(d.weekday() == 0 for d in starts)
    assert all(b - a == timedelta(weeks=1) for a, b in itertools.pairwise(starts))
    if starts:
        assert starts[-1] >= week_start(local_date(NOW, ZoneInfo(tz_name)))
        assert sum(w.checkins for w in history.weeks) == len(checkin_list)
