"""Moving to sessions marked with their user (migration 0009) signs nobody out: a browser signed
in before the upgrade is still signed in after it, and its session is counted as its user's."""

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from tests.conftest import PASSWORD
from tracker.models import BrowserSession
from tracker.services import accounts

BEFORE = [("tracker", "0008_routine_warmup_band_versions")]


def migrate(targets=None):
    """To ``targets``, or with none to the latest migration (0009 and every one after it)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_a_browser_signed_in_before_the_upgrade_stays_signed_in(live_db):
    user = accounts.user_signup(email="maya@example.com", password=PASSWORD)
    migrate(BEFORE)
    try:
        old = DjangoSessionStore()  # Django's own engine, as before the upgrade
        old[SESSION_KEY] = str(user.pk)
        old[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        old[HASH_SESSION_KEY] = user.get_session_auth_hash()
        old.create()
        anonymous = DjangoSessionStore()
        anonymous["csrf"] = "x"
        anonymous.create()
    finally:
        migrate()

    assert BrowserSession.objects.get(session_key=old.session_key).user_id == user.pk
    assert BrowserSession.objects.get(session_key=anonymous.session_key).user_id is None
    browser = Client()
    browser.cookies[settings.SESSION_COOKIE_NAME] = old.session_key
    me = browser.get("/api/v1/auth/me")
    assert me.status_code == 200 and me.json()["email"] == "maya@example.com"
