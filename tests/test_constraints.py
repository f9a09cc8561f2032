"""The database itself refuses what would break a user's data, whatever code writes it."""

import uuid
from datetime import UTC, date, datetime

import pytest
from django.db import IntegrityError, transaction

from tests.factories import (
    CheckInFactory,
    RoutineFactory,
    RoutineItemFactory,
    SessionSetFactory,
    UserFactory,
    WorkoutSessionFactory,
)
from tracker.models import Exercise, Profile, Routine, User

pytestmark = pytest.mark.django_db


def refused(make) -> bool:
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


def test_the_exercise_library_holds_all_thirteen_exercises_and_their_variants():
    slugs = set(Exercise.objects.values_list("slug", flat=True))
    design = {
        "glute-bridge",
        "side-lying-leg-raise",
        "clamshell",
        "lateral-band-walk",
        "supported-squat",
        "single-leg-rdl",
        "single-leg-squat",
        "lateral-lunge",
        "hip-flexor-stretch",
        "hip-90-90",
        "figure-four-stretch",
        "modified-pigeon",
        "foam-rolling",
    }
    assert design <= slugs
    bridge = Exercise.objects.get(slug="glute-bridge")
    assert bridge.harder_id == "single-leg-bridge"
    assert Exercise.objects.get(slug="supported-squat").harder_id == "single-leg-squat"
    # every link points at an exercise that exists
    for e in Exercise.objects.all():
        for linked in (e.easier_id, e.harder_id):
            assert linked is None or linked in slugs


def test_the_two_starter_routines_belong_to_nobody():
    starters = Routine.objects.filter(starter=True)
    assert sorted(starters.values_list("name", flat=True)) == [
        "Hip-to-Knee bulletproofing",
        "Hip-to-Knee starter",
    ]
    assert all(r.user_id is None for r in starters)
    bullet = starters.get(name="Hip-to-Knee bulletproofing")
    items = [(i.exercise_id, i.sets, i.target) for i in bullet.items.filter(warmup=False)]
    assert items[0] == ("glute-bridge", 3, 10)  # the main work, after the warm-up
    assert ("lateral-band-walk", 2, 20) in items and ("hip-flexor-stretch", 2, 30) in items


def test_a_starter_cannot_have_an_owner_and_a_user_routine_must_have_one():
    user = UserFactory()
    assert refused(lambda: Routine.objects.create(name="x", starter=True, user=user))
    assert refused(lambda: Routine.objects.create(name="x", starter=False, user=None))


def test_one_session_per_client_id_per_user_but_users_do_not_collide():
    session = WorkoutSessionFactory()
    assert refused(lambda: WorkoutSessionFactory(user=session.user, client_id=session.client_id))
    assert not refused(lambda: WorkoutSessionFactory(client_id=session.client_id))


@pytest.mark.parametrize("field", ["pain_during", "pain_next_morning"])
@pytest.mark.parametrize("value", [11, 200])
def test_session_pain_outside_0_to_10_is_refused(field, value):
    assert refused(lambda: WorkoutSessionFactory(**{field: value}))


def test_a_set_needs_reps_or_seconds_and_a_known_side_and_band():
    assert refused(lambda: SessionSetFactory(reps=None, seconds=None))
    assert refused(lambda: SessionSetFactory(side="up"))
    assert refused(lambda: SessionSetFactory(band=6))
    assert refused(lambda: SessionSetFactory(load_kg=-1))
    assert not refused(lambda: SessionSetFactory(reps=None, seconds=30, band=5))


def test_one_checkin_per_local_date_and_pain_within_scale():
    checkin = CheckInFactory(date=date(2026, 1, 5))
    assert refused(lambda: CheckInFactory(user=checkin.user, date=date(2026, 1, 5)))
    assert refused(lambda: CheckInFactory(user=checkin.user, client_id=checkin.client_id))
    assert refused(lambda: CheckInFactory(pain=11))
    assert refused(lambda: CheckInFactory(stairs=12))
    assert not refused(lambda: CheckInFactory(user=checkin.user, date=date(2026, 1, 6)))


def test_profile_target_between_1_and_7_and_units_kg_or_lb():
    user = UserFactory()
    assert Profile.objects.get(user=user).weekly_target == 3
    assert refused(lambda: Profile.objects.filter(user=user).update(weekly_target=0))
    assert refused(lambda: Profile.objects.filter(user=user).update(weekly_target=8))
    assert refused(lambda: Profile.objects.filter(user=user).update(units="st"))


def test_email_is_unique_whatever_its_case():
    UserFactory(email="Sam@Example.com")
    assert refused(lambda: User.objects.create(email="SAM@example.com"))


def test_routine_items_have_a_position_each_and_a_sane_dose():
    item = RoutineItemFactory()
    assert refused(lambda: RoutineItemFactory(routine=item.routine, position=item.position))
    assert refused(lambda: RoutineItemFactory(sets=0))
    assert refused(lambda: RoutineItemFactory(routine=RoutineFactory(), target=0))


def test_deleting_a_user_deletes_everything_they_own():
    session = SessionSetFactory().session
    user = session.user
    CheckInFactory(user=user)
    RoutineItemFactory(routine=RoutineFactory(user=user))
    user.delete()
    from tracker.models import CheckIn, RoutineItem, SessionSet, WorkoutSession

    assert not WorkoutSession.objects.exists() and not SessionSet.objects.exists()
    assert not CheckIn.objects.exists()
    assert not RoutineItem.objects.filter(routine__starter=False).exists()


def test_started_at_is_kept_in_utc():
    s = WorkoutSessionFactory(started_at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    s.refresh_from_db()
    assert s.started_at.utcoffset().total_seconds() == 0
    assert isinstance(s.client_id, uuid.UUID)
