"""Middleware for /api/ only.

The API reads JSON from the body whatever the Content-Type says, so Django must never try to
parse an /api/ body as a form: a JSON body labelled multipart or with an odd charset would fail
there (in the CSRF check, which looks for a form field) before the API could read it. And no
API answer may be kept by a cache on the way."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.datastructures import MultiValueDict


class JsonBodyMiddleware:
    """Django never parses an /api/ body as a form."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            request._post = QueryDict()  # type: ignore[attr-defined]
            request._files = MultiValueDict()  # type: ignore[attr-defined]
        return self.get_response(request)


class PrivateAnswersMiddleware:
    """Every API answer is someone's own data (or a share link's, or a sign-in's): no cache on
    the way may keep it, nor the browser's HTTP cache once the tab is gone. The service worker
    keeps its own copy of the reads it needs offline, and sign-out deletes that. An answer that
    says otherwise itself keeps its own ``Cache-Control``."""

    VALUE = "private, no-store"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", self.VALUE)
        return response
