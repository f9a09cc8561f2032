"""Throttles for the endpoints an attacker would hammer: sign-up, sign-in, token creation, the
password checks (deleting the account, changing the password or email), password-reset emails
(per client address and per email address asked about), push tests (each one a push to every
device) and imports (each may write thousands of rows). Counted in the Django cache
(``CACHE_URL``: Redis in production, so every web process shares the count), rates from
``settings.THROTTLE_RATES`` (read on each request, so a deployment or a test can change them).
Over the rate: 429 with ``Retry-After``. Failed sign-ins are also locked per account and
address by django-axes."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle


class ScopedThrottle(SimpleRateThrottle):
    """``rate`` requests per period for each client address (``by="address"``) or each signed-in
    user (``by="user"``), counted separately per ``scope``."""

    scope: str  # always given here (ninja's base allows none)

    def __init__(self, scope: str, *, by: str = "address") -> None:
        self.scope = scope
        self.by = by
        super().__init__(rate=settings.THROTTLE_RATES[scope])

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = settings.THROTTLE_RATES[self.scope]
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "auth", None)
        ident = f"user-{user.pk}" if self.by == "user" and user is not None else None
        return self.cache_format % {"scope": self.scope, "ident": ident or self.get_ident(request)}


class EmailThrottle(ScopedThrottle):
    """Counted per email address in the body (whoever asks), so one inbox cannot be flooded from
    many addresses. The address is kept in the cache only as a digest."""

    def get_cache_key(self, request: HttpRequest) -> str | None:
        try:
            body = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            body = None
        email = body.get("email") if isinstance(body, dict) else None
        if not isinstance(email, str) or not email.strip():
            return None  # nothing to count: the request is refused as invalid anyway
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}


SIGNUP = ScopedThrottle("signup")
LOGIN = ScopedThrottle("login")
TOKENS = ScopedThrottle("tokens", by="user")
PASSWORD = ScopedThrottle("password", by="user")
RESET = ScopedThrottle("reset")
RESET_EMAIL = EmailThrottle("reset_email")
PUSH_TEST = ScopedThrottle("push_test", by="user")
IMPORT = ScopedThrottle("import", by="user")
