"""The README's backup and restore commands work: a database with eight weeks of history is
backed up, lost, restored, and every session, set and check-in is back."""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
COUNT = (
    "import django; django.setup(); from tracker.models import *; "
    "print(WorkoutSession.objects.count(), SessionSet.objects.count(), CheckIn.objects.count())"
)


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def counts(env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-c", COUNT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def base_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **extra}
    env.pop("DATABASE_URL", None)
    env.update(extra)
    return env


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="needs the sqlite3 command")
def test_sqlite_backup_and_restore(tmp_path):
    env = base_env(VAR_DIR=str(tmp_path / "var"))
    manage(env, "migrate", "-v0")
    manage(env, "seed_demo")
    before = counts(env)
    assert before.split()[0] != "0"
    db = tmp_path / "var" / "hip2knee.sqlite3"
    backup = tmp_path / "backup.sqlite3"
    subprocess.run(["sqlite3", str(db), f".backup '{backup}'"], check=True)
    for part in db.parent.glob("hip2knee.sqlite3*"):
        part.unlink()  # the disk is lost
    shutil.copy(backup, db)
    assert counts(env) == before


@pytest.mark.postgres
def test_postgres_backup_and_restore(tmp_path):
    import psycopg

    url = urlsplit(os.environ["DATABASE_URL"])
    name = f"h2k_backup_{uuid.uuid4().hex[:8]}"
    admin = urlunsplit(url._replace(path="/postgres"))
    target = urlunsplit(url._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        env = base_env(DATABASE_URL=target, VAR_DIR=str(tmp_path / "var"))
        manage(env, "migrate", "-v0")
        manage(env, "seed_demo")
        before = counts(env)
        dump = tmp_path / "hip2knee.dump"
        with dump.open("wb") as out:
            subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", target], stdout=out, check=True
            )
        with psycopg.connect(admin, autocommit=True) as conn:  # the database is lost
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        subprocess.run(
            ["pg_restore", "--no-owner", "--clean", "--if-exists", "--dbname", target, str(dump)],
            check=True,
        )
        manage(env, "migrate", "-v0")
        assert counts(env) == before
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
