"""Progress, hold or ease off, per exercise."""

from datetime import UTC, datetime, timedelta

from tracker.rules.progression import (
    ExerciseInfo,
    LoggedSession,
    SetFact,
    at_top_of_dose,
    suggest,
)

NOW = datetime(2026, 3, 4, 12, tzinfo=UTC)
LIBRARY = {
    "glute-bridge": ExerciseInfo(
        "glute-bridge", "Glute bridge", "strength", "reps", None, "single-leg-bridge"
    ),
    "single-leg-bridge": ExerciseInfo(
        "single-leg-bridge", "Single-leg glute bridge", "strength", "reps", "glute-bridge", None
    ),
    "clamshell": ExerciseInfo("clamshell", "Clamshell", "strength", "reps", None, None),
    "lateral-band-walk": ExerciseInfo(
        "lateral-band-walk", "Lateral band walk", "strength", "steps", None, None
    ),
    "hip-flexor-stretch": ExerciseInfo(
        "hip-flexor-stretch", "Hip-flexor stretch", "mobility", "seconds", None, None
    ),
}


def session(days_ago: int, pain: int | None, *sets: SetFact) -> LoggedSession:
    return LoggedSession(NOW - timedelta(days=days_ago), pain, sets)


def three(exercise: str, reps: int, side: str = "both", band: str | None = None) -> list[SetFact]:
    return [SetFact(exercise, side, reps=reps, band=band)] * 3


def test_top_of_dose_is_3x12_on_every_side_worked():
    assert at_top_of_dose(three("clamshell", 12, "left") + three("clamshell", 12, "right"), "reps")
    assert not at_top_of_dose(
        three("clamshell", 12, "left") + three("clamshell", 12, "right")[:2], "reps"
    )
    assert at_top_of_dose(three("glute-bridge", 12), "reps")
    assert not at_top_of_dose(three("glute-bridge", 11), "reps")
    assert at_top_of_dose(three("lateral-band-walk", 20), "steps")
    assert not at_top_of_dose(three("lateral-band-walk", 12), "steps")


def test_two_easy_sessions_at_the_top_progress_to_the_harder_variant():
    sessions = [
        session(1, 2, *three("glute-bridge", 12)),
        session(3, 3, *three("glute-bridge", 12)),
    ]
    [s] = suggest(sessions=sessions, library=LIBRARY, flag_codes=[])
    assert (s.action, s.to_exercise) == ("progress", "single-leg-bridge")


def test_without_a_harder_variant_progress_to_the_next_band():
    sets = three("clamshell", 12, "left", "red") + three("clamshell", 12, "right", "red")
    [s] = suggest(
        sessions=[session(1, 1, *sets), session(4, 2, *sets)], library=LIBRARY, flag_codes=[]
    )
    assert (s.action, s.to_band) == ("progress", "green")


def test_hold_when_pain_was_above_3_or_only_one_session_or_not_at_the_top():
    top = three("glute-bridge", 12)
    for sessions in (
        [session(1, 4, *top), session(3, 2, *top)],
        [session(1, None, *top), session(3, 2, *top)],
        [session(1, 2, *top)],
        [session(1, 2, *top), session(3, 2, *three("glute-bridge", 10))],
    ):
        [s] = suggest(sessions=sessions, library=LIBRARY, flag_codes=[])
        assert s.action == "hold"


def test_a_flag_eases_off_and_a_red_flag_stops_everything():
    sessions = [
        session(1, 2, *three("single-leg-bridge", 12), *three("clamshell", 12)),
        session(3, 2, *three("single-leg-bridge", 12), *three("clamshell", 12)),
    ]
    eased = {
        s.exercise: s
        for s in suggest(sessions=sessions, library=LIBRARY, flag_codes=["pain_above_5"])
    }
    assert eased["single-leg-bridge"].action == "ease_off"
    assert eased["single-leg-bridge"].to_exercise == "glute-bridge"
    assert eased["clamshell"].action == "ease_off"
    stopped = suggest(sessions=sessions, library=LIBRARY, flag_codes=["red_flag", "pain_rising"])
    assert {s.action for s in stopped} == {"stop"}


def test_stretches_hold():
    sets = [SetFact("hip-flexor-stretch", "left", seconds=30)] * 3
    [s] = suggest(
        sessions=[session(1, 0, *sets), session(2, 0, *sets)], library=LIBRARY, flag_codes=[]
    )
    assert s.action == "hold"


def test_easing_off_names_each_exercise_instead_of_repeating_ease_off():
    from tracker.rules.progression import ExerciseInfo, LoggedSession, SetFact, suggest

    library = {
        "glute-bridge": ExerciseInfo("glute-bridge", "Glute bridge", "strength", "reps"),
        "clamshell": ExerciseInfo("clamshell", "Clamshell", "strength", "reps"),
    }
    session = LoggedSession(
        datetime(2026, 3, 2, 18, tzinfo=UTC),
        6,
        (SetFact("glute-bridge", "both", 10), SetFact("clamshell", "left", 12)),
    )
    messages = [
        s.message for s in suggest(sessions=[session], library=library, flag_codes=["pain_above_5"])
    ]
    assert len(set(messages)) == 2 and not any("Ease off" in m for m in messages)
    assert messages[0].startswith("Glute bridge") or messages[1].startswith("Glute bridge")
    stops = suggest(sessions=[session], library=library, flag_codes=["red_flag"])
    assert {s.action for s in stops} == {"stop"} and len({s.message for s in stops}) == 2
