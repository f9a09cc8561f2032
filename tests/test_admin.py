"""Support can open every model in the Django admin."""

from uuid import uuid4

import pytest
from django.test import Client

from tests.factories import CheckInFactory, RoutineItemFactory, SessionSetFactory
from tracker.models import ApiToken, Profile, User

pytestmark = pytest.mark.django_db

MODELS = [
    "user", "profile", "apitoken", "exercise", "routine", "workoutsession", "checkin",
    "reminder", "delivery", "pushsubscription", "passkey",
]  # fmt: skip


def test_every_model_has_an_admin_list_and_change_page():
    admin = User.objects.create_superuser("admin@example.com", "admin-password-123")
    set_ = SessionSetFactory()
    CheckInFactory(user=set_.session.user)
    RoutineItemFactory()
    ApiToken.objects.create(user=admin, name="t", digest="0" * 64, prefix="h2k_0000")
    client = Client()
    client.force_login(admin)
    for model in MODELS:
        listing = client.get(f"/admin/tracker/{model}/")
        assert listing.status_code == 200, model
    session_page = client.get(f"/admin/tracker/workoutsession/{set_.session.pk}/change/")
    assert session_page.status_code == 200 and b"glute-bridge" in session_page.content
    profile = Profile.objects.get(user=admin)
    assert client.get(f"/admin/tracker/profile/{profile.pk}/change/").status_code == 200


def test_an_edit_in_the_admin_shows_in_progress_at_once():
    """Progress caches a user's older history; an admin edit of an old check-in (or its deletion)
    bypasses the services, and must still show in the next answer."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.conftest import signed_in
    from tracker.models import CheckIn

    api, alice = signed_in("alice@example.com")
    old = (timezone.now() - timedelta(days=60)).date()
    for offset, pain in ((0, 2), (1, 2)):
        day = (old + timedelta(days=offset)).isoformat()
        body = {"client_id": str(uuid4()), "date": day, "pain": pain}
        assert api.post("checkins", body).status_code == 201
    assert api.get("progress/weekly").json()["baseline_pain"] == 2.0  # now cached

    admin = User.objects.create_superuser("admin@example.com", "admin-password-123")
    client = Client()
    client.force_login(admin)
    checkin = CheckIn.objects.get(user=alice, date=old)
    page = client.get(f"/admin/tracker/checkin/{checkin.pk}/change/")
    form = {
        "user": alice.pk, "date": old.isoformat(), "pain": 8, "rest_day": "",
        "red_flags": "[]", "stairs": "", "sitting": "", "squatting": "", "walking": "",
        "client_id": str(checkin.client_id),
    }  # fmt: skip
    assert page.status_code == 200
    changed = client.post(f"/admin/tracker/checkin/{checkin.pk}/change/", form)
    assert changed.status_code == 302, changed.content[:2000]
    assert api.get("progress/weekly").json()["baseline_pain"] == 5.0

    client.post(f"/admin/tracker/checkin/{checkin.pk}/delete/", {"post": "yes"})
    assert not CheckIn.objects.filter(pk=checkin.pk).exists()
    assert api.get("progress/weekly").json()["baseline_pain"] is None  # one check-in left
