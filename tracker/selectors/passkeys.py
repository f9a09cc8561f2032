"""The user's passkeys, as the Account page lists them."""

from __future__ import annotations

from django.db.models import QuerySet

from tracker.models import Passkey, User


def passkey_list(*, user: User) -> QuerySet[Passkey]:
    """Newest first; the public keys stay in the database."""
    return Passkey.objects.filter(user=user).only("id", "name", "created_at", "last_used_at")
