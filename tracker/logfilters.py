"""Secrets in links never reach the logs: the paths of share, calendar, reminder-off and
password-reset links carry tokens that act as passwords, and an access log line (Django's
development server, gunicorn's access log, Django's request warnings) would otherwise keep them
for anyone who reads the logs. ``MaskSecrets`` rewrites a record's message and arguments, its
request line and Referer included, with each token replaced by ``[masked]``."""

from __future__ import annotations

import logging
import re
from typing import Any

MASK = "[masked]"

# A path that holds a secret, and the secret's part of it (up to a space, quote, '?' or '#').
_SECRET_PATHS = re.compile(
    r"(?P<keep>/(?:password-reset/(?!confirm\b)|calendar/|reminders/off/|"
    r"api/v1/report/shared/))(?P<secret>[^\s\"'?#]+)"
)
# A secret in a query string or a JSON-ish body logged by mistake.
_SECRET_PARAMS = re.compile(r"(?P<keep>\b(?:token|uid)=)(?P<secret>[^\s&\"'#]+)")

# The loggers that write request lines; a filter on a logger sees the records logged on it.
ACCESS_LOGGERS = ("django.server", "django.request", "gunicorn.access", "gunicorn.error")


def mask(text: str) -> str:
    """``"GET /calendar/abc123.ics HTTP/1.1"`` -> ``"GET /calendar/[masked] HTTP/1.1"``."""
    text = _SECRET_PATHS.sub(lambda m: m.group("keep") + MASK, text)
    return _SECRET_PARAMS.sub(lambda m: m.group("keep") + MASK, text)


def _masked(value: Any) -> Any:
    return mask(value) if isinstance(value, str) else value


class MaskSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask(record.msg)
        if isinstance(record.args, dict):  # gunicorn's access log: its atoms, in its own dict
            for key, value in list(record.args.items()):
                record.args[key] = _masked(value)
        elif isinstance(record.args, tuple):
            record.args = tuple(_masked(value) for value in record.args)
        return True


def install() -> None:
    """Puts the filter on every logger that writes request lines (once)."""
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, MaskSecrets) for f in logger.filters):
            logger.addFilter(MaskSecrets())
