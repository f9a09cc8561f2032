"""progress/weekly end to end: a ten-week history through the API, counted by hand."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import Api, checkin_body, session_body

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")

# weekly check-in pains (two a week where listed twice), week 1 .. week 9; week 10 is current
PAINS = [[6, 6], [6], [5], [4, 4], [5], [4], [4], [3, 4], [3]]
SESSIONS = [3, 3, 3, 3, 1, 3, 3, 3, 3]


def monday_weeks_ago(n: int):
    today = datetime.now(LONDON).date()
    return today - timedelta(days=today.weekday()) - timedelta(weeks=n)


def log_history(api: Api) -> None:
    first = monday_weeks_ago(9)
    for i, (pains, sessions) in enumerate(zip(PAINS, SESSIONS, strict=True)):
        monday = first + timedelta(weeks=i)
        for k in range(sessions):
            start = datetime.combine(monday + timedelta(days=2 * k), time(18, 0), LONDON)
            sets = [{"exercise": "glute-bridge", "side": "both", "reps": 12}] * 3
            body = session_body(started_at=start.isoformat(), sets=sets, pain_during=2)
            assert api.post("sessions", body).status_code == 201
        for k, pain in enumerate(pains):
            day = (monday + timedelta(days=1 + 3 * k)).isoformat()
            assert api.post("checkins", checkin_body(date=day, pain=pain)).status_code == 201


def test_a_ten_week_history_end_to_end(api):
    log_history(api)
    response = api.get("progress/weekly", weeks=12)
    assert response.status_code == 200, response.content
    p = response.json()
    assert p["timezone"] == "Europe/London" and p["weekly_target"] == 3
    assert p["baseline_pain"] == 6.0
    weeks = p["weeks"]
    assert len(weeks) == 10  # from week 1 only, though 12 were asked for
    assert weeks[0]["week_start"] == monday_weeks_ago(9).isoformat()
    assert weeks[-1]["week_start"] == monday_weeks_ago(0).isoformat()
    assert [w["sessions"] for w in weeks] == [*SESSIONS, 0]
    assert [w["met"] for w in weeks] == [True] * 4 + [False] + [True] * 4 + [False]
    assert [w["pain_mean"] for w in weeks] == [6.0, 6.0, 5.0, 4.0, 5.0, 4.0, 4.0, 3.5, 3.0, None]
    assert weeks[3]["pain_change_pct"] == -33.3 and weeks[-1]["pain_change_pct"] is None
    assert p["streak_weeks"] == 4  # weeks 6-9; week 5 broke it; the current week does not
    assert 0 < p["habit_score"] <= 100

    m4, m8 = p["milestones"]["week4"], p["milestones"]["week8"]
    assert (m4["pain_mean"], m4["change_points"], m4["pain_change_pct"]) == (4.0, -2.0, -33.3)
    assert m4["meaningful"] is True
    assert (m8["pain_mean"], m8["change_points"], m8["pain_change_pct"]) == (3.5, -2.5, -41.7)
    assert m8["meaningful"] is True
    assert p["flags"] == []
    [bridge] = p["suggestions"]
    assert (bridge["exercise"], bridge["action"]) == ("glute-bridge", "progress")
    assert bridge["to_exercise"] == "single-leg-bridge"
    helps = p["helps"]
    assert helps["after_on_target"] == {"pain_mean": 4.4, "weeks": 7}
    assert helps["after_below_target"] == {"pain_mean": 4.0, "weeks": 1}
    assert helps["enough_data"] is False  # one week below target is too few for a claim

    last4 = api.get("progress/weekly", weeks=4).json()["weeks"]
    assert [w["week_start"] for w in last4] == [w["week_start"] for w in weeks[-4:]]


def test_a_red_flag_stops_the_encouragement(api):
    log_history(api)
    today = datetime.now(LONDON).date().isoformat()
    api.post("checkins", checkin_body(date=today, pain=5, red_flags=["giving_way_fall"]))
    p = api.get("progress/weekly").json()
    assert p["flags"][0]["code"] == "red_flag"
    assert "see a clinician" in p["flags"][0]["message"]
    assert {s["action"] for s in p["suggestions"]} == {"stop"}


def test_pain_above_5_eases_off(api):
    log_history(api)
    api.post("sessions", session_body(pain_during=7))
    p = api.get("progress/weekly").json()
    assert "pain_above_5" in [f["code"] for f in p["flags"]]
    actions = {s["exercise"]: s["action"] for s in p["suggestions"]}
    assert set(actions.values()) == {"ease_off"}


def test_a_new_user_gets_the_current_week_and_nothing_invented(api):
    p = api.get("progress/weekly").json()
    assert len(p["weeks"]) == 1 and p["weeks"][0]["sessions"] == 0
    assert p["baseline_pain"] is None and p["streak_weeks"] == 0 and p["habit_score"] == 0
    assert p["milestones"] == {"week4": None, "week8": None}
    assert p["flags"] == [] and p["suggestions"] == []


def test_one_checkin_is_not_a_baseline(api):
    api.post("checkins", checkin_body(pain=2))
    p = api.get("progress/weekly").json()
    assert p["baseline_pain"] is None
    assert all(w["pain_change_pct"] is None for w in p["weeks"])


@pytest.mark.parametrize("weeks", ["0", "105", "ten", "-3"])
def test_weeks_out_of_range_is_422(api, weeks):
    response = api.get("progress/weekly", weeks=weeks)
    assert response.status_code == 422 and "weeks" in response.json()["errors"]


def test_the_number_of_queries_does_not_grow_with_history(api):
    token = api.post("auth/tokens", {"name": "q"}).json()["token"]
    script = Api(token=token)
    api.post("sessions", session_body())
    api.post("checkins", checkin_body())
    with CaptureQueriesContext(connection) as short:
        script.get("progress/weekly")
    log_history(api)
    with CaptureQueriesContext(connection) as long:
        assert script.get("progress/weekly", weeks=104).status_code == 200
    assert len(long) == len(short) <= 6


def test_progress_shows_only_ones_own(api, bob):
    log_history(api)
    p = bob[0].get("progress/weekly").json()
    assert p["timezone"] == "America/New_York"
    assert p["baseline_pain"] is None and sum(w["sessions"] for w in p["weeks"]) == 0


def test_set_guidance_endpoint():
    from django.test import Client

    client = Client()
    answer = client.get(
        "/api/v1/exercises/single-leg-squat/guidance", {"felt_in_knee": "true", "pain_during": 4}
    ).json()
    assert (answer["action"], answer["easier"]) == ("easier", "supported-squat")
    stop = client.get("/api/v1/exercises/clamshell/guidance", {"pain_during": 8}).json()
    assert stop["action"] == "stop_today"
    walk = client.get(
        "/api/v1/exercises/lateral-band-walk/guidance", {"felt_in_knee": "true", "pain_during": 2}
    ).json()
    assert "fewer, slower steps" in walk["message"]  # the band walk counts steps, not reps
    assert client.get("/api/v1/exercises/moonwalk/guidance").status_code == 404
    bad = client.get("/api/v1/exercises/clamshell/guidance", {"pain_during": 11})
    assert bad.status_code == 422 and "pain_during" in bad.json()["errors"]


def test_a_two_year_history_gives_the_answer_of_reading_every_fact(alice):
    """Two years are read summed by the database per day and week: the weeks shown, the
    baseline, the milestones, the flags, the habit score, the streak and "does it help" are
    what reading every session and check-in whole gives, counting every week."""
    from datetime import UTC

    from tests.facts import report_of
    from tracker.models import CheckIn, WorkoutSession
    from tracker.rules.progress import CheckInFact, SessionFact
    from tracker.selectors import progress

    _, user = alice
    now = datetime.now(UTC)
    start = now - timedelta(weeks=104)
    for day in range(0, 728, 2):  # a session every other day, pain falling, a flare in year 2
        moment = start + timedelta(days=day, hours=10)
        pain = max(1, 7 - day // 100) + (2 if 500 < day < 520 else 0)
        WorkoutSession.objects.create(
            user=user, client_id=session_body()["client_id"], started_at=moment,
            pain_during=min(pain, 10),
        )  # fmt: skip
        CheckIn.objects.create(
            user=user, client_id=session_body()["client_id"], date=moment.date(), pain=pain
        )
    answer = progress.weekly_progress(user=user, weeks=12, now=now)
    everything = report_of(
        sessions=[
            SessionFact(s.started_at, s.pain_during, s.pain_next_morning)
            for s in WorkoutSession.objects.filter(user=user)
        ],
        checkins=[
            CheckInFact(c.date, c.pain, c.rest_day, tuple(c.red_flags), c.created_at, c.updated_at)
            for c in CheckIn.objects.filter(user=user)
        ],
        tz_name="Europe/London",
        weekly_target=3,
        now=now,
        weeks=12,
    )
    assert answer == everything
    assert answer["streak_weeks"] > 53  # every week of two years on target, none left out
    counted = (
        answer["helps"]["after_on_target"]["weeks"] + answer["helps"]["after_below_target"]["weeks"]
    )
    assert counted > 8 + 53
    assert answer["milestones"]["week8"]["meaningful"] is False


@pytest.mark.parametrize("seed", range(6))
def test_reading_only_what_the_rules_need_gives_the_answer_of_reading_everything(alice, seed):
    """The selector passes the rules, of the last four weeks, each exercise's two newest
    sessions, and older check-ins summed without red flags or recording times. A busy, random
    month (sessions of several exercises, at and below the top of the dose, next-morning pains,
    red flags old and new; some months with no flag, so that suggestions to progress show) gets
    the suggestions and flags that reading every set and every column gives."""
    import random
    from datetime import UTC

    from tests.facts import report_of
    from tracker.models import CheckIn, SessionSet, WorkoutSession
    from tracker.rules import vocabulary as vocab
    from tracker.rules.progress import CheckInFact, SessionFact
    from tracker.rules.progression import ExerciseInfo, LoggedSession, SetFact
    from tracker.rules.safety import Clearance
    from tracker.selectors import library, progress, routines

    _, user = alice
    rng = random.Random(seed)
    now = datetime.now(UTC)
    exercises = {
        "glute-bridge": "both", "side-lying-leg-raise": "left", "lateral-band-walk": "both",
        "single-leg-rdl": "right", "hip-flexor-stretch": "left", "clamshell": "right",
    }  # fmt: skip
    for _ in range(45):
        session = WorkoutSession.objects.create(
            user=user, client_id=session_body()["client_id"],
            started_at=now - timedelta(days=rng.uniform(0, 35)),
            pain_during=rng.choice([0, 1, 2, 3, 3, 6 if seed % 3 == 1 else 2]),
            pain_next_morning=rng.choice([None, 1, 2, 4]) if seed % 3 == 1 else None,
        )  # fmt: skip
        chosen = rng.sample(sorted(exercises), rng.randint(1, 4))
        SessionSet.objects.bulk_create(
            SessionSet(
                session=session, position=k, exercise_id=slug, side=exercises[slug],
                reps=None if slug == "hip-flexor-stretch" else rng.choice([10, 12, 12, 20, 20]),
                seconds=30 if slug == "hip-flexor-stretch" else None,
                band=rng.choice([None, 2, 3]),
            )
            for k, slug in enumerate(s for s in chosen for _ in range(3))
        )  # fmt: skip
    if seed % 3 == 1:  # the newest session hurt: easing off is due, whatever went before
        WorkoutSession.objects.create(
            user=user, client_id=session_body()["client_id"],
            started_at=now - timedelta(minutes=1), pain_during=6,
        )  # fmt: skip
    days = {13, 20, *rng.sample(range(0, 40), 25)}
    for day in days:
        flags = []
        if day == 20 or (seed % 3 == 0 and day == 13):  # 13 days ago is still "recent"
            flags = ["giving_way_fall"]
        # the months meant to have no flag keep a steady pain: random weekly means rise on
        # some weekdays and not on others
        pain = rng.randint(1, 5) if seed % 3 != 2 else 2
        CheckIn.objects.create(
            user=user, client_id=session_body()["client_id"],
            date=(now - timedelta(days=day)).date(), pain=pain, red_flags=flags,
        )  # fmt: skip

    clearance = None
    if seed % 3 != 0:  # a clinician saw the knee 15 days ago: the red flag of 20 days ago is gone
        seen_at = now - timedelta(days=15)
        clearance = Clearance(seen_at, seen_at.date())
        type(user.profile).objects.filter(user=user).update(
            clinician_seen_at=seen_at, clinician_seen_on=seen_at.date()
        )
        user.profile.refresh_from_db()
    answer = progress.weekly_progress(user=user, weeks=12, now=now)
    library = {
        slug: ExerciseInfo(f.slug, f.name, f.category, f.unit, f.easier, f.harder)
        for slug, f in library.exercise_facts().items()
    }
    sessions = WorkoutSession.objects.filter(user=user).prefetch_related("sets")
    everything = report_of(
        sessions=[SessionFact(s.started_at, s.pain_during, s.pain_next_morning) for s in sessions],
        checkins=[
            CheckInFact(c.date, c.pain, c.rest_day, tuple(c.red_flags), c.created_at, c.updated_at)
            for c in CheckIn.objects.filter(user=user)
        ],
        logged=[
            LoggedSession(
                s.started_at,
                s.pain_during,
                tuple(
                    SetFact(
                        x.exercise_id,
                        x.side,
                        x.reps,
                        x.seconds,
                        None if x.band is None else vocab.band_name(x.band),
                        None,
                    )
                    for x in sorted(s.sets.all(), key=lambda x: x.position)
                ),
            )
            for s in sessions
        ],
        library=library,
        plan=routines.routine_plan(user=user),
        tz_name=user.profile.timezone,
        weekly_target=user.profile.weekly_target,
        now=now,
        weeks=12,
        clearance=clearance,
    )
    assert answer["flags"] == everything["flags"]
    assert answer["suggestions"] == everything["suggestions"]
    assert answer["suggestions"], "the month has exercises to suggest for"
    assert answer == everything
    codes = [f["code"] for f in answer["flags"]]
    if seed % 3 == 0:
        assert codes[0] == "red_flag"  # 13 days ago
    elif seed % 3 == 1:
        assert "red_flag" not in codes and "pain_above_5" in codes  # cleared since
    else:  # no flag: suggestions to progress need each exercise's two newest sessions
        assert codes == []
        assert "progress" in {s["action"] for s in answer["suggestions"]}


def test_each_week_has_its_number_and_the_function_answers_of_its_check_ins(api):
    first = monday_weeks_ago(2)
    answers = [
        {"pain": 6, "stairs": 7, "sitting": 5, "walking": 3},
        {"pain": 4, "stairs": 4, "sitting": 4},
    ]
    for k, answer in enumerate(answers):
        day = (first + timedelta(days=k)).isoformat()
        assert api.post("checkins", checkin_body(date=day, **answer)).status_code == 201
    later = (first + timedelta(weeks=1)).isoformat()
    assert api.post("checkins", checkin_body(date=later, pain=3, stairs=None)).status_code == 201

    weeks = api.get("progress/weekly", weeks=12).json()["weeks"]
    assert [w["week_number"] for w in weeks] == [1, 2, 3]
    assert weeks[0]["function"] == {
        "stairs": 5.5, "sitting": 4.5, "squatting": None, "walking": 3.0,
    }  # fmt: skip
    assert weeks[1]["function"] == dict.fromkeys(("stairs", "sitting", "squatting", "walking"))
    assert weeks[2]["function"]["stairs"] is None  # the current week: no check-ins yet
    assert [w["week_number"] for w in api.get("progress/weekly", weeks=2).json()["weeks"]] == [2, 3]
