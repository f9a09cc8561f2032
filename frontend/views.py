"""Pages of the PWA. They carry no user data: each page's ES module fetches it from /api/v1, so
the service worker can keep every page offline and a shared phone shows nothing once signed out."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# page name (as in tracker/pages.py) -> its context: nav = the tab bar is shown; template, when
# another page's
PAGES: dict[str, dict[str, object]] = {
    "today": {"nav": True},
    "log": {"nav": True},
    "progress": {"nav": True},
    "reminders": {"nav": True},
    "history": {"nav": True},
    "exercises": {"nav": True},
    "account": {"nav": True},
    "checkin": {"nav": True},
    "report": {"nav": True},
    "signin": {"nav": False},
    "signup": {"nav": False, "template": "signin", "signup": True},
    "report_shared": {"nav": False, "template": "report", "shared": True},
}


def page(request: HttpRequest, name: str) -> HttpResponse:
    options = PAGES[name]
    template = options.get("template", name)  # also the name of the page's module
    return render(request, f"frontend/pages/{template}.html", {**options, "page": template})


def morning_check(request: HttpRequest) -> HttpResponse:
    """Opened from the next-morning notification; the ES module records the answer via the API."""
    return render(request, "frontend/morning.html", {"scale": range(11)})
