"""A database that is busy: which failures mean "the same request will work in a moment".

On the embedded database (SQLite) one writer at a time holds the write lock; another waits up to
its busy timeout and then fails with "database is locked". PostgreSQL has the like when a lock
wait or a statement runs out of time, and for a transaction it had to cancel to keep others
consistent. None of these is the request's fault or a fault in the server: the answer is 503
with ``Retry-After`` (the PWA's outbox sends again after it), never a 500.
"""

from __future__ import annotations

from typing import Any

from django.db import OperationalError

RETRY_AFTER_SECONDS = 5
MESSAGE = "The server is busy with another change just now. Try again in a few seconds."

# SQLite's messages for SQLITE_BUSY and SQLITE_LOCKED
_SQLITE_BUSY = ("database is locked", "database is busy", "database table is locked")
# PostgreSQL's SQLSTATEs: lock_not_available, serialization_failure, deadlock_detected
_POSTGRES_TRY_AGAIN = {"55P03", "40001", "40P01"}


def database_busy(exc: BaseException) -> bool:
    """True when ``exc`` says the database was too busy to do this now, not that it cannot."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate in _POSTGRES_TRY_AGAIN:
        return True
    message = str(exc).lower()
    return any(text in message for text in _SQLITE_BUSY)


def sqlite_features_without_the_lock(sender: object, connection: Any, **kwargs: Any) -> None:
    """Django learns whether SQLite has JSON by a query inside a transaction (the first time a
    connection needs it); with IMMEDIATE transactions that takes the write lock, so a connection
    that first asks while another writer holds the lock past the busy timeout decides "no JSON"
    for its whole life and every read that builds JSON (the sessions list) fails. A plain read
    answers the same question without the lock. (``connection_created``.)"""
    if connection.vendor != "sqlite" or "supports_json_field" in vars(connection.features):
        return
    with connection.cursor() as cursor:
        try:
            cursor.execute("""SELECT JSON('{"a": "b"}')""")
        except OperationalError:
            return  # no JSON1: Django's own check will say so
    connection.features.supports_json_field = True
