"""Pages of the PWA. They carry no user data: each page's ES module fetches it from /api/v1, so
the service worker can keep every page offline and a shared phone shows nothing once signed out.
What a page says of the rules themselves (the red flags it asks about, the pain scale, the
weekly target's range) is rendered from the rules' own constants, as the API serves them."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tracker.rules import vocabulary as vocab
from tracker.rules.progress import MEANINGFUL_PCT, MEANINGFUL_PCT_MIN_POINTS, MEANINGFUL_POINTS
from tracker.rules.safety import CLEARANCE_WORDS

# page name (as in tracker/pages.py) -> its context: nav = the tab bar is shown; template, when
# another page's
PAGES: dict[str, dict[str, object]] = {
    "today": {"nav": True},
    "log": {"nav": True, "clinician_seen": CLEARANCE_WORDS},
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
        "weekly_target": {
            "min": vocab.WEEKLY_TARGET_MIN,
            "max": vocab.WEEKLY_TARGET_MAX,
            "recommended_min": vocab.WEEKLY_TARGET_RECOMMENDED_MIN,
            "recommended_max": vocab.WEEKLY_TARGET_RECOMMENDED_MAX,
        },
    },
    "checkin": {"nav": True, "red_flags": tuple(vocab.RED_FLAG_QUESTIONS.items())},
    "report": {"nav": True},
    # the same red flags as the check-in asks about, as the app says them back
    "signin": {"nav": False, "red_flags": tuple(vocab.RED_FLAGS.values())},
    "signup": {
        "nav": False,
        "template": "signin",
        "signup": True,
        "red_flags": tuple(vocab.RED_FLAGS.values()),
    },
    "report_shared": {"nav": False, "template": "report", "shared": True},
}


def page(request: HttpRequest, name: str) -> HttpResponse:
    options = PAGES[name]
    template = options.get("template", name)  # also the name of the page's module
    return render(request, f"frontend/pages/{template}.html", {**options, "page": template})


def morning_check(request: HttpRequest) -> HttpResponse:
    """Opened from the next-morning notification; the ES module records the answer via the API."""
    scale = range(vocab.PAIN_MIN, vocab.PAIN_MAX + 1)
    return render(request, "frontend/morning.html", {"scale": scale})
