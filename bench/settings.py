"""The app's settings plus the bench's bare floor view (bench/urls.py), for the load test's
gunicorn."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
