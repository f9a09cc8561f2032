"""Web Push delivery (RFC 8030, 8291 encryption, 8292 VAPID). No rules here.

Each message is encrypted with ``http_ece`` and POSTed on a kept-alive ``http.client``
connection to its push service, one per service and thread; the VAPID token is signed once per
service and reused. A rush sends thousands of pushes to a handful of services, so what a push
costs beyond its cryptography is kept to one plain HTTP/1.1 request.

The server must never be made to POST to an address a client picks: endpoints are accepted only on
the known push services (matched on the parsed scheme, host and port), plus the prefixes in
``PUSH_ENDPOINT_ALLOW`` for self-hosted services and tests.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import logging
import re
import select
import socket
import ssl
import threading
import time
import urllib.request
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, NamedTuple
from urllib.parse import unquote, urlsplit

import certifi
import http_ece
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid

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


@lru_cache(maxsize=64)
def _prefix_parts(prefix: str) -> tuple[str, str, int | None, str]:
    """An allowed prefix's scheme, host, port and path, worked out once, not at every push."""
    allowed = urlsplit(prefix.strip())
    return allowed.scheme, (allowed.hostname or "").lower(), _port(allowed), allowed.path or "/"


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
        scheme, allowed_host, allowed_port, path = _prefix_parts(prefix)
        if (
            parts.scheme == scheme
            and host == allowed_host
            and port == allowed_port
            and parts.path.startswith(path)
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


class _Route(NamedTuple):
    """How this thread reaches one push service: its kept-alive connection, and what a request
    says beside the path (only a plain-http proxy is asked for the whole URL)."""

    connection: http.client.HTTPConnection
    whole_url: bool
    headers: dict[str, str]  # for the proxy


@cache
def _tls() -> ssl.SSLContext:
    """Certificates checked against certifi's authorities, the same on every machine."""
    return ssl.create_default_context(cafile=certifi.where())


def _route(origin: str) -> _Route:
    """A connection to ``origin``, or through the environment's proxy for it (an http proxy,
    with its credentials if the URL has them): https through a CONNECT tunnel, plain http by
    asking the proxy for the whole URL."""
    parts = urlsplit(origin)
    host, port = parts.hostname or "", _port(parts)
    proxy = urllib.request.getproxies().get(parts.scheme)
    if not proxy or urllib.request.proxy_bypass(parts.netloc):
        if parts.scheme == "https":
            return _Route(http.client.HTTPSConnection(host, port, context=_tls()), False, {})
        return _Route(http.client.HTTPConnection(host, port), False, {})
    via = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    credentials = {}
    if via.username:
        secret = f"{unquote(via.username)}:{unquote(via.password or '')}".encode()
        credentials["Proxy-Authorization"] = f"Basic {base64.b64encode(secret).decode()}"
    if parts.scheme == "https":
        tunnel = http.client.HTTPSConnection(via.hostname or "", _port(via), context=_tls())
        tunnel.set_tunnel(host, port, headers=credentials)
        return _Route(tunnel, False, {})
    return _Route(http.client.HTTPConnection(via.hostname or "", _port(via)), True, credentials)


class _Connections(threading.local):
    """This thread's kept-alive connection to each push service: a rush sends thousands of
    pushes to a handful of services, each a plain HTTP/1.1 request on a connection already open
    (a connection serves one request at a time, so one per thread). Redirects are never
    followed: push services answer directly."""

    def __init__(self) -> None:
        self.kept: dict[str, _Route] = {}

    def for_origin(self, origin: str, timeout: float) -> _Route:
        route = self.kept.get(origin)
        if route is None:
            route = self.kept[origin] = _route(origin)
        connection = route.connection
        connection.timeout = timeout  # for the next connect
        sock = connection.sock
        if sock is not None:
            if _dropped(sock):  # closed by the service while idle: opened again on request
                connection.close()
            elif sock.gettimeout() != timeout:
                sock.settimeout(timeout)
        return route


def _dropped(sock: socket.socket) -> bool:
    """True when an idle kept-alive connection has something to read: the service closed it
    (or sent what it should not have); it is not used again."""
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


connections = _Connections()


def encrypt(plain: bytes, *, p256dh: str, auth: str) -> bytes:
    """``plain`` encrypted for one subscription (RFC 8291, aes128gcm), with a fresh ECDH key.
    Raises ``ValueError`` (or ``http_ece.ECEException``) for keys no browser would give."""
    return bytes(
        http_ece.encrypt(
            plain,
            private_key=ec.generate_private_key(ec.SECP256R1()),
            dh=b64url_decode(p256dh),
            auth_secret=b64url_decode(auth),
            version="aes128gcm",
        )
    )


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
    try:
        body = encrypt(json.dumps(payload).encode(), p256dh=p256dh, auth=auth)
    except (http_ece.ECEException, ValueError, TypeError) as exc:
        # a key that is not a point on the curve, or not base64url: this subscription only
        return PushResult("failed", None, f"cannot encrypt for this device: {exc}"[:200])
    headers = {
        "Content-Encoding": "aes128gcm",
        "TTL": str(TTL_SECONDS),
        "Urgency": "normal",
        "Topic": topic,
        **signed_headers.for_origin(origin),
    }
    route = connections.for_origin(origin, TIMEOUT_SECONDS)
    parts = urlsplit(endpoint)
    path = f"{parts.path or '/'}?{parts.query}" if parts.query else parts.path or "/"
    try:
        route.connection.request(
            "POST", endpoint if route.whole_url else path, body=body,
            headers={**headers, **route.headers},
        )  # fmt: skip
        response = route.connection.getresponse()
        response.read()
    except (OSError, http.client.HTTPException) as exc:
        route.connection.close()  # a broken connection is not reused
        return PushResult("retry", None, f"{type(exc).__name__}: {exc}"[:200])
    status = response.status
    if status <= 202:
        return PushResult("sent", status)
    detail = f"push service answered {status} {response.reason or ''}".strip()[:200]
    if status in (404, 410):
        return PushResult("gone", status, "subscription expired")
    if status == 429 or status >= 500:
        return PushResult("retry", status, detail)
    return PushResult("failed", status, detail)
