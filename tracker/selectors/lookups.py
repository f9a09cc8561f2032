"""Lookups of the project's own, used as expressions in ``filter()``.

psycopg keeps the parsed form of a statement only while it has at most 50 parameters; a longer
one is parsed again, in Python, every time it runs. A reminder batch of 50 names 50 deliveries,
50 people and then some, and parsing those statements cost it more than its reads and writes.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.lookups import In
from django.db.models.sql.compiler import SQLCompiler
from django.utils.datastructures import OrderedSet


class AnyOf(In[Any]):
    """``AnyOf(F("id"), ids)``, as ``id__in=ids``: on PostgreSQL ``id = ANY(%s)`` with the
    values as one array parameter, whatever their number; elsewhere ``IN (...)``."""

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[Any, ...]]:
        if not self.rhs_is_direct_value():
            return self.as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        given = OrderedSet(v for v in self.rhs if v is not None)
        if not given:
            raise EmptyResultSet
        _, values = self.batch_process_rhs(compiler, connection, given)
        return f"{lhs} = ANY(%s)", (*lhs_params, list(values))
