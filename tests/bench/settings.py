"""The app's settings plus the bench's bare floor view (tests/bench/urls.py), for the load
test's gunicorn."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
