"""The exercise library reaches a database twice: migration 0002 loads its own frozen copy, and
``load_library`` brings a database up to date with tracker/library.py. An edit to the library
must never change what a fresh ``migrate`` does."""

import ast
import importlib
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tracker import library
from tracker.models import Exercise, RoutineItem

ROOT = Path(__file__).resolve().parent.parent
FROZEN = importlib.import_module("tracker.migrations.0002_exercise_library")
DOSES = importlib.import_module("tracker.migrations.0012_exercise_dose")
WARMUP = importlib.import_module("tracker.migrations.0008_routine_warmup_band_versions")

Row = tuple[Any, ...]


def exercise_rows(exercises: list[dict[str, Any]]) -> list[Row]:
    """What loading ``exercises`` writes, one row per exercise in library order."""
    return [
        (
            e["slug"],
            e["name"],
            e["category"],
            e["muscles"],
            e["unit"],
            e["per_side"],
            e["default_sets"],
            e["default_target"],
            e["cues"],
            e["cautions"],
            position,
            e["easier"],
            e["harder"],
        )
        for position, e in enumerate(exercises)
    ]


def migrate_to(tmp_path: Path, migration: str) -> sqlite3.Connection:
    env = {**os.environ, "DATABASE_URL": "", "VAR_DIR": str(tmp_path)}  # SQLite in tmp_path
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "tracker", migration],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return sqlite3.connect(tmp_path / "hip2knee.sqlite3")


def starter_rows(routines: list[dict[str, Any]]) -> dict[str, list[Row]]:
    """(exercise, sets, target, per_side) per item; the warm-up flag too where the data has it."""
    return {r["name"]: [tuple(item) for item in r["items"]] for r in routines}


def test_the_library_migration_imports_nothing_of_the_app() -> None:
    tree = ast.parse(Path(FROZEN.__file__).read_text())
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert imported and all(not (name or "").startswith("tracker") for name in imported)


def test_a_fresh_migrate_to_0002_loads_exactly_its_frozen_copy(tmp_path: Path) -> None:
    with migrate_to(tmp_path, "0002_exercise_library") as db:
        exercises = [
            (*row[:3], json.loads(row[3]), row[4], bool(row[5]), row[6], row[7],
             json.loads(row[8]), json.loads(row[9]), *row[10:])
            for row in db.execute(
                "SELECT slug, name, category, muscles, unit, per_side, default_sets,"
                " default_target, cues, cautions, position, easier_id, harder_id"
                " FROM tracker_exercise ORDER BY position"
            )
        ]  # fmt: skip
        starters: dict[str, list[Row]] = {}
        for name, exercise, sets, target, per_side in db.execute(
            "SELECT r.name, i.exercise_id, i.sets, i.target, i.per_side"
            " FROM tracker_routineitem i JOIN tracker_routine r ON r.id = i.routine_id"
            " WHERE r.starter AND r.user_id IS NULL ORDER BY r.id, i.position"
        ):
            starters.setdefault(name, []).append((exercise, sets, target, bool(per_side)))
    assert exercises == exercise_rows(FROZEN.EXERCISES)
    assert starters == starter_rows(FROZEN.STARTER_ROUTINES)


def test_the_dose_migration_gives_the_library_rows_of_a_database_their_frozen_doses(
    tmp_path: Path,
) -> None:
    with migrate_to(tmp_path, "0012_exercise_dose") as db:
        doses = {
            slug: (tempo, rest_seconds, starting_band)
            for slug, tempo, rest_seconds, starting_band in db.execute(
                "SELECT slug, tempo, rest_seconds, starting_band FROM tracker_exercise"
            )
        }
    assert doses == DOSES.DOSES  # no band: empty


def test_the_dose_migration_imports_nothing_of_the_app() -> None:
    tree = ast.parse(Path(DOSES.__file__).read_text())
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert imported and all(not (name or "").startswith("tracker") for name in imported)


