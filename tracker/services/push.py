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
from tracker.push import b64url_decode, endpoint_allowed, p256_point_valid


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
    if not p256_point_valid(p256dh):
        errors["keys.p256dh"] = "must be an uncompressed P-256 public key (a point on the curve)"
    try:
        if len(b64url_decode(auth)) != 16:
            errors["keys.auth"] = "must be 16 bytes, base64url"
    except (ValueError, TypeError):
        errors["keys.auth"] = "must be base64url"
    if errors:
        raise InvalidInput("The subscription's keys are not valid.", errors)
    fields = {
        "user": user,
        "p256dh": p256dh,
        "auth": auth,
        "expiration_time": expiration_time,
        "failures": 0,
        "last_error": "",
    }
    limit = settings.PUSH_SUBSCRIPTIONS_PER_USER
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one subscribe at a time
        mine = PushSubscription.objects.filter(user=user)
        if not mine.filter(endpoint=endpoint).exists() and mine.count() >= limit:
            raise InvalidInput(
                f"Push is on for {limit} devices already, the most one account can have. "
                "Turn it off on a device you no longer use first.",
                {"endpoint": f"at most {limit} devices per account"},
            )
        subscription, created = PushSubscription.objects.update_or_create(
            endpoint=endpoint, defaults=fields
        )
    return subscription, created


def push_unsubscribe(*, user: User, subscription_id: int) -> None:
    delete_owned(PushSubscription.objects, user=user, pk=subscription_id, what="subscription")
