"""Weekly rows, baseline, change, streak, habit score, milestones and 'does it help', counted by
hand."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.facts import history_of, totals_of
from tracker.rules.progress import (
    CheckInFact,
    SessionFact,
    Week,
    baseline_pain,
    describe_change,
    habit_score,
    helps,
    is_meaningful,
    milestone,
    pain_change_pct,
    round1,
    streak_weeks,
    toward_zero1,
)

MON = date(2026, 1, 5)  # a Monday: week 1 in these examples
NOW = datetime(2026, 3, 4, 12, tzinfo=UTC)  # Wednesday of week 9


def at(day: date, hour: int = 18) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def week(n: int) -> date:
    return MON + timedelta(weeks=n - 1)


def test_baseline_is_week_ones_mean_or_the_first_two_checkins():
    assert (
        baseline_pain(
            totals_of([], [CheckInFact(week(1), 5), CheckInFact(week(1) + timedelta(2), 7)], "UTC"),
            week(1),
        )
        == 6
    )
    # week 1 has one check-in: the first two overall (6 and 4)
    two = [CheckInFact(week(1), 6), CheckInFact(week(3), 4), CheckInFact(week(4), 1)]
    assert baseline_pain(totals_of([], two, "UTC"), week(1)) == 5
    # one good day cannot be a baseline
    assert baseline_pain(totals_of([], [CheckInFact(week(1), 6)], "UTC"), week(1)) is None
    assert baseline_pain(totals_of([], [], "UTC"), None) is None


def test_pain_change_pct_and_rounding():
    assert round1(pain_change_pct(4, 6)) == -33.3
    assert round1(pain_change_pct(7, 5)) == 40.0
    assert pain_change_pct(3, 0) is None and pain_change_pct(None, 5) is None
    assert round1(2.25) == 2.3 and round1(-2.25) == -2.3


@pytest.mark.parametrize(
    ("baseline", "mean", "meaningful"),
    [
        (6, 4, True),  # 2 points
        (3, 2, True),  # 1 point but 33%
        (5, 3.6, False),  # 1.4 points and 28%: only a little better
        (8, 6.5, False),  # 1.5 points, 19%
        (4, 5, False),  # worse
    ],
)
def test_meaningful_needs_2_points_or_30_percent(baseline, mean, meaningful):
    change = mean - baseline
    assert is_meaningful(change, pain_change_pct(mean, baseline)) is meaningful


def test_words_below_the_threshold_never_claim_success():
    small = describe_change(-1.4, -28.0, False)
    assert small.startswith("A little better")
    assert "matter" not in small and "success" not in small.lower()
    assert "enough to matter" in describe_change(-2.5, -40.0, True)
    worse = describe_change(1.5, 25.0, False)
    assert "Stop if pain increases instead of improving" in worse
    assert "cure" not in (small + worse).lower()


def test_weekly_rows_count_sessions_and_average_checkins():
    sessions = [
        SessionFact(at(week(1))),
        SessionFact(at(week(1) + timedelta(2))),
        SessionFact(at(week(2))),
        SessionFact(at(week(2) + timedelta(1))),
        SessionFact(at(week(2) + timedelta(3))),
    ]
    checkins = [
        CheckInFact(week(1), 6),
        CheckInFact(week(1) + timedelta(3), 4),
        CheckInFact(week(2) + timedelta(4), 3),
    ]
    history = history_of(
        sessions=sessions,
        checkins=checkins,
        tz_name="UTC",
        weekly_target=3,
        now=at(week(3) + timedelta(1)),
    )
    rows = [(w.week_start, w.sessions, w.met, w.pain_mean, w.complete) for w in history.weeks]
    assert rows == [
        (week(1), 2, False, 5.0, True),
        (week(2), 3, True, 3.0, True),
        (week(3), 0, False, None, False),  # a week without check-ins: no mean, not zero
    ]
    assert history.baseline == 5.0
    assert round1(history.weeks[1].pain_change_pct) == -40.0
    assert history.weeks[2].pain_change_pct is None


def rows(*spec: tuple[bool, bool], current_met: bool = False) -> list[Week]:
    """(met, rest_week) per completed week, oldest first, then the current week."""
    made = [
        Week(week(i + 1), 3 if met else 1, 3, met, None, None, 0, rest, True)
        for i, (met, rest) in enumerate(spec)
    ]
    n = len(spec) + 1
    made.append(Week(week(n), 3 if current_met else 1, 3, current_met, None, None, 0, False, False))
    return made


def test_streak_counts_completed_weeks_on_target_back_from_last_week():
    met, miss, rest = (True, False), (False, False), (False, True)
    assert (
        streak_weeks(rows(met, miss, met, rest, met)) == 2
    )  # the rest week neither breaks nor adds
    assert streak_weeks(rows(met, met, miss)) == 0
    assert streak_weeks(rows(met, met)) == 2  # an unfinished current week does not break it
    assert streak_weeks(rows(met, met, current_met=True)) == 3  # and adds one once met
    assert streak_weeks(rows(current_met=True)) == 1


def test_a_week_mostly_of_rest_days_is_a_rest_week():
    checkins = [CheckInFact(week(1) + timedelta(d), 5, rest_day=True) for d in range(4)]
    history = history_of(sessions=[], checkins=checkins, tz_name="UTC", weekly_target=3, now=NOW)
    assert history.weeks[0].rest_week
    three = [CheckInFact(week(1) + timedelta(d), 5, rest_day=True) for d in range(3)]
    history = history_of(sessions=[], checkins=three, tz_name="UTC", weekly_target=3, now=NOW)
    assert not history.weeks[0].rest_week


def test_habit_score_loop_example_one_session_a_week():
    # Target 1 a week: m = 0.5 ** (sqrt(1/7) / 13) = 0.98005. One session fills the 7-day
    # window, so that day's value is 1 and the score is 1 - m = 2.0%; the next day, still
    # inside the window, 1 - m**2 = 4.0%.
    day = date(2026, 1, 5)
    one = habit_score(
        session_days=Counter([day]), rest_days=[], weekly_target=1, first_day=day, today=day
    )
    assert round1(one) == 2.0
    next_day = habit_score(
        session_days=Counter([day]),
        rest_days=[],
        weekly_target=1,
        first_day=day,
        today=day + timedelta(1),
    )
    assert round1(next_day) == 4.0
    # Target 7 (daily): one session is 1/7 of the window's target.
    daily = habit_score(
        session_days=Counter([day]), rest_days=[], weekly_target=7, first_day=day, today=day
    )
    assert round1(daily) == round1((1 - 0.5 ** (1 / 13)) / 7 * 100)


def test_habit_score_rises_with_sessions_freezes_on_rest_days_and_decays_when_missed():
    start = date(2026, 1, 5)
    on_target = [start + timedelta(d) for d in range(0, 42) if d % 7 in (0, 2, 4)]
    peak = habit_score(
        session_days=Counter(on_target),
        rest_days=[],
        weekly_target=3,
        first_day=start,
        today=start + timedelta(41),
    )
    assert 75 < peak < 100
    later = start + timedelta(41 + 35)
    lapsed = habit_score(
        session_days=Counter(on_target), rest_days=[], weekly_target=3, first_day=start, today=later
    )
    resting = [start + timedelta(41 + d) for d in range(1, 36)]
    frozen = habit_score(
        session_days=Counter(on_target),
        rest_days=resting,
        weekly_target=3,
        first_day=start,
        today=later,
    )
    assert lapsed < peak / 2
    assert frozen == pytest.approx(peak)
    assert (
        habit_score(session_days={}, rest_days=[], weekly_target=3, first_day=None, today=start)
        == 0
    )


def history_with_weekly_means(means: list[float | None], *, now: datetime = NOW):
    checkins = []
    for i, mean in enumerate(means):
        if mean is not None:  # two check-ins per week averaging to ``mean``
            checkins += [
                CheckInFact(week(i + 1), int(mean)),
                CheckInFact(week(i + 1) + timedelta(2), int(mean * 2) - int(mean)),
            ]
    return history_of(sessions=[], checkins=checkins, tz_name="UTC", weekly_target=3, now=now)


def test_milestones_at_weeks_4_and_8():
    history = history_with_weekly_means([6, 6, 5, 4, None, 3.5, 3, 3])
    m4 = milestone(history, 4)
    assert (m4.week_start, m4.pain_mean, m4.change_points) == (week(4), 4.0, -2.0)
    assert round1(m4.pain_change_pct) == -33.3 and m4.meaningful
    m8 = milestone(history, 8)
    assert m8.pain_mean == 3.0 and m8.meaningful
    small = history_with_weekly_means([6, 6, 5, 5])
    m4 = milestone(small, 4)
    assert not m4.meaningful and m4.message.startswith("A little better")
    # null until that week has check-ins
    assert milestone(history_with_weekly_means([6, 6, 5, None]), 4) is None
    assert milestone(history_with_weekly_means([6, 6]), 8) is None


def test_helps_makes_no_claim_with_too_few_weeks():
    few = history_of(
        sessions=[SessionFact(at(week(1)))],
        checkins=[CheckInFact(week(2), 3)],
        tz_name="UTC",
        weekly_target=1,
        now=at(week(4)),
    )
    answer = helps(few.weeks)
    assert not answer.enough_data and answer.difference is None


def test_helps_compares_the_week_after_on_target_weeks_with_the_week_after_missed_ones():
    # weeks 1-8: on target in odd weeks; pain the week after: lower after on-target weeks
    sessions = [SessionFact(at(week(n) + timedelta(d))) for n in (1, 3, 5, 7) for d in range(3)]
    checkins = [CheckInFact(week(n), 3 if n % 2 == 0 else 6) for n in range(2, 10)]
    history = history_of(
        sessions=sessions, checkins=checkins, tz_name="UTC", weekly_target=3, now=at(week(10))
    )
    answer = helps(history.weeks)
    assert answer.enough_data
    assert answer.after_on_target == {"pain_mean": 3.0, "weeks": 4}
    assert answer.after_below_target == {"pain_mean": 6.0, "weeks": 4}
    assert answer.difference == -3.0
    assert "not proof" in answer.message


def test_a_long_history_counts_every_week_in_the_streak_and_in_does_it_help():
    # on target every week of two years, pain alternating: nothing is left out in the middle
    sessions = [SessionFact(at(week(n) + timedelta(d))) for n in range(1, 105) for d in range(3)]
    checkins = [CheckInFact(week(n) + timedelta(1), 4 if n % 2 else 2) for n in range(1, 105)]
    history = history_of(
        sessions=sessions, checkins=checkins, tz_name="UTC", weekly_target=3, now=at(week(105))
    )
    assert [w.week_start for w in history.weeks] == [week(n) for n in range(1, 106)]
    assert streak_weeks(history.weeks) == 104
    answer = helps(history.weeks)
    assert answer.after_on_target["weeks"] == 103  # every "week after" pair: 1->2 ... 103->104


def test_a_fall_of_1_95_is_not_meaningful_and_never_reads_as_2_points():
    baseline, mean = 7.0, 5.05  # 1.95 points, 27.9%
    change, pct = mean - baseline, pain_change_pct(mean, baseline)
    assert not is_meaningful(change, pct)
    words = describe_change(change, pct, False)
    assert "1.9 points lower" in words and "2 points lower" not in words


def test_thirty_percent_of_a_low_first_week_is_about_the_same():
    change, pct = 0.67 - 1.0, pain_change_pct(0.67, 1.0)  # 33%, but a third of a point
    assert not is_meaningful(change, pct)
    assert describe_change(change, pct, False).startswith("About the same")
    assert "enough to matter" not in describe_change(change, pct, False)
    assert is_meaningful(2.0 - 3.0, pain_change_pct(2.0, 3.0))  # 33% and a whole point


@pytest.mark.parametrize("rise", [0.1, 0.5, 0.99])
def test_a_rise_under_a_point_is_about_the_same_never_an_alarm(rise):
    words = describe_change(rise, pain_change_pct(4 + rise, 4), False)
    assert words.startswith("About the same") and "higher" not in words


def test_a_rise_of_a_point_or_more_is_named():
    assert "1 point higher" in describe_change(1.0, 25.0, False)


def weeks_alternating(after_on: float, after_below: float, pairs: int) -> list[Week]:
    """On target and below in turn, each followed by a week whose pain is given."""
    made = []
    for i in range(pairs * 2):
        met = i % 2 == 0
        following_pain = after_below if met else after_on  # the pain of week i is after week i-1
        made.append(
            Week(week(i + 1), 3 if met else 1, 3, met, following_pain, None, 1, False, True)
        )
    return made


def test_helps_names_no_difference_under_a_point():
    answer = helps(weeks_alternating(after_on=5.0, after_below=5.2, pairs=5))
    assert answer.enough_data
    assert "no clear difference yet" in answer.message and "not proof" in answer.message
    assert "higher" not in answer.message and "lower" not in answer.message


def test_helps_needs_three_weeks_on_each_side():
    answer = helps(weeks_alternating(after_on=2.0, after_below=5.0, pairs=3))
    assert not answer.enough_data  # 3 + 2 "weeks after" pairs: only two after a week below
    answer = helps(weeks_alternating(after_on=2.0, after_below=5.0, pairs=4))
    assert answer.enough_data and "lower after weeks on target" in answer.message


def test_a_change_and_its_share_read_toward_zero_in_the_words_and_the_figure():
    """58.6% less is "58% less" (as the pages write percentages), and a fall of 2.66 points is
    2.6 both in the words and in the milestone's figure the report prints."""
    words = describe_change(-2.66, -58.6, True)
    assert "2.6 points lower" in words and "(58% less)" in words
    assert toward_zero1(-2.66) == -2.6 and toward_zero1(1.95) == 1.9 and toward_zero1(None) is None


def test_helps_says_how_many_weeks_it_has_and_needs_before_it_compares():
    """A bare "not enough weeks" reads as a fault for someone with months of data: it says what
    it has on each side, and what it needs."""
    answer = helps(weeks_alternating(after_on=2.0, after_below=5.0, pairs=3))
    assert "3 on target and 2 below it" in answer.message
    assert "needs 3 of each" in answer.message


def test_under_a_red_flag_a_meaningful_fall_is_stated_without_keep_going():
    held = describe_change(-2.5, -50.0, True, on_hold=True)
    assert "a change big enough to matter." in held and "Keep going" not in held
    assert "Keep going" in describe_change(-2.5, -50.0, True)
