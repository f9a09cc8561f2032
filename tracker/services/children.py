"""Rows that belong to one parent row and are always replaced together: a session's sets, a
routine's items. An edit sends the whole new list, so the old rows go and the new ones come in
one statement each, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db.models import Model

M = TypeVar("M", bound=Model)


def children_replace(related: Any, built: Sequence[M]) -> None:
    """Replace every row of ``related`` (a reverse foreign-key manager, like ``session.sets``)
    with ``built``, already validated and pointing at the parent."""
    related.all().delete()
    related.model.objects.bulk_create(built)
