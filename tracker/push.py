"""Web Push delivery (RFC 8030, 8291 encryption, 8292 VAPID) through pywebpush. No rules here.

The server must never be made to POST to an address a client picks: endpoints are accepted only on
the known push services (matched on the parsed scheme, host and port), plus the prefixes in
``PUSH_ENDPOINT_ALLOW`` for self-hosted services and tests.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import logging
import re
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

logger = logging.getLogger(__name__)

# (host, or a parent domain when it starts with a dot), all https on port 443
KNOWN_PUSH_HOSTS = (
    "fcm.googleapis.com",  # Google FCM (Chrome, Edge on Android)
    ".push.services.mozilla.com",  # Mozilla autopush (Firefox)
    ".push.apple.com",  # Apple web push (Safari)
    ".notify.windows.com",  # Microsoft WNS (Edge on Windows)
)
# A URL is printable ASCII (RFC 3986): no spaces, control characters or other scripts
_PRINTABLE_ASCII = re.compile(r"[\x21-\x7e]+").fullmatch
_B64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}").fullmatch
TTL_SECONDS = 4 * 60 * 60  # a phone offline for a few hours still gets it
TIMEOUT_SECONDS = 10


def _port(parts: Any) -> int | None:
    try:
        port = parts.port
    except ValueError:
        return None
    return port or {"https": 443, "http": 80}.get(parts.scheme)


def endpoint_allowed(endpoint: str, extra_prefixes: list[str] | tuple[str, ...] = ()) -> bool:
    """True for an https endpoint on a known push service, or under an allowed prefix.

    ``https://fcm.googleapis.com/fcm/send/abc`` -> True; ``https://fcm.googleapis.com.evil.io/``,
    ``https://evil.io/?fcm.googleapis.com``, ``http://fcm.googleapis.com/`` -> False.
    """
    if not isinstance(endpoint, str) or len(endpoint) > 2048 or not _PRINTABLE_ASCII(endpoint):
        return False
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    if not host or parts.username or parts.password:
        return False
    port = _port(parts)
    for prefix in extra_prefixes:
        allowed = urlsplit(prefix.strip())
        if (
            parts.scheme == allowed.scheme
            and host == (allowed.hostname or "").lower()
            and port == _port(allowed)
            and parts.path.startswith(allowed.path or "/")
        ):
            return True
    if parts.scheme != "https" or port != 443:
        return False
    return any(
        host == known or (known.startswith(".") and host.endswith(known) and host != known[1:])
        for known in KNOWN_PUSH_HOSTS
    )


def b64url_decode(value: str) -> bytes:
    """Base64url, padded or not; anything outside its alphabet is refused (``ValueError``), not
    skipped as ``base64.urlsafe_b64decode`` would."""
    if not isinstance(value, str) or not _B64URL(value):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


@cache
def vapid() -> Vapid:
    key = settings.VAPID_PRIVATE_KEY
    if not key:
        raise RuntimeError("VAPID_PRIVATE_KEY is not set")
    if "BEGIN" in key:
        return Vapid.from_pem(key.encode())
    return Vapid.from_string(key)


def topic_for(slot_key: str) -> str:
    """The ``Topic`` header (at most 32 base64url characters): a repeat for the same slot
    replaces the one still waiting at the push service instead of adding a second."""
    digest = hashlib.sha256(slot_key.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:32]


class _NoRedirects(requests.Session):
    """Push services answer directly; a redirect is never followed to another address."""

    max_redirects = 0

    def post(self, url: Any, data: Any = None, json: Any = None, **kwargs: Any) -> Any:
        kwargs["allow_redirects"] = False
        return super().post(url, data=data, json=json, **kwargs)


@dataclass(frozen=True)
class PushResult:
    outcome: str  # "sent", "gone" (delete the subscription), "retry", "failed"
    status: int | None = None
    detail: str = ""


def send(
    *, endpoint: str, p256dh: str, auth: str, payload: dict[str, Any], topic: str
) -> PushResult:
    if not endpoint_allowed(endpoint, settings.PUSH_ENDPOINT_ALLOW):
        return PushResult("failed", None, "endpoint not allowed")
    claims = copy.deepcopy({"sub": settings.VAPID_SUBJECT})  # pywebpush adds aud and exp to it
    try:
        response = webpush(
            subscription_info={"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}},
            data=json.dumps(payload),
            vapid_private_key=vapid(),
            vapid_claims=claims,
            ttl=TTL_SECONDS,
            headers={"Urgency": "normal", "Topic": topic},
            timeout=TIMEOUT_SECONDS,
            requests_session=_NoRedirects(),
        )
    except WebPushException as exc:
        status = exc.response.status_code if exc.response is not None else None
        if status in (404, 410):
            return PushResult("gone", status, "subscription expired")
        if status is None or status == 429 or status >= 500:
            return PushResult("retry", status, str(exc)[:200])
        logger.warning("push refused with %s: %s", status, str(exc)[:200])
        return PushResult("failed", status, str(exc)[:200])
    except requests.RequestException as exc:
        return PushResult("retry", None, f"{type(exc).__name__}: {exc}"[:200])
    return PushResult("sent", getattr(response, "status_code", None))
