"""The pain-monitoring model and red flags: each flag with a hand-made history."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from tracker.rules.progress import CheckInFact, SessionFact, Week
from tracker.rules.safety import (
    KNEE_TRACKING_CUE,
    Clearance,
    not_settled,
    pain_above_5,
    pain_rising,
    red_flag,
    safety_flags,
    session_pain_answer,
    set_guidance,
    usual_pain,
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
    assert flag.message.lower().count("ease off") == 1


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


def days_ago(n: int, pain: int, **kw) -> CheckInFact:
    return CheckInFact((NOW - timedelta(days=n)).date(), pain, **kw)


def test_not_settled_compares_the_next_morning_with_the_usual_level_not_one_worst_day():
    session = SessionFact(NOW - timedelta(days=3), pain_next_morning=4)
    # usual: the median of the 14 days before the session (2, 3, 2, 7 -> 2.5), not the bad day
    # of 7 just before it, which would hide a morning of 4
    before = [days_ago(9, 2), days_ago(7, 3), days_ago(6, 2), days_ago(4, 7)]
    assert usual_pain(session.started_at, before, UTC_ZONE) == 2.5
    assert not_settled([session], before, NOW, UTC_ZONE) is not None
    calm = SessionFact(NOW - timedelta(days=3), pain_next_morning=2)
    assert not_settled([calm], before, NOW, UTC_ZONE) is None
    # check-ins after the session and older than 14 days before it are not its usual
    others = [days_ago(1, 0), days_ago(2, 0), days_ago(20, 9)]
    assert usual_pain(session.started_at, before + others, UTC_ZONE) == 2.5


def test_a_pain_answer_given_before_the_session_that_day_is_the_usual_level():
    session = SessionFact(NOW - timedelta(days=3), pain_next_morning=3)
    before = [days_ago(5, 5), days_ago(4, 5)]
    assert not_settled([session], before, NOW, UTC_ZONE) is None  # usual 5
    that_morning = days_ago(3, 2, recorded_at=NOW - timedelta(days=3, hours=2))
    assert usual_pain(session.started_at, [*before, that_morning], UTC_ZONE) == 2
    assert not_settled([session], [*before, that_morning], NOW, UTC_ZONE) is not None
    after_it = days_ago(3, 1, recorded_at=NOW - timedelta(days=3) + timedelta(hours=2))
    assert usual_pain(session.started_at, [*before, after_it], UTC_ZONE) == 5


def test_with_nothing_to_compare_the_morning_raises_no_flag_and_usual_is_unknown():
    session = SessionFact(NOW - timedelta(days=3), pain_next_morning=6)
    assert usual_pain(session.started_at, [], UTC_ZONE) is None
    assert not_settled([session], [], NOW, UTC_ZONE) is None


def test_amber_messages_say_one_thing_once():
    sore = pain_above_5([SessionFact(NOW - timedelta(days=1), pain_during=7)], NOW, UTC_ZONE)
    session = SessionFact(NOW - timedelta(days=3), pain_next_morning=5)
    unsettled = not_settled([session], [days_ago(5, 2)], NOW, UTC_ZONE)
    rising = pain_rising(weeks_with_means(3.0, 3.5, 4.0))
    for flag in (sore, unsettled, rising):
        assert flag is not None
        assert flag.message.lower().count("ease off") == 1, flag.message
        assert flag.message.count("Stop if") <= 1, flag.message
    assert sore is not None and "Next session, ease off" in sore.message


def test_a_red_flag_says_see_a_clinician_and_stops_the_plan():
    checkin = days_ago(3, 4, red_flags=("locking", "major_swelling"))
    flag = red_flag([checkin], TODAY)
    assert flag is not None and "see a clinician first" in flag.message
    assert "the knee locks" in flag.message and "badly swollen" in flag.message
    assert "Has a clinician seen your knee?" not in flag.message  # not before day 14


def test_a_red_flag_over_14_days_old_stays_up_and_asks_whether_a_clinician_has_seen_the_knee():
    checkin = days_ago(20, 4, red_flags=("locking",))
    flag = red_flag([checkin], TODAY)
    assert flag is not None and flag.since == checkin.day
    assert "Has a clinician seen your knee?" in flag.message
    assert "the knee locks" in flag.message
    # day 14 exactly asks too; day 13 does not yet
    assert "Has a clinician" in red_flag([days_ago(14, 4, red_flags=("locking",))], TODAY).message
    assert (
        "Has a clinician" not in red_flag([days_ago(13, 4, red_flags=("locking",))], TODAY).message
    )


def test_the_confirmation_that_a_clinician_has_seen_the_knee_clears_the_red_flags_before_it():
    old = days_ago(20, 4, red_flags=("locking",))
    seen = Clearance(NOW - timedelta(days=2), (NOW - timedelta(days=2)).date())
    assert red_flag([old], TODAY, seen) is None
    # a red flag reported after the confirmation raises it again, dated from then
    again = days_ago(1, 5, red_flags=("giving_way_fall",))
    flag = red_flag([old, again], TODAY, seen)
    assert flag is not None and flag.since == again.day
    assert "gives way" in flag.message and "locks" not in flag.message
    # the same day: a check-in last saved after the confirmation raises it, one before does not
    day = seen.day
    earlier = CheckInFact(
        day, 4, red_flags=("locking",), updated_at=seen.seen_at - timedelta(hours=1)
    )
    later = CheckInFact(
        day, 4, red_flags=("locking",), updated_at=seen.seen_at + timedelta(hours=1)
    )
    assert red_flag([earlier], TODAY, seen) is None
    assert red_flag([later], TODAY, seen) is not None
    # the flags are read with the confirmation too
    assert (
        safety_flags(weeks=[], sessions=[], checkins=[old], now=NOW, tz=UTC_ZONE, clearance=seen)
        == []
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
    assert (
        guide(pain_during=6).message
        == "Pain above 5 is too much: stop Single-leg squat or lunge for today."
    )


def test_the_squat_cue_only_on_squats_lunges_and_hinges():
    squat = guide(felt_in_knee=True, pain_during=2, form_cue=True)
    assert KNEE_TRACKING_CUE in squat.message
    bridge = guide(exercise_name="Glute bridge", felt_in_knee=True, pain_during=2)
    assert "2nd–3rd toe" not in bridge.message and "hips drive back" not in bridge.message
    clam = guide(exercise_name="Clamshell", felt_in_knee=True, pain_during=5, easier_slug=None)
    assert "2nd–3rd toe" not in clam.message


def test_the_library_gives_the_squat_cue_to_squats_lunges_and_hinges_only():
    from tracker.library import EXERCISES

    cued = {e["slug"] for e in EXERCISES if KNEE_TRACKING_CUE in e["cues"]}
    assert cued == {
        "supported-squat",
        "single-leg-squat",
        "lateral-lunge",
        "single-leg-rdl",
        "kickstand-rdl",
    }


def test_the_session_pain_answer_speaks_of_next_time():
    high = session_pain_answer(7)
    assert high.startswith("Pain above 5") and "Next session, ease off" in high
    assert "for today" not in high and "stop" not in high.lower()
    assert "acceptable" in session_pain_answer(4)
    assert "safe" in session_pain_answer(2)


def test_every_red_flag_code_has_its_words_and_nothing_else_does():
    from typing import get_args

    from tracker.rules.vocabulary import RED_FLAGS, RedFlagCode

    assert tuple(RED_FLAGS) == get_args(RedFlagCode)
    assert all(RED_FLAGS.values())


def test_several_amber_flags_say_ease_off_once_and_none_under_a_red_flag():
    sessions = [
        SessionFact(NOW - timedelta(days=1), pain_during=7),
        SessionFact(NOW - timedelta(days=3), pain_next_morning=6),
    ]
    checkins = [days_ago(6, 2), days_ago(5, 2)]
    weeks = weeks_with_means(3.0, 3.5, 4.5)
    flags = safety_flags(weeks=weeks, sessions=sessions, checkins=checkins, now=NOW, tz=UTC_ZONE)
    assert [f.code for f in flags] == ["pain_rising", "pain_above_5", "not_settled"]
    words = " ".join(f.message for f in flags)
    assert words.lower().count("ease off") == 1 and words.count("Stop if") == 1
    assert "went above 5" in flags[1].message and "not settled" in flags[2].message
    red = [*checkins, days_ago(1, 5, red_flags=("locking",))]
    flags = safety_flags(weeks=weeks, sessions=sessions, checkins=red, now=NOW, tz=UTC_ZONE)
    assert flags[0].code == "red_flag"
    words = " ".join(f.message for f in flags)
    assert "ease off" not in words.lower() and "see a clinician first" in words


def test_pain_above_5_is_lifted_by_two_easy_sessions_after_it():
    """Easing off worked: two later sessions at 3 or below lift the flag; one, or one at 4, does
    not, and a later session above 5 raises it again."""
    hurt = SessionFact(NOW - timedelta(days=6), pain_during=6)
    easy = [SessionFact(NOW - timedelta(days=d), pain_during=p) for d, p in ((4, 2), (2, 3))]
    assert pain_above_5([hurt, easy[0]], NOW, UTC_ZONE) is not None
    assert pain_above_5([hurt, easy[0], SessionFact(NOW - timedelta(days=2), pain_during=4)],
                        NOW, UTC_ZONE) is not None  # fmt: skip
    assert pain_above_5([hurt, *easy], NOW, UTC_ZONE) is None
    again = SessionFact(NOW - timedelta(days=1), pain_during=7)
    assert pain_above_5([hurt, *easy, again], NOW, UTC_ZONE) is not None
