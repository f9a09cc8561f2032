"""JSON rendering with orjson: about ten times faster than the standard encoder on a page of
sessions, and exact with times. Django's encoder cuts times to milliseconds; a client that sent
microseconds must get back exactly the instant it sent. UTC is written with ``Z``."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import orjson
from django.http import HttpRequest
from django.utils.duration import duration_iso_string
from django.utils.functional import Promise
from ninja.renderers import BaseRenderer
from pydantic import BaseModel

OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS


def _default(o: Any) -> Any:
    """What orjson leaves to us, written as Django's and ninja's encoders write it."""
    if isinstance(o, BaseModel):
        return o.model_dump()
    if isinstance(o, Decimal | Promise):
        return str(o)
    if isinstance(o, timedelta):
        return duration_iso_string(o)
    raise TypeError(f"{type(o).__name__} is not JSON serializable")


def dumps(data: Any) -> bytes:
    return orjson.dumps(data, default=_default, option=OPTIONS)


class ExactJSONRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:
        return dumps(data)
