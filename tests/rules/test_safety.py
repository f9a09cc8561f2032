"""The pain-monitoring model and red flags: each flag with a hand-made history."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from tracker.rules.progress import CheckInFact, SessionFact, Week
from tracker.rules.safety import (
    not_settled,
    pain_above_5,
    pain_rising,
    red_flag,
    safety_flags,
    set_guidance,
)

UTC_ZONE = ZoneInfo("UTC")
NOW = datetime(2026, 3, 4, 12, tzinfo=UTC)
TODAY = NOW.date()


def weeks_with_means(*means: float | None) -> list[Week]:
    start = date(2026, 1, 5)
    made = [
        Week(start + timedelta(weeks=i), 0, 3, False, m, None, 2, False, True)
        for i, m in enumerate(means)
    ]
    made.append(Week(start + timedelta(weeks=len(means)), 0, 3, False, None, None, 0, False, False))
    return made


def test_pain_rising_two_weeks_in_a_row():
    weeks = weeks_with_means(3.0, 3.5, 4.0)
    flag = pain_rising(weeks)
    assert flag is not None and flag.since == weeks[1].week_start
    assert "Stop if pain increases instead of improving" in flag.message


def test_pain_rising_needs_two_rises_in_a_row_of_a_point_in_all():
    assert pain_rising(weeks_with_means(3.0, 3.1, 3.2)) is None  # a tenth a week is noise
    assert pain_rising(weeks_with_means(3.0, 3.5, 3.9)) is None  # 0.9 in all
    assert pain_rising(weeks_with_means(3.0, 3.4, 4.0)) is not None  # 1.0 in all
    assert pain_rising(weeks_with_means(2.0, None, 3.0, 2.5, 4.5)) is None  # one rise, not two


def test_no_rising_flag_when_pain_falls_or_wobbles():
    assert pain_rising(weeks_with_means(5.0, 4.0, 3.0)) is None
    assert pain_rising(weeks_with_means(3.0, 4.0, 3.5)) is None
    assert pain_rising(weeks_with_means(3.0, None, 4.0)) is None  # a gap is not a rise
    assert pain_rising(weeks_with_means()) is None


def test_pain_above_5_in_the_last_14_days():
    recent = SessionFact(NOW - timedelta(days=10), pain_during=6)
    old = SessionFact(NOW - timedelta(days=20), pain_during=8)
    five = SessionFact(NOW - timedelta(days=2), pain_during=5)
    flag = pain_above_5([recent, old, five], NOW, UTC_ZONE)
    assert flag is not None and flag.since == (NOW - timedelta(days=10)).date()
    assert pain_above_5([old, five], NOW, UTC_ZONE) is None


def test_not_settled_when_next_morning_is_worse_than_the_last_checkin_before():
    session = SessionFact(NOW - timedelta(days=3), pain_next_morning=5)
    usual = CheckInFact((NOW - timedelta(days=4)).date(), 3)
    assert not_settled([session], [usual], NOW, UTC_ZONE) is not None
    calm = SessionFact(NOW - timedelta(days=3), pain_next_morning=3)
    assert not_settled([calm], [usual], NOW, UTC_ZONE) is None
    # a check-in after the session is not "before" it
    later = CheckInFact((NOW - timedelta(days=1)).date(), 1)
    assert not_settled([calm], [usual, later], NOW, UTC_ZONE) is None
    # same day, recorded before the session: counts as usual
    same_day = CheckInFact(
        (NOW - timedelta(days=3)).date(), 2, recorded_at=NOW - timedelta(days=3, hours=2)
    )
    assert not_settled([calm], [same_day], NOW, UTC_ZONE) is not None


def test_red_flag_in_the_last_14_days_says_see_a_clinician():
    checkin = CheckInFact(TODAY - timedelta(days=3), 4, red_flags=("locking", "major_swelling"))
    flag = red_flag([checkin], TODAY)
    assert flag is not None and "see a clinician" in flag.message
    assert "the knee locks" in flag.message and "badly swollen" in flag.message
    assert (
        red_flag([CheckInFact(TODAY - timedelta(days=15), 4, red_flags=("locking",))], TODAY)
        is None
    )


def test_the_red_flag_comes_first():
    flags = safety_flags(
        weeks=weeks_with_means(3.0, 3.5, 4.0),
        sessions=[SessionFact(NOW - timedelta(days=1), pain_during=7)],
        checkins=[CheckInFact(TODAY, 4, red_flags=("cannot_bear_weight",))],
        now=NOW,
        tz=UTC_ZONE,
    )
    assert [f.code for f in flags] == ["red_flag", "pain_rising", "pain_above_5"]


def guide(**kw):
    base = {
        "exercise_name": "Single-leg squat or lunge",
        "easier_slug": "supported-squat",
        "easier_name": "Supported squat",
        "felt_in_knee": False,
        "pain_during": None,
    }
    return set_guidance(**{**base, **kw})


def test_set_guidance():
    assert guide(pain_during=7).action == "stop_today"
    assert guide(pain_during=7, felt_in_knee=True).action == "stop_today"
    easier = guide(felt_in_knee=True, pain_during=5)
    assert (easier.action, easier.easier) == ("easier", "supported-squat")
    assert guide(felt_in_knee=True, pain_during=5, easier_slug=None).action == "fewer_reps"
    assert guide(felt_in_knee=True, pain_during=2).action == "fewer_reps"
    assert guide(pain_during=2).action == "continue"
    assert "Stop if pain increases" in guide(pain_during=6).message


def test_every_red_flag_code_has_its_words_and_nothing_else_does():
    from typing import get_args

    from tracker.rules.vocabulary import RED_FLAGS, RedFlagCode

    assert tuple(RED_FLAGS) == get_args(RedFlagCode)
    assert all(RED_FLAGS.values())
