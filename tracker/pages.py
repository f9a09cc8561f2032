"""The PWA's pages: where each one lives and which API reads it makes as it opens.

One table for every place that needs a page's path: the URL conf that serves the pages
(frontend/urls.py), the links the server writes (reminder notifications and emails, report share
links), and the service worker, which gets the table from ``GET /api/v1/vocabulary`` and keeps
each offline page and its reads, so the app opens with the user's data without a signal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlencode

from django.conf import settings

ME = "auth/me"  # every page asks who is signed in first
VOCABULARY = "vocabulary"


@dataclass(frozen=True)
class Page:
    path: str
    # the API reads (under /api/v1/) the page makes as it opens, exactly as it makes them: the
    # service worker answers each from its cache when offline, so each must be fetched once online
    reads: tuple[str, ...] = ()
    # kept for offline use; the shared report is a physiotherapist's view of someone else's data
    offline: bool = True


PAGES: Final[dict[str, Page]] = {
    "today": Page(
        "/",
        (ME, "progress/weekly?weeks=2", "sessions?limit=5", "routines", "exercises", "reminders"),
    ),
    "log": Page(
        "/log",
        (ME, VOCABULARY, "exercises", "routines", "sessions?limit=20", "progress/weekly?weeks=2"),
    ),
    "progress": Page("/progress", (ME, VOCABULARY, "progress/weekly?weeks=12")),
    "reminders": Page("/reminders", (ME, "reminders")),
    "history": Page(
        "/history", (ME, "exercises", VOCABULARY, "sessions?limit=20&offset=0", "checkins?limit=30")
    ),
    "exercises": Page("/exercises", (ME, "exercises")),
    "routines": Page("/routines", (ME, "exercises", "routines", VOCABULARY)),
    "why": Page("/why", (ME,)),
    "account": Page("/account", (ME, "profile")),
    "checkin": Page("/checkin", (ME, VOCABULARY, "checkins?limit=30")),
    "morning_check": Page("/checkin/morning", (VOCABULARY,)),  # opened from a notification
    "report": Page("/report", (ME, "report?weeks=12", "report/shares")),
    "report_shared": Page("/report/shared", offline=False),  # the token is in the fragment
    "signin": Page("/signin"),
    "signup": Page("/signup"),
    # the account's emailed links: not kept offline (each needs the server at once)
    "password_reset": Page("/password-reset", offline=False),
    "password_reset_confirm": Page("/password-reset/<uidb64>/<token>", offline=False),
    "email_confirm": Page("/account/email", offline=False),  # the token is in the fragment
}

# "<name>" in a page's path is a part of the path given when linking to it (a URL conf route)
_PART = re.compile(r"<(\w+)>")


def page_path(name: str, *, fragment: str | None = None, **query: object) -> str:
    """The page's path with its query: ``page_path("morning_check", session=5)`` is
    ``"/checkin/morning?session=5"``; a notification opens it inside the app. A parameter given
    as None is left out. The parts a path names go into it:
    ``page_path("password_reset_confirm", uidb64="MQ", token="abc")`` is
    ``"/password-reset/MQ/abc"``."""
    query = dict(query)
    path = _PART.sub(lambda part: str(query.pop(part.group(1))), PAGES[name].path)
    given = {key: value for key, value in query.items() if value is not None}
    if given:
        path += "?" + urlencode(given)
    if fragment is not None:
        path += "#" + fragment
    return path


def page_link(name: str, *, fragment: str | None = None, **query: object) -> str:
    """The same as an absolute link, for what is read outside the app (an email, a share link)."""
    site: str = settings.SITE_URL
    return site + page_path(name, fragment=fragment, **query)
