"""GET vocabulary serves the rules' own constants, so a change in Python reaches every page, and
the pages' table is the one the server links to and serves."""

from django.test import Client

from tracker.pages import PAGES, page_link, page_path
from tracker.rules import vocabulary as vocab
from tracker.rules.progress import MEANINGFUL_PCT, MEANINGFUL_PCT_MIN_POINTS, MEANINGFUL_POINTS
from tracker.rules.safety import ACCEPTABLE_MAX, SAFE_MAX


def vocabulary():
    response = Client().get("/api/v1/vocabulary")  # no account: it is public
    assert response.status_code == 200
    return response


def test_the_vocabulary_is_public_and_may_be_kept_by_any_cache():
    response = vocabulary()
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    assert "Cookie" not in response.headers.get("Vary", "")


def test_bands_red_flags_and_the_weekly_target_are_the_rules_own():
    answer = vocabulary().json()
    assert answer["bands"] == list(vocab.BANDS)  # lightest first
    assert [(f["code"], f["label"], f["reported"]) for f in answer["red_flags"]] == [
        (code, vocab.RED_FLAG_QUESTIONS[code], reported)
        for code, reported in vocab.RED_FLAGS.items()
    ]
    assert answer["weekly_target"] == {
        "min": vocab.WEEKLY_TARGET_MIN,
        "max": vocab.WEEKLY_TARGET_MAX,
        "default": vocab.WEEKLY_TARGET_DEFAULT,
        "recommended_min": vocab.WEEKLY_TARGET_RECOMMENDED_MIN,
        "recommended_max": vocab.WEEKLY_TARGET_RECOMMENDED_MAX,
    }


def test_every_red_flag_has_its_check_in_question():
    assert list(vocab.RED_FLAG_QUESTIONS) == list(vocab.RED_FLAGS)


def test_the_pain_limits_and_the_meaningful_change_are_the_rules_own():
    answer = vocabulary().json()
    assert answer["pain"] == {
        "min": vocab.PAIN_MIN,
        "max": vocab.PAIN_MAX,
        "safe_max": SAFE_MAX,
        "acceptable_max": ACCEPTABLE_MAX,
    }
    assert answer["meaningful_change"] == {
        "points": MEANINGFUL_POINTS,
        "percent": MEANINGFUL_PCT,
        "percent_min_points": MEANINGFUL_PCT_MIN_POINTS,
    }


def test_the_page_table_is_served_as_it_is():
    assert vocabulary().json()["pages"] == [
        {"name": name, "path": page.path, "reads": list(page.reads), "offline": page.offline}
        for name, page in PAGES.items()
    ]


def test_what_the_api_accepts_is_the_vocabulary():
    schemas = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert schemas["SetIn"]["properties"]["band"]["anyOf"][0]["enum"] == list(vocab.BANDS)
    red_flags = schemas["CheckInIn"]["properties"]["red_flags"]["items"]["enum"]
    assert red_flags == list(vocab.RED_FLAGS)


def test_links_to_pages_come_from_the_table(settings):
    settings.SITE_URL = "https://hip2knee.example"
    assert page_path("log") == "/log"
    assert page_path("morning_check", session=5) == "/checkin/morning?session=5"
    assert page_link("report_shared", fragment="abc") == (
        "https://hip2knee.example/report/shared#abc"
    )


def test_the_time_zones_to_choose_from_are_region_names_every_one_accepted(api):
    response = Client().get("/api/v1/vocabulary/timezones")  # public, like the vocabulary
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    zones = response.json()["timezones"]
    assert {"Europe/London", "America/New_York", "Asia/Kolkata", "UTC"} <= set(zones)
    assert not [z for z in zones if z.startswith(("Etc/", "US/")) or z == "EST5EDT"]
    assert zones[1:] == sorted(zones[1:])
    for zone in ("Pacific/Auckland", zones[-1]):
        assert api.patch("profile", {"timezone": zone}).json()["timezone"] == zone
