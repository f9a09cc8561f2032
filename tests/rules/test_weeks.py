"""What "a week" is: the ISO week in the user's zone, whatever UTC says, DST included."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from tests.facts import history_of
from tracker.rules.progress import SessionFact
from tracker.rules.weeks import local_date, week_number, week_start, weeks_from

LONDON = ZoneInfo("Europe/London")
LA = ZoneInfo("America/Los_Angeles")


def test_week_starts_on_monday():
    assert week_start(date(2026, 3, 1)) == date(2026, 2, 23)  # a Sunday
    assert week_start(date(2026, 3, 2)) == date(2026, 3, 2)  # a Monday


def test_a_sunday_night_session_belongs_to_that_sundays_week_whatever_utc_says():
    # 23:30 on Sunday 1 March in Los Angeles is 07:30 on Monday 2 March in UTC.
    sunday_night = datetime(2026, 3, 1, 23, 30, tzinfo=LA)
    assert sunday_night.astimezone(UTC).date() == date(2026, 3, 2)
    assert week_start(local_date(sunday_night, LA)) == date(2026, 2, 23)


def test_the_week_of_a_dst_change_counts_every_session_once():
    # Clocks go forward in London on Sunday 29 March 2026: that week is 167 hours long.
    sessions = [
        SessionFact(datetime(2026, 3, 23, 0, 15, tzinfo=LONDON)),  # Monday, just after midnight
        SessionFact(datetime(2026, 3, 29, 23, 30, tzinfo=LONDON)),  # Sunday night, now BST
        SessionFact(datetime(2026, 3, 30, 0, 30, tzinfo=LONDON)),  # Monday: 23:30 UTC Sunday
    ]
    history = history_of(
        sessions=sessions,
        checkins=[],
        tz_name="Europe/London",
        weekly_target=3,
        now=datetime(2026, 4, 1, 12, tzinfo=UTC),
    )
    counts = {w.week_start: w.sessions for w in history.weeks}
    assert counts == {date(2026, 3, 23): 2, date(2026, 3, 30): 1}


def test_weeks_from_and_week_numbers():
    weeks = weeks_from(date(2026, 1, 7), date(2026, 1, 27))
    assert weeks == [date(2026, 1, 5), date(2026, 1, 12), date(2026, 1, 19), date(2026, 1, 26)]
    assert week_number(date(2026, 1, 26), date(2026, 1, 5)) == 4