@pytest.mark.django_db
def test_load_library_after_migrate_gives_the_live_library() -> None:
    call_command("load_library", stdout=io.StringIO())
    exercises = list(
        Exercise.objects.order_by("position").values_list(
            "slug", "name", "category", "muscles", "unit", "per_side", "default_sets",
            "default_target", "cues", "cautions", "position", "easier_id", "harder_id",
        )
    )  # fmt: skip
    starters: dict[str, list[Row]] = {}
    for name, *item in (
        RoutineItem.objects.filter(routine__starter=True, routine__user=None)
        .order_by("routine_id", "position")
        .values_list("routine__name", "exercise_id", "sets", "target", "per_side", "warmup")
    ):
        starters.setdefault(name, []).append(tuple(item))
    assert exercises == exercise_rows(library.EXERCISES)
    assert starters == starter_rows(library.STARTER_ROUTINES)
    doses = list(
        Exercise.objects.order_by("position").values_list(
            "slug", "tempo", "rest_seconds", "starting_band"
        )
    )
    assert doses == [
        (e["slug"], e["tempo"], e["rest_seconds"], e["starting_band"]) for e in library.EXERCISES
    ]


def _migrate(tmp_path: Path, target: str) -> None:
    env = {**os.environ, "DATABASE_URL": "", "VAR_DIR": str(tmp_path)}  # SQLite in tmp_path
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "tracker", target],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def _bulletproofing(tmp_path: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(tmp_path / "hip2knee.sqlite3") as db:
        columns = {row[1] for row in db.execute("PRAGMA table_info(tracker_routineitem)")}
        warmup = "i.warmup" if "warmup" in columns else "0"
        return [
            (exercise, sets, target, bool(per_side), bool(warm))
            for exercise, sets, target, per_side, warm in db.execute(
                f"SELECT i.exercise_id, i.sets, i.target, i.per_side, {warmup}"  # noqa: S608
                " FROM tracker_routineitem i JOIN tracker_routine r ON r.id = i.routine_id"
                " WHERE r.name = 'Hip-to-Knee bulletproofing' AND r.starter ORDER BY i.position"
            )
        ]


def test_migration_0008_gives_an_existing_database_the_warm_up_and_rolls_back(
    tmp_path: Path,
) -> None:
    """A database made before the warm-up existed gets the starter's warm-up block first, as the
    library has it; unapplying the migration puts the starter back as it was."""
    _migrate(tmp_path, "0007_data_versions")
    before = _bulletproofing(tmp_path)
    assert before == [(*item, False) for item in FROZEN.STARTER_ROUTINES[1]["items"]]
    _migrate(tmp_path, "0008_routine_warmup_band_versions")
    after = _bulletproofing(tmp_path)
    assert after == [tuple(item) for item in WARMUP.BULLETPROOFING_AFTER]
    assert [slug for slug, *_, warm in after if warm] == ["foam-rolling", "hip-90-90", "clamshell"]
    _migrate(tmp_path, "0007_data_versions")
    assert _bulletproofing(tmp_path) == before


def _live_bulletproofing() -> list[tuple[Any, ...]]:
    live = next(r for r in library.STARTER_ROUTINES if r["name"] == "Hip-to-Knee bulletproofing")
    return [tuple(item) for item in live["items"]]


def test_the_starter_warm_up_rolls_for_the_library_dose() -> None:
    """Foam rolling in the bulletproofing warm-up lasts what the exercise library says."""
    dose = next(e for e in library.EXERCISES if e["slug"] == "foam-rolling")
    rolling = [item for item in _live_bulletproofing() if item[0] == "foam-rolling"]
    assert [(sets, target) for _, sets, target, *_ in rolling] == [
        (dose["default_sets"], dose["default_target"])
    ]


def test_migration_0016_gives_an_existing_starter_the_library_foam_rolling_dose(
    tmp_path: Path,
) -> None:
    """A database whose starter warm-up rolls 30 s gets the library's 60 s, so the starter reads
    as the library does after a migrate alone; unapplying puts 30 s back."""
    _migrate(tmp_path, "0015_checkin_red_flags_at")
    before = _bulletproofing(tmp_path)
    assert ("foam-rolling", 1, 30, True, True) in before
    _migrate(tmp_path, "0016_starter_foam_rolling_dose")
    assert _bulletproofing(tmp_path) == _live_bulletproofing()
    _migrate(tmp_path, "0015_checkin_red_flags_at")
    assert _bulletproofing(tmp_path) == before
