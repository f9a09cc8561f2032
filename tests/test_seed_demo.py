"""`python manage.py seed_demo`: a demo account with eight weeks of believable history."""

from io import StringIO

from django.core.management import call_command

from tracker.demo import DEMO_EMAIL
from tracker.models import CheckIn, User, WorkoutSession
from tracker.selectors.progress import weekly_progress


def test_seed_demo_gives_eight_weeks_with_pain_falling_and_one_flare(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    user = User.objects.get(email=DEMO_EMAIL)
    assert "demo@hip2knee.example" in out.getvalue()
    assert user.check_password("hips-for-kinder-knees")
    progress = weekly_progress(user=user, weeks=12)
    weeks = progress["weeks"]  # eight complete weeks, and this one so far
    assert len(weeks) == 9 and all(w["sessions"] >= 1 for w in weeks[:8])
    pains = [w["pain_mean"] for w in weeks]
    assert pains[7] < pains[0] - 2  # falling, by a meaningful amount
    assert pains[4] > pains[3]  # the flare in week 5
    assert progress["milestones"]["week8"]["meaningful"] is True
    assert WorkoutSession.objects.filter(user=user, notes__contains="grumbled").exists()

    sessions, checkins = WorkoutSession.objects.count(), CheckIn.objects.count()
    call_command("seed_demo", stdout=StringIO())  # again: nothing doubles
    assert (WorkoutSession.objects.count(), CheckIn.objects.count()) == (sessions, checkins)
