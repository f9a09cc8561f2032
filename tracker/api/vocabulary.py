"""The vocabulary: what the pages must agree with the server on (bands, red flags, the pain scale
and its limits, the meaningful-change rule, the weekly target, where each page lives), served
from the rules' own constants so a change there reaches every page. Public and the same for
everyone; the service worker keeps it with the pages."""

from django.http import HttpRequest, HttpResponse
from ninja import Router

from tracker.api.schemas.vocabulary import TimeZonesOut, VocabularyOut
from tracker.pages import PAGES
from tracker.rules import vocabulary as vocab
from tracker.rules.progress import MEANINGFUL_PCT, MEANINGFUL_PCT_MIN_POINTS, MEANINGFUL_POINTS
from tracker.rules.safety import (
    ACCEPTABLE_MAX,
    CLEARANCE_WORDS,
    EASE_OFF_WAYS,
    SAFE_MAX,
    SEE_A_CLINICIAN_FIRST,
)
from tracker.rules.timezones import region_timezones

router = Router(tags=["vocabulary"])
MAX_AGE = 300  # it changes only with a deploy; a few minutes of an older copy is harmless


@router.get("", response=VocabularyOut, auth=None)
def vocabulary(request: HttpRequest, response: HttpResponse) -> dict[str, object]:
    """The words and limits every client must agree with the server on, and where each page of
    the PWA lives with the reads it makes (public, the same for everyone)."""
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return {
        "bands": list(vocab.BANDS),
        "red_flags": [
            {"code": code, "label": vocab.RED_FLAG_QUESTIONS[code], "reported": reported}
            for code, reported in vocab.RED_FLAGS.items()
        ],
        "pain": {
            "min": vocab.PAIN_MIN,
            "max": vocab.PAIN_MAX,
            "safe_max": SAFE_MAX,
            "acceptable_max": ACCEPTABLE_MAX,
        },
        "meaningful_change": {
            "points": MEANINGFUL_POINTS,
            "percent": MEANINGFUL_PCT,
            "percent_min_points": MEANINGFUL_PCT_MIN_POINTS,
        },
        "weekly_target": {
            "min": vocab.WEEKLY_TARGET_MIN,
            "max": vocab.WEEKLY_TARGET_MAX,
            "default": vocab.WEEKLY_TARGET_DEFAULT,
            "recommended_min": vocab.WEEKLY_TARGET_RECOMMENDED_MIN,
            "recommended_max": vocab.WEEKLY_TARGET_RECOMMENDED_MAX,
        },
        "safety": {
            "see_clinician_first": SEE_A_CLINICIAN_FIRST,
            "clinician_seen": CLEARANCE_WORDS,
            "ease_off": EASE_OFF_WAYS,
        },
        "pages": [
            {"name": name, "path": page.path, "reads": list(page.reads), "offline": page.offline}
            for name, page in PAGES.items()
        ],
    }


@router.get("/timezones", response=TimeZonesOut, auth=None, summary="Time zones to choose from")
def timezones(request: HttpRequest, response: HttpResponse) -> dict[str, object]:
    """The IANA time zones a person chooses from (region names such as ``Europe/London``, and
    ``UTC``), sorted; the profile accepts each of them. Public and cacheable."""
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return {"timezones": list(region_timezones())}
