"""Web Push: the server's key, the browser's subscriptions, a test send."""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator
from pydantic.config import JsonDict

from tracker.api.schemas.common import In, _no_nul

# What the service checks (tracker/push.py), documented for clients: base64url keys, and an
# endpoint of printable ASCII (a URL has no spaces or control characters).
BASE64URL: JsonDict = {"pattern": "^[A-Za-z0-9_-]+={0,2}$"}
URL_TEXT: JsonDict = {"pattern": "^[!-~]+$"}


PublicKey = Annotated[
    str,
    Field(min_length=1, max_length=200, json_schema_extra=BASE64URL),
    AfterValidator(_no_nul),
]
AuthSecret = Annotated[
    str,
    Field(min_length=1, max_length=100, json_schema_extra=BASE64URL),
    AfterValidator(_no_nul),
]
Endpoint = Annotated[
    str,
    Field(min_length=1, max_length=2048, json_schema_extra=URL_TEXT),
    AfterValidator(_no_nul),
]


class PushKeys(In):
    p256dh: PublicKey
    auth: AuthSecret


class PushSubscriptionIn(In):
    endpoint: Endpoint
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
