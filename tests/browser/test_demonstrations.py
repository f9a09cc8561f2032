"""How each exercise is done, shown: every exercise the library lists has a drawing on the
Exercises page, named by its movement, moving unless reduced motion is asked for; "Easier" and
"Harder" lead to those exercises. And the "Why hips?" page: the evidence in plain words, what
to expect, the self-check and the red flags, with its sources. Screenshots of every drawing
(moving and still) go to var/screenshots/exercise-<slug>*.png."""

import pytest

from tests.browser.conftest import SHOTS, axe_violations, demo_user, sign_in
from tracker.rules import vocabulary as vocab

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def library(page, base):
    return page.request.get(f"{base}/api/v1/exercises").json()


@pytest.mark.django_db(transaction=True)
def test_every_exercise_has_a_drawing_named_by_its_movement(live_server, live_db, phone):
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    page = phone.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/exercises")
    exercises = library(page, base)
    assert len(exercises) >= 16
    for exercise in exercises:
        entry = page.get_by_role("region", name=exercise["name"], exact=True)
        drawing = entry.get_by_role("img")
        name = drawing.get_attribute("aria-label") or ""
        assert len(name) > 20, exercise["slug"]  # a sentence, not a label
        assert name.startswith(exercise["name"].split(" (")[0].split(" or ")[0]) or ":" in name
        assert drawing.locator("animate").count() > 0, f"{exercise['slug']} does not move"
        box = drawing.bounding_box()
        assert box["width"] > 60 and box["height"] > 60, exercise["slug"]
        entry.screenshot(path=str(SHOTS / f"exercise-{exercise['slug']}.png"))
    assert axe_violations(page) == []
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_with_reduced_motion_each_drawing_shows_start_and_end_still(live_server, live_db, chromium):
    ctx = chromium.new_context(viewport={"width": 390, "height": 844}, reduced_motion="reduce")
    page = ctx.new_page()
    base = live_server.url
    page.goto(f"{base}/exercises")
    for exercise in library(page, base):
        entry = page.get_by_role("region", name=exercise["name"], exact=True)
        drawing = entry.get_by_role("img")
        assert drawing.get_attribute("aria-label")
        assert drawing.locator("animate").count() == 0, exercise["slug"]
        assert drawing.locator("text").all_text_contents() == ["Start", "End"]
        drawing.screenshot(path=str(SHOTS / f"exercise-{exercise['slug']}-still.png"))
    ctx.close()


@pytest.mark.django_db(transaction=True)
def test_easier_and_harder_lead_to_those_exercises(live_server, live_db, context):
    page = context.new_page()
    page.goto(f"{live_server.url}/exercises")
    bridge = page.get_by_role("region", name="Glute bridge", exact=True)
    bridge.get_by_role("link", name="Harder: Single-leg glute bridge").click()
    target = page.get_by_role("region", name="Single-leg glute bridge", exact=True)
    assert page.url.endswith("#ex-single-leg-bridge")
    box = target.bounding_box()
    assert -2 <= box["y"] < 844, "the harder exercise is scrolled into view"
    target.get_by_role("link", name="Easier: Glute bridge").click()
    assert page.url.endswith("#ex-glute-bridge")


@pytest.mark.django_db(transaction=True)
def test_why_hips_tells_the_evidence_what_to_expect_and_when_to_see_a_clinician(
    live_server, live_db, phone, chromium
):
    base = live_server.url
    demo_user()
    page = phone.new_page()
    sign_in(page, base, "demo@example.com")
    page.get_by_role("link", name="Why hips?").click()  # from Today
    page.get_by_role("heading", name="Why hips?", exact=True).wait_for()
    text = page.locator("main").inner_text()
    for words in ("33 women", "43%", "about 3%", "4 weeks", "8 weeks", "knee exercises alone",
                  "6 weeks", "Week 4", "week 8", "collapse inward", "not a diagnosis",
                  "Any one of these", "physiotherapist"):  # fmt: skip
        assert words in text, words
    assert "not a cure" in text and "cure" not in text.replace("not a cure", "")
    for sign in vocab.HIP_SIGNS:
        assert sign in text
    clinician = page.get_by_role("region", name="When to see a clinician")
    for flag in vocab.RED_FLAGS.values():
        assert flag[0].upper() + flag[1:] in clinician.inner_text()
    sources = page.get_by_role("region", name="Sources").inner_text()
    for source in ("Dolak", "2011", "Ireland", "Robinson RL, Nee RJ", "Collins NJ", "2018",
                   "Silbernagel", "Farrar", "Crossley", "NHS"):  # fmt: skip
        assert source in sources, source
    page.screenshot(path=str(SHOTS / "why.png"), full_page=True)
    assert axe_violations(page) == []
    page.goto(f"{base}/exercises")
    page.get_by_role("link", name="Why hips?").click()  # and from Exercises
    page.get_by_role("heading", name="Why hips?", exact=True).wait_for()

    for scheme in ("light", "dark"):
        small = chromium.new_context(viewport={"width": 360, "height": 740}, color_scheme=scheme)
        narrow = small.new_page()
        narrow.goto(f"{base}/why")
        narrow.get_by_role("heading", name="Sources").wait_for()
        assert narrow.evaluate(NO_SIDEWAYS_SCROLL)
        narrow.screenshot(path=str(SHOTS / f"why-360-{scheme}.png"))
        small.close()
