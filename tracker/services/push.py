"""Push subscriptions: the browser's ``PushSubscription`` stored and removed."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from tracker.access import delete_owned
from tracker.errors import InvalidInput
from tracker.models import (
    PushSubscription,
    User,
)
from tracker.push import b64url_decode, endpoint_allowed


def push_subscribe(
    *, user: User, endpoint: str, p256dh: str, auth: str, expiration_time: int | None
) -> tuple[PushSubscription, bool]:
    """Store the browser's subscription; the same endpoint again updates it (200, not 201)."""
    if not endpoint_allowed(endpoint, settings.PUSH_ENDPOINT_ALLOW):
        raise InvalidInput(
            "That push endpoint is not on a known push service.",
            {"endpoint": "must be an https endpoint of a known push service"},
        )
    errors = {}
    try:
        point = b64url_decode(p256dh)
        if len(point) != 65 or point[0] != 4:
            errors["keys.p256dh"] = "must be an uncompressed P-256 public key"
    except (ValueError, TypeError):
        errors["keys.p256dh"] = "must be base64url"
    try:
        if len(b64url_decode(auth)) != 16:
            errors["keys.auth"] = "must be 16 bytes, base64url"
    except (ValueError, TypeError):
        errors["keys.auth"] = "must be base64url"
    if errors:
        raise InvalidInput("The subscription's keys are not valid.", errors)
    fields = {"user": user, "p256dh": p256dh, "auth": auth, "expiration_time": expiration_time}
    with transaction.atomic():
        subscription, created = PushSubscription.objects.update_or_create(
            endpoint=endpoint, defaults=fields
        )
    return subscription, created


def push_unsubscribe(*, user: User, subscription_id: int) -> None:
    delete_owned(PushSubscription.objects, user=user, pk=subscription_id, what="subscription")
