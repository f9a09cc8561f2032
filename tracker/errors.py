"""Domain errors: what cannot be done, in the user's words. Services raise them; the API maps
each kind to its HTTP status once (``tracker/api/errors.py``), so nothing below the API knows
HTTP."""

from __future__ import annotations


class DomainError(Exception):
    """Something the user asked for cannot be done; ``errors`` names the fields at fault."""

    def __init__(self, message: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class InvalidInput(DomainError):
    """The input breaks a rule: a date in the future, an unknown exercise, a weak password."""


class Unauthorized(DomainError):
    """The credentials are wrong."""


class NotFound(DomainError):
    """There is no such object for this user: it does not exist, or it is another user's (the
    two look the same, so ids reveal nothing about other accounts)."""


class Forbidden(DomainError):
    """The object is visible but not changeable (a starter routine), or a password check
    failed."""


class Conflict(DomainError):
    """The request clashes with what is stored: an email already registered, a date already
    checked in."""


class Throttled(DomainError):
    """Too many attempts; try again after ``retry_after_seconds``."""

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds
