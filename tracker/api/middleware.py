"""The API reads JSON from the body whatever the Content-Type says, so Django must never try to
parse an /api/ body as a form: a JSON body labelled multipart or with an odd charset would fail
there (in the CSRF check, which looks for a form field) before the API could read it."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.datastructures import MultiValueDict


class JsonBodyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            request._post = QueryDict()  # type: ignore[attr-defined]
            request._files = MultiValueDict()  # type: ignore[attr-defined]
        return self.get_response(request)
