"""Migration 0015: a check-in that reported a red flag before it keeps its last save as the
moment of the report, so an evening check-in after a confirmation does not raise it again."""

import uuid
from datetime import UTC, date, datetime

import pytest
from django.db import connection

from tests.conftest import PASSWORD
from tests.test_session_migration import migrate
from tracker.models import CheckIn
from tracker.services import accounts

BEFORE = [("tracker", "0014_report_share_weeks")]


@pytest.mark.django_db(transaction=True)
def test_red_flags_reported_before_the_upgrade_take_their_last_save(live_db):
    user = accounts.user_signup(email="maya@example.com", password=PASSWORD)
    saved = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            for day, flags in ((date(2026, 11, 2), '["locking"]'), (date(2026, 11, 3), "[]")):
                cursor.execute(
                    "INSERT INTO tracker_checkin (user_id, client_id, date, pain, rest_day,"
                    " red_flags, created_at, updated_at) VALUES (%s, %s, %s, 5, %s, %s, %s, %s)",
                    [user.pk, str(uuid.uuid4()), day, False, flags, saved, saved],
                )
    finally:
        migrate()
    flagged, plain = CheckIn.objects.order_by("date")
    assert flagged.red_flags == ["locking"] and flagged.red_flags_at == saved
    assert plain.red_flags_at is None
