"""Settings come from the environment, with safe local defaults."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SECRET_KEY); print(s.DATABASES['default']['ENGINE']); print(s.CELERY_BROKER_URL); "
    "print(s.CELERY_BROKER_TRANSPORT_OPTIONS.get('data_folder_in', ''))"
)


def settings_in(env_changes: dict[str, str | None]) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    for key in ("SECRET_KEY", "DEBUG", "DATABASE_URL", "CELERY_BROKER_URL"):
        env.pop(key, None)
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_secret_key_is_required_when_debug_is_off(tmp_path):
    result = settings_in({"DEBUG": "0", "VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_runs_generate_a_key_once_and_keep_it(tmp_path):
    first = settings_in({"DEBUG": "1", "VAR_DIR": str(tmp_path)})
    second = settings_in({"DEBUG": "1", "VAR_DIR": str(tmp_path)})
    assert first.returncode == 0, first.stderr
    key = first.stdout.splitlines()[0]
    assert len(key) > 40 and key == second.stdout.splitlines()[0]


def test_embedded_default_is_sqlite_and_a_filesystem_queue_beside_the_database(tmp_path):
    result = settings_in({"DEBUG": "1", "VAR_DIR": str(tmp_path)})
    _, engine, broker, folder = result.stdout.splitlines()
    assert engine == "django.db.backends.sqlite3"
    assert broker == "filesystem://"
    assert Path(folder).parent == tmp_path / "hip2knee.broker"


def test_database_url_and_broker_url_switch_to_postgres_and_redis(tmp_path):
    result = settings_in(
        {
            "SECRET_KEY": "k" * 50,
            "VAR_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://u@db.example:5432/h2k",
            "CELERY_BROKER_URL": "redis://cache.example:6379/0",
        }
    )
    assert result.returncode == 0, result.stderr
    _, engine, broker, folder = result.stdout.splitlines()
    assert engine == "django.db.backends.postgresql"
    assert broker == "redis://cache.example:6379/0" and folder == ""


def test_vapid_keys_command_prints_keys_the_settings_accept(tmp_path):
    printed = subprocess.run(
        [sys.executable, "manage.py", "vapid_keys"], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "DEBUG": "1", "VAR_DIR": str(tmp_path)},
    ).stdout  # fmt: skip
    pairs = dict(line.split("=", 1) for line in printed.splitlines())
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": "k" * 50,
           "VAPID_PRIVATE_KEY": pairs["VAPID_PRIVATE_KEY"].strip('"'),
           "VAPID_PUBLIC_KEY": pairs["VAPID_PUBLIC_KEY"]}  # fmt: skip
    check = (
        "import django; django.setup(); import base64; from tracker import push; "
        "from cryptography.hazmat.primitives import serialization as s; "
        "p = push.vapid().public_key.public_bytes("
        "s.Encoding.X962, s.PublicFormat.UncompressedPoint); "
        "print(base64.urlsafe_b64encode(p).decode().rstrip('='))"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == pairs["VAPID_PUBLIC_KEY"]
