"""Web Push: the server's key, the browser's subscriptions, a test send."""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator

from tracker.api.schemas.common import NO_NUL, In, _no_nul


class PushKeys(In):
    p256dh: Annotated[
        str, Field(min_length=1, max_length=200, json_schema_extra=NO_NUL), AfterValidator(_no_nul)
    ]
    auth: Annotated[
        str, Field(min_length=1, max_length=100, json_schema_extra=NO_NUL), AfterValidator(_no_nul)
    ]


class PushSubscriptionIn(In):
    endpoint: Annotated[
        str, Field(min_length=1, max_length=2048, json_schema_extra=NO_NUL), AfterValidator(_no_nul)
    ]
    expirationTime: Annotated[int, Field(ge=0, le=2**62)] | None = None
    keys: PushKeys


class PushSubscriptionOut(Schema):
    id: int
    endpoint: str
    expirationTime: int | None = Field(None, alias="expiration_time")


class VapidKeyOut(Schema):
    key: str


class PushTestOut(Schema):
    sent: int
    failed: int
    detail: str
