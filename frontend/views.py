"""Pages of the PWA. They carry no user data: each page's ES module fetches it from /api/v1, so
the service worker can keep every page offline and a shared phone shows nothing once signed out.
What a page says of the rules themselves (the red flags it asks about, the pain scale, the
weekly target's range) is rendered from the rules' own constants, as the API serves them."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tracker.rules import vocabulary as vocab
from tracker.rules.progress import MEANINGFUL_PCT, MEANINGFUL_PCT_MIN_POINTS, MEANINGFUL_POINTS
from tracker.selectors.accounts import password_reset_user, password_rules

# page name (as in tracker/pages.py) -> its context: nav = the tab bar is shown; template, when
# another page's
PAGES: dict[str, dict[str, object]] = {
    "today": {"nav": True},
    "log": {"nav": True},
    "progress": {
        "nav": True,
        "meaningful": {
            "points": MEANINGFUL_POINTS,
            "percent": MEANINGFUL_PCT,
            "percent_min_points": MEANINGFUL_PCT_MIN_POINTS,
        },
    },
    "reminders": {"nav": True},
    "history": {"nav": True},
    "exercises": {"nav": True},
    "routines": {"nav": True},
    "account": {
        "nav": True,
        "password_rules": True,
        "weekly_target": {
            "min": vocab.WEEKLY_TARGET_MIN,
            "max": vocab.WEEKLY_TARGET_MAX,
            "recommended_min": vocab.WEEKLY_TARGET_RECOMMENDED_MIN,
            "recommended_max": vocab.WEEKLY_TARGET_RECOMMENDED_MAX,
        },
    },
    "checkin": {"nav": True, "red_flags": tuple(vocab.RED_FLAG_QUESTIONS.items())},
    "report": {"nav": True},
    "signin": {"nav": False},
    "signup": {"nav": False, "template": "signin", "signup": True, "password_rules": True},
    "report_shared": {"nav": False, "template": "report", "shared": True},
    "password_reset": {"nav": False},
    "password_reset_confirm": {
        "nav": False,
        "template": "password_reset",
        "confirm": True,
        "password_rules": True,
    },
    "email_confirm": {"nav": False},
}


def page(request: HttpRequest, name: str, **context: object) -> HttpResponse:
    options = {**PAGES[name], **context}
    template = options.get("template", name)  # also the name of the page's module
    if options.get("password_rules"):  # the configured validators, in words, before a try
        options["password_rules"] = password_rules()
    return render(request, f"frontend/pages/{template}.html", {**options, "page": template})


def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The page of an emailed reset link. Whether the link still works is known at once, so a
    used or expired one says so (and offers a new one) before a password is typed. The link is
    kept out of every Referer and cache."""
    link_valid = password_reset_user(uidb64=uidb64, token=token) is not None
    response = page(request, "password_reset_confirm", link_valid=link_valid)
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


def morning_check(request: HttpRequest) -> HttpResponse:
    """Opened from the next-morning notification; the ES module records the answer via the API."""
    scale = range(vocab.PAIN_MIN, vocab.PAIN_MAX + 1)
    return render(request, "frontend/morning.html", {"scale": scale})
