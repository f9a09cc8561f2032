"""JSON rendering: Django's encoder cuts times to milliseconds; a client that sent microseconds
must get back exactly the instant it sent."""

from datetime import datetime
from typing import Any

from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder


class ExactTimeEncoder(NinjaJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class ExactJSONRenderer(JSONRenderer):
    encoder_class = ExactTimeEncoder
