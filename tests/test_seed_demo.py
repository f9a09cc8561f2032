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


def test_seed_demo_runs_as_the_readme_writes_it_beside_make_run(tmp_path):
    """In a checkout where `make run` has run (migrated, the key generated into var/), the
    README's `.venv/bin/python manage.py seed_demo` in another terminal, with nothing set in the
    environment, creates the demo account in the same database."""
    import os
    import sqlite3
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).parents[1]
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["VAR_DIR"] = str(tmp_path)  # this checkout's var/, as `make run` leaves it
    manage = [sys.executable, "manage.py"]
    migrated = subprocess.run(
        [*manage, "migrate", "--no-input"], cwd=root, env={**env, "DEBUG": "1"},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert migrated.returncode == 0, migrated.stderr
    seeded = subprocess.run(
        [*manage, "seed_demo"], cwd=root, env=env,
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert seeded.returncode == 0, seeded.stderr
    assert "Demo account demo@hip2knee.example" in seeded.stdout
    with sqlite3.connect(tmp_path / "hip2knee.sqlite3") as db:
        [(count,)] = db.execute(
            "SELECT COUNT(*) FROM tracker_workoutsession s JOIN tracker_user u ON u.id = s.user_id"
            " WHERE u.email = 'demo@hip2knee.example'"
        ).fetchall()
    assert count > 20
