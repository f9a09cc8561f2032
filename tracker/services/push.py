"""Push subscriptions: the browser's ``PushSubscription`` stored and removed."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.db import IntegrityError, transaction

from tracker.access import delete_owned
from tracker.errors import Conflict, InvalidInput
from tracker.models import (
    PushSubscription,
    User,
)
from tracker.push import b64url_decode, endpoint_allowed, p256_point_valid


def push_subscribe(
    *, user: User, endpoint: str, p256dh: str, auth: str, expiration_time: int | None
) -> tuple[PushSubscription, bool]:
    """Store the browser's subscription; the same endpoint again updates it (200, not 201).

    An endpoint another account registered is refused (``Conflict``) unless the same ``auth``
    secret comes with it: then it is the same browser, signed in to this account now, and the
    subscription moves here."""
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
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return _subscription_save(
                    user=user,
                    endpoint=endpoint,
                    p256dh=p256dh,
                    auth=auth,
                    expiration_time=expiration_time,
                )
        except IntegrityError:  # a twin request stored this endpoint a moment ago: read it
            continue
    raise Conflict("This subscription is being saved by another request; try again.")


def _subscription_save(
    *, user: User, endpoint: str, p256dh: str, auth: str, expiration_time: int | None
) -> tuple[PushSubscription, bool]:
    User.objects.select_for_update().filter(pk=user.pk).first()  # one subscribe at a time
    existing = PushSubscription.objects.select_for_update().filter(endpoint=endpoint).first()
    # An endpoint is one browser's. It moves to another account only when the caller proves it
    # is that browser, with the secret only the browser and this server know; otherwise anyone
    # who learnt an endpoint could take another user's reminders away. Asked first: an endpoint
    # that is not this account's to take is refused as taken, whatever this account's count.
    if (
        existing is not None
        and existing.user_id != user.pk
        and not hmac.compare_digest(existing.auth.encode(), auth.encode())
    ):
        raise Conflict(
            "These notifications belong to another account.",
            {"endpoint": "registered by another account"},
        )
    if existing is None or existing.user_id != user.pk:
        limit = settings.PUSH_SUBSCRIPTIONS_PER_USER
        if PushSubscription.objects.filter(user=user).count() >= limit:
            raise InvalidInput(
                f"Push is on for {limit} devices already, the most one account can have. "
                "Turn it off on a device you no longer use first.",
                {"endpoint": f"at most {limit} devices per account"},
            )
    if existing is None:
        subscription = PushSubscription(
            user=user, endpoint=endpoint, p256dh=p256dh, auth=auth, expiration_time=expiration_time
        )
        with transaction.atomic():
            subscription.save(force_insert=True)
        return subscription, True
    existing.user = user
    existing.p256dh, existing.auth, existing.expiration_time = p256dh, auth, expiration_time
    existing.failures, existing.last_error = 0, ""  # new keys: earlier failures no longer count
    existing.save(
        update_fields=["user", "p256dh", "auth", "expiration_time", "failures", "last_error"]
    )
    return existing, False


def push_unsubscribe(*, user: User, subscription_id: int) -> None:
    delete_owned(PushSubscription.objects, user=user, pk=subscription_id, what="subscription")
