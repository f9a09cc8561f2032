"""When a reminder is due: local weekdays and time, DST gaps and repeats, catch-up."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.rules.reminders import (
    next_sent,
    next_slot,
    reminder_content,
    safety_level,
    slot_fate,
    slot_on,
    weekdays_from_mask,
    weekdays_mask,
)

LONDON = ZoneInfo("Europe/London")


def test_weekday_masks():
    assert weekdays_mask([0, 2, 4]) == 21
    assert weekdays_from_mask(21) == [0, 2, 4]


def test_next_slot_on_the_chosen_weekdays_in_the_users_zone():
    # Mondays and Thursdays 18:00 in New York; Tuesday 3 March 2026 12:00 UTC -> Thursday 23:00 UTC
    slot = next_slot(
        weekdays=[0, 3],
        at=time(18),
        tz_name="America/New_York",
        after=datetime(2026, 3, 3, 12, tzinfo=UTC),
    )
    assert slot == datetime(2026, 3, 5, 23, tzinfo=UTC)
    # the slot itself is not "after" itself: the next one comes
    again = next_slot(weekdays=[0, 3], at=time(18), tz_name="America/New_York", after=slot)
    assert again == datetime(2026, 3, 9, 22, tzinfo=UTC)  # DST began on 8 March: 18:00 EDT


def test_a_day_with_a_session_logged_moves_the_next_reminder_to_the_next_day_without_one():
    # Mon-Fri 18:00 in London; Tuesday 3 and Wednesday 4 March 2026 already have a session
    tuesday = datetime(2026, 3, 3, 18, tzinfo=UTC)
    shown = dict(
        slot=tuesday, weekdays=0b11111, at=time(18), tz_name="Europe/London", kind="session"
    )
    done = {date(2026, 3, 3), date(2026, 3, 4)}
    thursday = datetime(2026, 3, 5, 18, tzinfo=UTC)
    assert next_sent(**shown, skip_if_done=True, session_days=done) == thursday
    # a reminder that does not skip days done, or the morning check, keeps its slot
    assert next_sent(**shown, skip_if_done=False, session_days=done) == tuesday
    morning = {**shown, "kind": "morning_check"}
    assert next_sent(**morning, skip_if_done=True, session_days=done) == tuesday
    assert next_sent(**shown, skip_if_done=True, session_days=set()) == tuesday


def test_a_time_skipped_by_dst_fires_at_the_first_valid_minute_after():
    # London, Sunday 29 March 2026: 01:00 GMT jumps to 02:00 BST; 01:30 does not exist.
    assert slot_on(datetime(2026, 3, 29).date(), time(1, 30), LONDON) == datetime(
        2026, 3, 29, 1, tzinfo=UTC
    )
    assert slot_on(datetime(2026, 3, 29).date(), time(2, 0), LONDON) == datetime(
        2026, 3, 29, 1, tzinfo=UTC
    )


def test_a_time_that_happens_twice_fires_once():
    # London, Sunday 25 October 2026: 02:00 BST goes back to 01:00 GMT; 01:30 happens twice.
    first = next_slot(
        weekdays=range(7),
        at=time(1, 30),
        tz_name="Europe/London",
        after=datetime(2026, 10, 24, 12, tzinfo=UTC),
    )
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 01:30 BST
    following = next_slot(weekdays=range(7), at=time(1, 30), tz_name="Europe/London", after=first)
    assert following == datetime(2026, 10, 26, 1, 30, tzinfo=UTC)  # not 01:30 GMT the same night


def test_catch_up_sends_a_slot_missed_by_minutes_and_skips_older_ones():
    slot = datetime(2026, 3, 3, 18, tzinfo=UTC)
    assert slot_fate(slot=slot, now=slot - timedelta(seconds=1)) == "wait"
    assert slot_fate(slot=slot, now=slot) == "send"
    assert slot_fate(slot=slot, now=slot + timedelta(minutes=15)) == "send"
    assert slot_fate(slot=slot, now=slot + timedelta(minutes=16)) == "skip"


def content(safety, kind="session"):
    return reminder_content(
        kind=kind, sessions_this_week=2, weekly_target=3, safety=safety, reminder_id=7
    )


def titles(made):
    return [a["title"] for a in made.actions]


def test_a_plain_reminder_counts_the_week_and_offers_log_now():
    made = content(None)
    assert made.body == "2 of 3 sessions this week — 10 minutes of hip work?"
    assert made.opens == "log" and titles(made) == ["Log now", "Snooze 1 h"]


def test_under_a_red_flag_the_reminder_asks_after_the_knee_and_says_see_a_clinician_first():
    made = content("red")
    assert "see a clinician before you exercise again" in made.body
    assert "rest, ease off, or see a clinician" not in made.body
    assert "10 minutes" not in made.body and "sessions this week" not in made.body
    assert made.opens == "checkin"
    assert "Log now" not in titles(made) and {a["action"] for a in made.actions} == {"open"}


def test_under_an_amber_flag_the_reminder_stops_urging():
    made = content("amber")
    assert "10 minutes" not in made.body and "hip work" not in made.body
    assert "Log now" not in titles(made) and made.opens == "checkin"
    assert "knee" in made.title


def test_the_morning_check_asks_how_the_knee_is():
    made = content(None, kind="morning_check")
    assert "knee" in made.title and made.opens == "morning_check"


def test_which_flags_are_red_and_which_amber():
    assert safety_level(["pain_rising", "red_flag"]) == "red"
    assert safety_level(["pain_above_5"]) == "amber"
    assert safety_level(["not_settled"]) == "amber"
    assert safety_level(["pain_rising"]) == "amber"
    assert safety_level([]) is None


ZONES = [
    "Europe/London",
    "America/New_York",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "America/Santiago",
    "Asia/Tehran",
    "UTC",
    "America/St_Johns",
]


@settings(max_examples=300, deadline=None)
@given(
    tz_name=st.sampled_from(ZONES),
    days=st.sets(st.integers(0, 6), min_size=1),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    after=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31)),
)
def test_slots_are_after_on_a_chosen_day_at_the_chosen_time_and_once_a_day(
    tz_name, days, hour, minute, after
):
    tz = ZoneInfo(tz_name)
    after = after.replace(tzinfo=UTC)
    at = time(hour, minute)
    slot = next_slot(weekdays=days, at=at, tz_name=tz_name, after=after)
    following = next_slot(weekdays=days, at=at, tz_name=tz_name, after=slot)
    for s in (slot, following):
        local = s.astimezone(tz)
        assert local.weekday() in days
        wall = datetime.combine(local.date(), at)
        # exactly the chosen time, or the first valid minute after a DST gap
        assert timedelta(0) <= local.replace(tzinfo=None) - wall <= timedelta(hours=1)
    assert after < slot < following
    assert slot.astimezone(tz).date() < following.astimezone(tz).date()  # never twice a day
    assert following - slot <= timedelta(days=7, hours=2)
