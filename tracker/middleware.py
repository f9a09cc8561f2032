"""Response headers Django has no setting for, and a busy database's answer outside the API."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from tracker import busy

logger = logging.getLogger(__name__)


class PermissionsPolicyMiddleware:
    """Adds ``Permissions-Policy`` (settings.PERMISSIONS_POLICY) to every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class BusyDatabaseMiddleware:
    """A page or form outside the API (the email's "turn this reminder off", the admin) that
    meets a busy database answers 503 with ``Retry-After``, as the API does, not a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not busy.database_busy(exception):
            return None
        logger.warning("Database busy in %s %s: answered 503", request.method, request.path)
        response = HttpResponse(busy.MESSAGE, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(busy.RETRY_AFTER_SECONDS)
        return response
