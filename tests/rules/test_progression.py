"""Progress, hold or ease off, per exercise."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from tracker.library import EXERCISES
from tracker.rules.progression import (
    TOP_SETS,
    ExerciseInfo,
    LoggedSession,
    PlannedDose,
    SetFact,
    at_dose,
    band_advice,
    suggest,
    top_of,
)
from tracker.rules.safety import set_guidance

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


def at_top_of_dose(sets, unit):
    return at_dose(sets, sets_needed=TOP_SETS, reps_needed=top_of(unit))


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


# --- reps before load, against the routine the user follows ----------------------------------
BRIDGE_3X10 = {"glute-bridge": PlannedDose(3, 10)}


def test_two_easy_sessions_at_the_routines_dose_add_2_reps():
    sessions = [
        session(1, 2, *three("glute-bridge", 10)),
        session(3, 3, *three("glute-bridge", 10)),
    ]
    [s] = suggest(sessions=sessions, library=LIBRARY, flag_codes=[], plan=BRIDGE_3X10)
    assert (s.action, s.to_sets, s.to_target, s.to_exercise) == ("progress", 3, 12, None)
    assert s.message.startswith("Glute bridge:") and "3×12" in s.message


def test_reps_stop_at_12_then_a_set_is_added_up_to_3x12():
    plan = {"glute-bridge": PlannedDose(3, 11)}
    sessions = [
        session(1, 2, *three("glute-bridge", 11)),
        session(3, 2, *three("glute-bridge", 11)),
    ]
    [s] = suggest(sessions=sessions, library=LIBRARY, flag_codes=[], plan=plan)
    assert (s.to_sets, s.to_target) == (3, 12)  # 11 + 2 is capped at 12
    two_sets = [SetFact("glute-bridge", "both", reps=12)] * 2
    plan = {"glute-bridge": PlannedDose(2, 12)}
    [s] = suggest(
        sessions=[session(1, 2, *two_sets), session(3, 2, *two_sets)],
        library=LIBRARY,
        flag_codes=[],
        plan=plan,
    )
    assert (s.action, s.to_sets, s.to_target) == ("progress", 3, 12)
    assert "one more set" in s.message


def test_below_the_routines_dose_or_with_pain_above_3_the_dose_holds_and_says_what_comes_next():
    for sessions in (
        [session(1, 2, *three("glute-bridge", 10)), session(3, 4, *three("glute-bridge", 10))],
        [session(1, 2, *three("glute-bridge", 10)), session(3, 2, *three("glute-bridge", 9))],
        [session(1, 2, *three("glute-bridge", 10))],
    ):
        [s] = suggest(sessions=sessions, library=LIBRARY, flag_codes=[], plan=BRIDGE_3X10)
        assert s.action == "hold" and s.to_target is None
        assert s.message.startswith("Glute bridge: keep 3×10") and "add 2 reps" in s.message


def test_at_3x12_the_harder_variant_comes_even_when_the_routine_says_less():
    top = three("glute-bridge", 12)
    [s] = suggest(
        sessions=[session(1, 2, *top), session(3, 2, *top)],
        library=LIBRARY,
        flag_codes=[],
        plan=BRIDGE_3X10,
    )
    assert (s.action, s.to_exercise, s.to_target) == ("progress", "single-leg-bridge", None)
    assert (
        s.message
        == "Glute bridge: 3×12 is easy. Ready for more: try Single-leg glute bridge instead."
    )


def test_steps_progress_by_2_up_to_20_then_a_set():
    plan = {"lateral-band-walk": PlannedDose(2, 16)}
    walk = [SetFact("lateral-band-walk", "both", reps=16)] * 2
    [s] = suggest(
        sessions=[session(1, 1, *walk), session(2, 1, *walk)],
        library=LIBRARY,
        flag_codes=[],
        plan=plan,
    )
    assert (s.to_sets, s.to_target) == (2, 18) and "2 more steps" in s.message


def test_at_3x12_without_a_variant_the_next_band_is_named_and_a_planned_band_is_not_repeated():
    sets = three("clamshell", 12, "left", "red") + three("clamshell", 12, "right", "red")
    sessions = [session(1, 1, *sets), session(4, 2, *sets)]
    [s] = suggest(
        sessions=sessions, library=LIBRARY, flag_codes=[], plan={"clamshell": PlannedDose(3, 12)}
    )
    assert (s.action, s.to_band) == ("progress", "green")
    assert s.message == "Clamshell: 3×12 is easy. Ready for more: move up to the green band."
    [s] = suggest(
        sessions=sessions,
        library=LIBRARY,
        flag_codes=[],
        plan={"clamshell": PlannedDose(3, 12, band="green")},
    )
    assert (s.action, s.to_band) == ("hold", None) and "green band" in s.message


def test_without_any_band_the_lightest_band_is_named_and_with_load_the_kilograms():
    bare = three("clamshell", 12)
    [s] = suggest(
        sessions=[session(1, 1, *bare), session(2, 1, *bare)], library=LIBRARY, flag_codes=[]
    )
    assert s.to_band == "yellow" and "Clamshell" in s.message and "yellow band" in s.message
    loaded = [SetFact("clamshell", "both", reps=12, load_kg=10.0)] * 3
    [s] = suggest(
        sessions=[session(1, 1, *loaded), session(2, 1, *loaded)], library=LIBRARY, flag_codes=[]
    )
    assert s.to_band is None and s.message.startswith("Clamshell:")
    assert "10 kg to 10.2–11.0 kg" in s.message
    black = three("clamshell", 12, band="black")
    [s] = suggest(
        sessions=[session(1, 1, *black), session(2, 1, *black)], library=LIBRARY, flag_codes=[]
    )
    assert s.to_band is None and "heaviest band" in s.message and "2–10% more load" in s.message


def test_every_suggestion_names_its_exercise_once():
    sessions = [
        session(d, 2, *three("glute-bridge", 10), *three("clamshell", 12, "left"),
                SetFact("hip-flexor-stretch", "left", seconds=30))
        for d in (1, 2, 4)
    ]  # fmt: skip
    for flags in ([], ["pain_above_5"], ["red_flag"]):
        found = suggest(sessions=sessions, library=LIBRARY, flag_codes=flags)
        assert sorted(s.exercise for s in found) == [
            "clamshell",
            "glute-bridge",
            "hip-flexor-stretch",
        ]
        for s in found:
            assert s.message.startswith(LIBRARY[s.exercise].name + ":"), s.message


def test_with_a_routine_only_its_main_exercises_get_advice():
    sessions = [
        session(d, 2, *three("glute-bridge", 12), *three("clamshell", 12, "left")) for d in (1, 2)
    ]
    found = suggest(
        sessions=sessions, library=LIBRARY, flag_codes=[], plan={"clamshell": PlannedDose(3, 12)}
    )
    assert [s.exercise for s in found] == ["clamshell"]


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


def test_after_a_clinicians_go_ahead_only_sessions_since_count_toward_more():
    """Back from a red flag, the person starts again at their dose: two easy sessions before the
    go-ahead do not suggest more; two after it do."""
    plan = {"glute-bridge": PlannedDose(3, 10)}
    before = [session(9, 2, *three("glute-bridge", 10)), session(7, 1, *three("glute-bridge", 10))]
    cleared = NOW - timedelta(days=5)
    [s] = suggest(sessions=before, library=LIBRARY, flag_codes=[], plan=plan, counts_from=cleared)
    assert s.action == "hold" and s.to_target is None
    assert "keep 3×10" in s.message
    one_since = [session(2, 1, *three("glute-bridge", 10)), *before]
    [s] = suggest(
        sessions=one_since, library=LIBRARY, flag_codes=[], plan=plan, counts_from=cleared
    )
    assert s.action == "hold"
    two_since = [session(1, 2, *three("glute-bridge", 10)), *one_since]
    [s] = suggest(
        sessions=two_since, library=LIBRARY, flag_codes=[], plan=plan, counts_from=cleared
    )
    assert (s.action, s.to_target) == ("progress", 12)
    # without the go-ahead the same sessions before it would have suggested more
    [s] = suggest(sessions=before, library=LIBRARY, flag_codes=[], plan=plan)
    assert s.action == "progress"


def test_easing_off_names_a_band_or_load_only_when_one_was_used():
    flags = ["pain_above_5"]
    bare = session(1, 6, *three("clamshell", 12, "left"))
    [s] = suggest(sessions=[bare], library=LIBRARY, flag_codes=flags)
    assert s.message == "Clamshell: fewer sets or fewer reps for now."
    banded = session(1, 6, *three("clamshell", 12, "left", "red"))
    [s] = suggest(sessions=[banded], library=LIBRARY, flag_codes=flags)
    assert "lighter band" in s.message
    loaded = session(1, 6, SetFact("clamshell", "left", reps=10, load_kg=4.0))
    [s] = suggest(sessions=[loaded], library=LIBRARY, flag_codes=flags)
    assert "less load" in s.message and "band" not in s.message
    walk = session(1, 6, *three("lateral-band-walk", 20))
    [s] = suggest(sessions=[walk], library=LIBRARY, flag_codes=flags)
    assert s.message == "Lateral band walk: fewer sets or fewer steps for now."


def test_easing_off_never_switches_to_an_exercise_the_routine_already_holds():
    flags = ["pain_above_5"]
    hard = session(1, 6, *three("single-leg-bridge", 8))
    [s] = suggest(sessions=[hard], library=LIBRARY, flag_codes=flags)
    assert (s.to_exercise, s.message) == (
        "glute-bridge",
        "Single-leg glute bridge: switch to Glute bridge for now, or do fewer sets.",
    )
    plan = {"single-leg-bridge": PlannedDose(3, 8), "glute-bridge": PlannedDose(3, 10)}
    [s] = suggest(sessions=[hard], library=LIBRARY, flag_codes=flags, plan=plan)
    assert s.to_exercise is None
    assert s.message == "Single-leg glute bridge: fewer sets or fewer reps for now."


def test_a_harder_variant_the_routine_already_holds_is_not_offered_in_its_place():
    sessions = [
        session(1, 2, *three("glute-bridge", 12)),
        session(3, 3, *three("glute-bridge", 12)),
    ]
    plan = {"glute-bridge": PlannedDose(3, 12), "single-leg-bridge": PlannedDose(3, 8)}
    [s] = suggest(sessions=sessions, library=LIBRARY, flag_codes=[], plan=plan)
    assert s.to_exercise is None and s.action == "progress"
    assert s.to_band == "yellow" and "Single-leg" not in s.message


def _advice_for(exercise: dict[str, Any]) -> list[str]:
    """Every piece of advice the rules give for one library exercise: its band advice, the
    answer to a set felt in the knee or rated, and its suggestions below, at and above its dose,
    with a band, with load, at the heaviest band, easing off."""
    library = {
        e["slug"]: ExerciseInfo(
            e["slug"], e["name"], e["category"], e["unit"], e["easier"], e["harder"]
        )
        for e in EXERCISES
    }
    alone = {exercise["slug"]: library[exercise["slug"]]}  # no variant to progress to
    slug, unit, top = exercise["slug"], exercise["unit"], top_of(exercise["unit"])
    field = "seconds" if unit == "seconds" else "reps"

    def sets(amount: int, **more: Any) -> list[SetFact]:
        return [SetFact(slug, "both", **{field: amount}, **more)] * TOP_SETS

    texts = [band_advice(unit=unit, starting_band=exercise["starting_band"] or "yellow")]
    situations = [
        (sets(top - 4), {slug: PlannedDose(2, top - 4)}, 1, []),
        (sets(top - 4), {slug: PlannedDose(2, top - 4)}, 5, []),
        (sets(top), {slug: PlannedDose(2, top)}, 1, []),
        (sets(top), None, 5, []),
        (sets(top), None, 1, []),
        (sets(top, band="red"), None, 1, []),
        (sets(top, band="black"), None, 1, []),
        (sets(top, load_kg=8.0), None, 1, []),
        (sets(top), None, 1, ["pain_rising"]),
    ]
    texts += [
        set_guidance(
            exercise_name=exercise["name"],
            easier_slug=None,
            easier_name=None,
            felt_in_knee=felt,
            pain_during=pain,
            unit=unit,
        ).message
        for felt in (False, True)
        for pain in (None, 2, 4, 7)
    ]
    for done, plan, pain, flags in situations:
        for lib in (library, alone):
            texts += [
                s.message
                for s in suggest(
                    sessions=[session(1, pain, *done), session(2, pain, *done)],
                    library=lib,
                    flag_codes=flags,
                    plan=plan,
                )
            ]
    return texts


def test_every_piece_of_advice_speaks_of_the_exercises_own_unit():
    """Lateral band walk is dosed in steps: its band advice, set answers and suggestions say
    steps, never reps; an exercise dosed in seconds never speaks of reps or steps either."""
    walk = next(e for e in EXERCISES if e["slug"] == "lateral-band-walk")
    assert band_advice(unit="steps", starting_band="yellow") == (
        "Band: start with yellow (the lightest); move up one band once 3 × 20 clean steps are easy."
    )
    assert any("steps" in text for text in _advice_for(walk))
    for exercise in EXERCISES:
        other_units = {"reps", "steps", "seconds"} - {exercise["unit"]}
        for text in _advice_for(exercise):
            words = set(re.findall(r"[a-z]+", text.lower()))
            assert not words & other_units, (exercise["slug"], text)


def test_the_band_advice_is_empty_where_no_band_is_used():
    assert band_advice(unit="reps", starting_band="") == ""
