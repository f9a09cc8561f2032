"""Domain errors. Services raise them; the API maps each once to its HTTP status."""

from __future__ import annotations


class DomainError(Exception):
    """Something the user asked for cannot be done; ``errors`` names the fields at fault."""

    status = 422

    def __init__(self, message: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class InvalidInput(DomainError):
    status = 422


class Unauthorized(DomainError):
    status = 401


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409


class Throttled(DomainError):
    status = 429

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds
