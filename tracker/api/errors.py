"""One mapping from failures to JSON answers: ``{"detail": ..., "errors": {field: message}}``."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja import errors as ninja_errors
from ninja.errors import AuthenticationError, HttpError, ValidationError

from tracker import busy
from tracker.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    Throttled,
    Unauthorized,
)

logger = logging.getLogger(__name__)

# Each kind of domain error as HTTP means it.
STATUS: dict[type[DomainError], int] = {
    InvalidInput: 422,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    Throttled: 429,
}


def status_of(exc: DomainError) -> int:
    """The status of the nearest kind the error is (422 for a plain ``DomainError``)."""
    return next((STATUS[kind] for kind in type(exc).__mro__ if kind in STATUS), 422)


# Names of the parameters that carry a body or query schema; not part of a field's path.
_CONTAINERS = {"payload", "filters"}


def field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """``("body", "payload", "sets", 0, "reps")`` -> ``"sets.0.reps"``."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form"):
        parts = parts[1:]
    if parts and parts[0] in _CONTAINERS:
        parts = parts[1:]
    return ".".join(str(p) for p in parts) or "body"


def _plural(n: object, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# pydantic's checks, in sentences a person can act on (every client shows these as they are)
_SENTENCES: dict[str, Callable[[dict[str, Any]], str]] = {
    "missing": lambda c: "This field is required.",
    "string_too_short": lambda c: (
        "This must not be empty."
        if c.get("min_length") == 1
        else f"Use at least {_plural(c.get('min_length'), 'character')}."
    ),
    "string_too_long": lambda c: f"Use at most {_plural(c.get('max_length'), 'character')}.",
    "too_long": lambda c: f"Send at most {_plural(c.get('max_length'), 'item')}.",
    "greater_than_equal": lambda c: f"Use a number of at least {c.get('ge')}.",
    "less_than_equal": lambda c: f"Use a number of at most {c.get('le')}.",
    "greater_than": lambda c: f"Use a number above {c.get('gt')}.",
    "less_than": lambda c: f"Use a number below {c.get('lt')}.",
    "int_type": lambda c: "Use a whole number.",
    "int_parsing": lambda c: "Use a whole number.",
    "int_from_float": lambda c: "Use a whole number.",
    "bool_type": lambda c: "Use true or false.",
    "string_type": lambda c: "Use text.",
}


def _sentence(text: str) -> str:
    """A message as a sentence: capital first letter, full stop at the end."""
    text = text.strip()
    if not text:
        return "This is not valid."
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _message(error: dict[str, Any]) -> str:
    sentence = _SENTENCES.get(str(error.get("type")))
    if sentence is not None:
        return str(sentence(error.get("ctx") or {}))
    msg = str(error.get("msg", "is not valid"))
    return _sentence(msg.removeprefix("Value error, "))


def retry_after_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """django-axes calls this when a login is locked out: JSON 429 with ``Retry-After``."""
    seconds = retry_after_seconds()
    response = JsonResponse(
        {
            "detail": "Too many failed sign-in attempts. Try again later.",
            "errors": {"email": "too many failed attempts"},
            "retry_after": seconds,
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def busy_response(request: HttpRequest) -> HttpResponse:
    """503 with ``Retry-After``: the database was too busy (``tracker/busy.py``); the same
    request will work in a moment, and what it changed was rolled back."""
    logger.warning("Database busy in %s %s: answered 503", request.method, request.path)
    response = JsonResponse({"detail": busy.MESSAGE}, status=503)
    response["Retry-After"] = str(busy.RETRY_AFTER_SECONDS)
    return response


def _duration(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    return f"{seconds} seconds" if seconds < 90 else f"{minutes} minutes"


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors: dict[str, str] = {}
        for error in exc.errors:
            errors.setdefault(field_path(error.get("loc", ())), _message(error))
        return api.create_response(
            request, {"detail": "Some fields are not valid.", "errors": errors}, status=422
        )

    @api.exception_handler(DomainError)
    def domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        response = api.create_response(
            request, {"detail": exc.message, "errors": exc.errors}, status=status_of(exc)
        )
        if isinstance(exc, Throttled):
            response["Retry-After"] = str(exc.retry_after_seconds)
        return response

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request,
            {"detail": "Sign in first, or send a personal API token as 'Authorization: Bearer'."},
            status=401,
        )

    @api.exception_handler(ninja_errors.Throttled)
    def throttled(request: HttpRequest, exc: ninja_errors.Throttled) -> HttpResponse:
        seconds = max(1, math.ceil(exc.wait or 1))
        response = api.create_response(
            request,
            {"detail": f"Too many attempts. Try again in {_duration(seconds)}."},
            status=429,
        )
        response["Retry-After"] = str(seconds)
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return api.create_response(
            request, {"detail": "The request body is too large."}, status=413
        )

    @api.exception_handler(SuspiciousOperation)
    def unreadable(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return api.create_response(
            request, {"detail": "The request could not be read."}, status=400
        )

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        if busy.database_busy(exc):
            return busy_response(request)
        logger.exception("Unhandled error in %s %s", request.method, request.path)
        return api.create_response(
            request,
            {"detail": "Something went wrong on our side. Please try again."},
            status=500,
        )
