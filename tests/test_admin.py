"""Support can open every model in the Django admin."""

import pytest
from django.test import Client

from tests.factories import CheckInFactory, RoutineItemFactory, SessionSetFactory
from tracker.models import ApiToken, Profile, User

pytestmark = pytest.mark.django_db

MODELS = [
    "user", "profile", "apitoken", "exercise", "routine", "workoutsession", "checkin",
    "reminder", "delivery", "pushsubscription",
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
