"""Pagination for lists: ``limit`` (1-200, default 50) and ``offset``, both bounded so that no
number a client sends can reach the database out of range."""

from typing import Any

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
    """A page of sessions, with every session's sets from one query of plain rows."""

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        from tracker.selectors import with_set_dicts

        page = super().paginate_queryset(queryset, pagination, request, **params)
        page[self.items_attribute] = with_set_dicts(list(page[self.items_attribute]))
        return page
