"""Who is calling: a personal API token (``Authorization: Bearer``) first, then the session cookie.

Token requests need no CSRF token (a browser never adds that header by itself); cookie requests
that change something do, as Django's CSRF protection asks.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from tracker.models import User
from tracker.selectors import accounts as selectors
from tracker.services import tokens as services

CSRF_MESSAGE = (
    "CSRF token missing or incorrect: GET /api/v1/auth/csrf, then send the csrftoken cookie's "
    "value in the X-CSRFToken header."
)


class AuthedRequest(HttpRequest):
    """The request of an operation behind ``AUTH``: ninja has put the signed-in user in ``auth``.

    Only an annotation for the operations' ``request`` (ninja finds that argument by its name)."""

    auth: User


def require_csrf(request: HttpRequest) -> None:
    """For cookie-based writes that have no auth of their own (signup, login, logout)."""
    if check_csrf(request) is not None:
        raise HttpError(403, CSRF_MESSAGE)


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = selectors.token_user(token)
        if found is None:
            return None
        api_token, user = found
        services.token_touch(token=api_token, now=timezone.now())
        request.user = user
        return user


class SessionCookieAuth(APIKeyCookie):
    """The browser's session. Unlike ninja's SessionAuth, no cookie means 401, not a CSRF 403."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        key = request.COOKIES.get(self.param_name)
        if not key:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, CSRF_MESSAGE)
        return key

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        return user if user.is_authenticated else None


AUTH = [BearerTokenAuth(), SessionCookieAuth()]
