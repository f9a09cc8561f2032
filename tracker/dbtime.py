"""Reading timestamps from PostgreSQL with psycopg's compiled parser.

Django's psycopg 3 backend reads every ``timestamptz`` through a loader derived from psycopg's
pure-Python one, so the C parser that psycopg-binary ships is never used (Django ticket #36960,
psycopg issue #1273). Each session, set list and check-in row read carries such timestamps, and
parsing them was about a twentieth of a progress read. On each new connection this puts back a
loader that parses with the compiled class and then does what Django's does: attach the
connection's time zone (UTC). Without psycopg-binary, or on SQLite, nothing changes.
"""

from __future__ import annotations

from typing import Any

from psycopg.abc import AdaptContext
from psycopg.adapt import Loader
from psycopg.types.datetime import TimestamptzLoader

TIMESTAMPTZ = "timestamptz"


def compiled_timestamptz_loader(context: AdaptContext) -> type[Loader] | None:
    """psycopg-binary's timestamptz loader, or None when only the Python one is installed.

    ``_get_optimised`` is psycopg's own lookup of a Python class's compiled twin; the compiled
    class is final, so it is wrapped, not subclassed."""
    optimised = context.adapters._get_optimised(TimestamptzLoader)
    return None if optimised is TimestamptzLoader else optimised


def use_compiled_timestamps(sender: object, connection: Any, **_: object) -> None:
    """``connection_created`` receiver: on a PostgreSQL connection, read ``timestamptz`` with
    the compiled parser, in the connection's time zone as Django does."""
    if connection.vendor != "postgresql":
        return
    raw = connection.connection
    compiled = compiled_timestamptz_loader(raw)
    if compiled is None:
        return

    class CompiledTzLoader(Loader):
        # Django's own loader keeps the zone here; a cursor whose connection disagrees with it
        # gets Django's loader back (``DatabaseWrapper.create_cursor``).
        timezone = connection.timezone

        def __init__(self, oid: int, context: AdaptContext | None = None) -> None:
            super().__init__(oid, context)
            self._parse = compiled(oid, context).load

        def load(self, data: Any) -> Any:
            return self._parse(data).replace(tzinfo=self.timezone)

    raw.adapters.register_loader(TIMESTAMPTZ, CompiledTzLoader)
