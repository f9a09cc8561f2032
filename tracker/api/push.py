"""Web Push: the server's public key and the browser's subscriptions."""

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Status

from tracker import dispatch
from tracker.api import throttles
from tracker.api.schemas.common import ErrorOut
from tracker.api.schemas.push import (
    PushSubscriptionIn,
    PushSubscriptionOut,
    PushTestOut,
    VapidKeyOut,
)
from tracker.api.security import AuthedRequest
from tracker.models import PushSubscription
from tracker.services import push as services

router = Router(tags=["push"])


@router.get("/vapid-public-key", response=VapidKeyOut, auth=None)
def vapid_public_key(request: HttpRequest) -> dict[str, str]:
    """The application server key for ``pushManager.subscribe`` (base64url; public)."""
    return {"key": settings.VAPID_PUBLIC_KEY}


@router.post(
    "/subscriptions",
    response={200: PushSubscriptionOut, 201: PushSubscriptionOut, 409: ErrorOut, 422: ErrorOut},
)
def subscribe(request: AuthedRequest, payload: PushSubscriptionIn) -> Status[PushSubscription]:
    """The browser's ``PushSubscription.toJSON()``, as it is. An endpoint another account
    registered answers 409 and stays theirs, unless the same ``keys.auth`` comes with it (the
    same browser, now signed in here)."""
    subscription, created = services.push_subscribe(
        user=request.auth,
        endpoint=payload.endpoint,
        p256dh=payload.keys.p256dh,
        auth=payload.keys.auth,
        expiration_time=payload.expirationTime,
    )
    return Status(201 if created else 200, subscription)


@router.delete("/subscriptions/{subscription_id}", response={204: None, 404: ErrorOut})
def unsubscribe(request: AuthedRequest, subscription_id: int) -> Status[None]:
    services.push_unsubscribe(user=request.auth, subscription_id=subscription_id)
    return Status(204, None)


@router.post(
    "/test",
    response={200: PushTestOut, 404: ErrorOut, 429: ErrorOut},
    throttle=[throttles.PUSH_TEST],
)
def send_test(request: AuthedRequest) -> object:
    """A test notification to every device of yours with push turned on, sent now (a few a
    quarter of an hour per account)."""
    return dispatch.push_test_send(user=request.auth)
