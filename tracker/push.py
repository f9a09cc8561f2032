"""Web Push delivery (RFC 8030, 8291 encryption, 8292 VAPID) through pywebpush. No rules here.

The server must never be made to POST to an address a client picks: endpoints are accepted only on
the known push services (matched on the parsed scheme, host and port), plus the prefixes in
``PUSH_ENDPOINT_ALLOW`` for self-hosted services and tests.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import threading
import time
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid
from pywebpush import WebPusher, WebPushException

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
VAPID_LIFETIME_SECONDS = 12 * 60 * 60  # the JWT's exp: well under the 24 h RFC 8292 allows
VAPID_RENEW_SECONDS = 60 * 60  # signed again once less than this is left


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


def p256_point_valid(p256dh: str) -> bool:
    """True when ``p256dh`` (base64url) is an uncompressed point on the P-256 curve, the only
    key a browser gives (RFC 8291 section 3.1); anything else would fail at every encryption."""
    try:
        point = b64url_decode(p256dh)
        if len(point) != 65 or point[0] != 4:
            return False
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except (ValueError, TypeError):
        return False
    return True


def topic_for(slot_key: str) -> str:
    """The ``Topic`` header (at most 32 base64url characters): a repeat for the same slot
    replaces the one still waiting at the push service instead of adding a second."""
    digest = hashlib.sha256(slot_key.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:32]


def origin_of(endpoint: str) -> str:
    """The push service's origin, the VAPID ``aud``: ``https://fcm.googleapis.com/fcm/send/x``
    -> ``https://fcm.googleapis.com``."""
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


class _SignedHeaders:
    """The VAPID ``Authorization`` header per push-service origin, signed once and reused until
    it is within ``VAPID_RENEW_SECONDS`` of its expiry (RFC 8292 allows at most 24 h). Signing is
    an ES256 signature per call; a rush sends thousands of pushes to a handful of origins."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.kept: dict[tuple[str, str, str], tuple[dict[str, str], float]] = {}

    def for_origin(self, origin: str) -> dict[str, str]:
        key = (settings.VAPID_PRIVATE_KEY, settings.VAPID_SUBJECT, origin)
        now = time.time()
        with self.lock:
            headers, expires = self.kept.get(key, ({}, 0.0))
            if expires - now > VAPID_RENEW_SECONDS:
                return headers
        expires = now + VAPID_LIFETIME_SECONDS
        claims = {"sub": settings.VAPID_SUBJECT, "aud": origin, "exp": int(expires)}
        headers = {str(k): str(v) for k, v in vapid().sign(claims).items()}
        with self.lock:
            self.kept[key] = (headers, expires)
        return headers

    def clear(self) -> None:
        with self.lock:
            self.kept.clear()


signed_headers = _SignedHeaders()


class _NoRedirects(requests.Session):
    """Push services answer directly; a redirect is never followed to another address."""

    max_redirects = 0

    def post(self, url: Any, data: Any = None, json: Any = None, **kwargs: Any) -> Any:
        kwargs["allow_redirects"] = False
        return super().post(url, data=data, json=json, **kwargs)


_local = threading.local()


def session_for(origin: str) -> requests.Session:
    """One keep-alive session per push-service origin and thread: its connection is reused for
    every push to that service (a requests session is not meant to be shared across threads)."""
    sessions: dict[str, requests.Session] | None = getattr(_local, "sessions", None)
    if sessions is None:
        sessions = _local.sessions = {}
    if origin not in sessions:
        session = _NoRedirects()
        # the environment's proxy for this service, looked up once rather than on every push
        session.proxies = requests.utils.get_environ_proxies(origin)
        session.trust_env = False
        sessions[origin] = session
    return sessions[origin]


@dataclass(frozen=True)
class PushResult:
    outcome: str  # "sent", "gone" (delete the subscription), "retry", "failed" (permanent)
    status: int | None = None
    detail: str = ""


def send(
    *, endpoint: str, p256dh: str, auth: str, payload: dict[str, Any], topic: str
) -> PushResult:
    """Encrypt ``payload`` for one subscription and POST it; never raises for one bad
    subscription, so a caller sending to many goes on with the others."""
    if not endpoint_allowed(endpoint, settings.PUSH_ENDPOINT_ALLOW):
        return PushResult("failed", None, "endpoint not allowed")
    origin = origin_of(endpoint)
    headers = {"Urgency": "normal", "Topic": topic, **signed_headers.for_origin(origin)}
    subscription = {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}
    try:
        response = WebPusher(subscription, requests_session=session_for(origin)).send(
            json.dumps(payload), headers, ttl=TTL_SECONDS, timeout=TIMEOUT_SECONDS
        )
    except requests.RequestException as exc:
        session_for(origin).close()  # a broken connection is not reused
        return PushResult("retry", None, f"{type(exc).__name__}: {exc}"[:200])
    except (WebPushException, ValueError, TypeError) as exc:
        # a key that is not a point on the curve, or not base64url: this subscription only
        return PushResult("failed", None, f"cannot encrypt for this device: {exc}"[:200])
    status = int(response.status_code)
    if status <= 202:
        return PushResult("sent", status)
    detail = f"push service answered {status} {response.reason or ''}".strip()[:200]
    if status in (404, 410):
        return PushResult("gone", status, "subscription expired")
    if status == 429 or status >= 500:
        return PushResult("retry", status, detail)
    return PushResult("failed", status, detail)
