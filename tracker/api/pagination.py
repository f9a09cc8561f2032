"""Pagination for lists: ``limit`` (1-200, default 50) and ``offset``, both bounded so that no
number a client sends can reach the database out of range."""

from typing import Any

from django.db.models import Count, Window
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 200
MAX_OFFSET = 1_000_000_000


class Page(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


class SessionPage(Page):
    """A page of sessions, how many there are and every session's sets, from one query (the
    count is a window over the same rows; the sets a JSON array per session)."""

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        from tracker.selectors import with_set_dicts

        offset = pagination.offset
        counted = queryset.annotate(total_count=Window(Count("pk")))
        items = list(counted[offset : offset + min(pagination.limit, self.max_limit)])
        if items:
            count = items[0].total_count
        else:  # past the end (or nothing at all): the window had no row to ride on
            count = queryset.count() if offset else 0
        return {self.items_attribute: with_set_dicts(items), "count": count}
