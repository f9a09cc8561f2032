"""The reminder batch's lean read of the safety flags agrees with the progress answer, flag for
flag and word for word, for every kind of history."""

from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.factories import CheckInFactory, UserFactory, WorkoutSessionFactory
from tracker.models import Profile
from tracker.rules.weeks import local_date, week_start
from tracker.selectors.progress import weekly_progress
from tracker.selectors.recipients import recipients_read

NOW = datetime.now(UTC).replace(microsecond=0)


def person(tz: str = "Europe/London", *, weeks: int = 6, pain: int = 3):  # type: ignore[no-untyped-def]
    """Someone with ``weeks`` weeks of daily check-ins at ``pain`` and a session every other
    day, calm throughout."""
    user = UserFactory()
    Profile.objects.filter(user=user).update(timezone=tz)
    today = local_date(NOW, ZoneInfo(tz))
    for n in range(1, weeks * 7):
        CheckInFactory(user=user, date=today - timedelta(days=n), pain=pain)
    for n in range(2, weeks * 7, 2):
        WorkoutSessionFactory(user=user, started_at=NOW - timedelta(days=n), pain_during=2)
    return user


def checkin_on(user, days_ago: int, **fields):  # type: ignore[no-untyped-def]
    today = local_date(NOW, ZoneInfo(user.profile.timezone))
    day = today - timedelta(days=days_ago)
    user.checkins.filter(date=day).delete()
    return CheckInFactory(user=user, date=day, **fields)


def rising(user) -> None:  # type: ignore[no-untyped-def]
    """Weekly means 3, 4, 5 in the last three completed weeks, low early in each week and high
    late (a week read in part would have another mean)."""
    today = local_date(NOW, ZoneInfo(user.profile.timezone))
    monday = week_start(today)
    for weeks_back, mean in ((3, 3), (2, 4), (1, 5)):
        start = monday - timedelta(weeks=weeks_back)
        for day, change in enumerate((-2, -2, -2, 2, 2, 2, 0)):
            user.checkins.filter(date=start + timedelta(days=day)).update(pain=mean + change)


def situations():  # type: ignore[no-untyped-def]
    calm = person()
    calm_far_east = person("Pacific/Auckland")
    red_recent = person()
    checkin_on(red_recent, 2, pain=6, red_flags=["locking"])
    red_old = person("America/Los_Angeles", weeks=8)
    checkin_on(red_old, 45, pain=5, red_flags=["major_swelling", "giving_way_fall"])
    cleared = person()
    checkin_on(cleared, 20, pain=5, red_flags=["locking"])
    Profile.objects.filter(user=cleared).update(
        clinician_seen_at=NOW - timedelta(days=3),
        clinician_seen_on=local_date(NOW - timedelta(days=3), ZoneInfo("Europe/London")),
    )
    red_after_clearance = person()
    checkin_on(red_after_clearance, 30, red_flags=["hot_red_fever"])
    Profile.objects.filter(user=red_after_clearance).update(
        clinician_seen_at=NOW - timedelta(days=10),
        clinician_seen_on=local_date(NOW - timedelta(days=10), ZoneInfo("Europe/London")),
    )
    checkin_on(red_after_clearance, 1, red_flags=["night_or_constant_pain"])
    # cleared the same day: the red flag was added before the confirmation, and the check-in saved
    # again after it without adding one (it stays cleared); another added after it stands
    cleared_same_day, raised_same_day = person(), person()
    seen_at = NOW - timedelta(hours=1)
    seen_on = local_date(seen_at, ZoneInfo("Europe/London"))
    for user, added in ((cleared_same_day, -1), (raised_same_day, 1)):
        user.checkins.filter(date=seen_on).delete()
        CheckInFactory(
            user=user, date=seen_on, red_flags=["locking"],
            red_flags_at=seen_at + timedelta(minutes=30 * added),
        )  # fmt: skip
        Profile.objects.filter(user=user).update(
            clinician_seen_at=seen_at, clinician_seen_on=seen_on
        )
    above_5 = person("America/New_York")
    WorkoutSessionFactory(user=above_5, started_at=NOW - timedelta(days=3), pain_during=7)
    not_settled = person(pain=2)
    WorkoutSessionFactory(
        user=not_settled, started_at=NOW - timedelta(days=5), pain_during=3, pain_next_morning=5
    )
    settled = person(pain=5)  # usual: 5, the median of the 14 days before the session
    for days_ago in range(14, 18):
        checkin_on(settled, days_ago, pain=2)
    WorkoutSessionFactory(
        user=settled, started_at=NOW - timedelta(days=13), pain_during=3, pain_next_morning=4
    )
    pain_up = person()
    rising(pain_up)
    everything = person("Asia/Kolkata")
    rising(everything)
    WorkoutSessionFactory(user=everything, started_at=NOW - timedelta(days=1), pain_during=8)
    checkin_on(everything, 0, pain=7, red_flags=["cannot_bear_weight"])
    newcomer = UserFactory()
    WorkoutSessionFactory(user=newcomer, started_at=NOW - timedelta(hours=5), pain_during=6)
    return {
        "calm": calm,
        "calm_far_east": calm_far_east,
        "red_recent": red_recent,
        "red_old": red_old,
        "cleared": cleared,
        "red_after_clearance": red_after_clearance,
        "cleared_same_day": cleared_same_day,
        "raised_same_day": raised_same_day,
        "above_5": above_5,
        "not_settled": not_settled,
        "settled": settled,
        "pain_up": pain_up,
        "everything": everything,
        "newcomer": newcomer,
    }


@pytest.mark.django_db
def test_the_batch_read_raises_the_flags_the_progress_answer_shows(django_assert_num_queries):
    people = situations()
    profiles = list(Profile.objects.filter(user__in=people.values()))
    with django_assert_num_queries(2):
        read = recipients_read(profiles=profiles, now=NOW)
    codes = {}
    for name, user in people.items():
        user.refresh_from_db()
        expected = weekly_progress(user=user, weeks=1, now=NOW)["flags"]
        assert [asdict(f) for f in read[user.pk].flags] == expected, name
        codes[name] = [f["code"] for f in expected]
    # and the histories above do raise what they were built to raise
    assert codes == {
        "calm": [],
        "calm_far_east": [],
        "red_recent": ["red_flag"],
        "red_old": ["red_flag"],
        "cleared": [],
        "red_after_clearance": ["red_flag"],
        "cleared_same_day": [],
        "raised_same_day": ["red_flag"],
        "above_5": ["pain_above_5"],
        "not_settled": ["not_settled"],
        "settled": [],
        "pain_up": ["pain_rising"],
        "everything": ["red_flag", "pain_rising", "pain_above_5"],
        "newcomer": ["pain_above_5"],
    }


@pytest.mark.django_db
def test_the_batch_read_gives_each_person_their_recent_sessions_oldest_first():
    user = person(weeks=5)
    [profile] = Profile.objects.filter(user=user)
    sessions = recipients_read(profiles=[profile], now=NOW)[user.pk].sessions
    starts = [s.started_at for s in sessions]
    assert starts == sorted(starts) and starts[0] >= NOW - timedelta(days=22)
    assert len(starts) == len([n for n in range(2, 35, 2) if n <= 22])
