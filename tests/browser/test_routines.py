"""Routines a patient shapes on the phone, advice that changes them, and the one-tap start from
Today: a new user copies the starter, adds a lateral lunge and logs it; two easy sessions at
3x12 put an Apply button on Today that swaps in the single-leg bridge, with an Undo; a band
suggestion prefills that band on Log; Today's "Start a session" opens the proposed routine's
session, warm-up first."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.browser.conftest import (
    SHOTS,
    api_post,
    axe_violations,
    settled,
    sign_up,
    worker_in_control,
)
from tests.conftest import session_body


def api_get(context: Any, base: str, path: str) -> Any:
    response = context.request.get(f"{base}/api/v1/{path}")
    assert response.ok, response.text()
    return response.json()


def routines(context: Any, base: str) -> list[dict[str, Any]]:
    return api_get(context, base, "routines")


def own(context: Any, base: str) -> list[dict[str, Any]]:
    return [r for r in routines(context, base) if not r["starter"]]


def starter(context: Any, base: str, name: str = "Hip-to-Knee starter") -> dict[str, Any]:
    return next(r for r in routines(context, base) if r["name"] == name)


def two_easy_sessions(context: Any, base: str, routine_id: int, sets: list[dict[str, Any]]) -> None:
    for days in (3, 1):
        started = (datetime.now(UTC) - timedelta(days=days)).isoformat()
        body = session_body(routine=routine_id, started_at=started, sets=sets, pain_during=2)
        api_post(context, base, "sessions", body)


def clear_of_the_tab_bar(page: Any, locator: Any) -> bool:
    """Is ``locator`` on the screen as it stands, and not under the fixed tab bar?"""
    box = locator.bounding_box()
    tabs = page.get_by_role("navigation", name="Main").bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= tabs["y"]


def look(page: Any, name: str) -> None:
    """Screenshots at both phone sizes, light and dark, and axe on each."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((390, 844), (360, 740)):
        page.set_viewport_size({"width": width, "height": height})
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.screenshot(path=str(SHOTS / f"{name}-{width}-{scheme}.png"), full_page=True)
            assert axe_violations(page) == [], (name, width, scheme)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
    page.emulate_media(color_scheme="light")
    page.set_viewport_size({"width": 390, "height": 844})


@pytest.mark.django_db(transaction=True)
def test_a_new_user_copies_the_starter_adds_a_lateral_lunge_and_logs_it_once(
    live_server, live_db, phone
):
    base = live_server.url
    sign_up(phone, base)
    page = phone.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/")
    page.get_by_role("navigation", name="More").get_by_role("link", name="Routines").click()
    page.get_by_role("heading", name="Routines", exact=True).wait_for()
    starter_card = page.get_by_role("region", name="Hip-to-Knee starter")
    starter_card.wait_for()
    look(page, "routines")
    assert page.get_by_role("button", name=re.compile("^Edit Hip-to-Knee starter")).count() == 0

    starter_card.get_by_role("button", name="Make my own copy").click()
    page.get_by_role("heading", name="Edit routine").wait_for()
    assert page.get_by_label("Routine name").input_value() == "Hip-to-Knee starter (my copy)"
    page.get_by_role("button", name="Add exercise").click()
    library = page.locator("#library")
    for category in ("Strength", "Mobility", "Soft tissue"):
        assert library.get_by_role("heading", name=category).is_visible()
    for name in ("Seated figure-four stretch", "Modified pigeon (on a couch or chair)",
                 "Foam rolling of glutes and thighs"):  # fmt: skip
        assert library.get_by_role("button", name=name, exact=True).is_visible()
    # what the routine already holds is marked, so nobody adds it twice by mistake
    assert library.get_by_role("button", name="Clamshell · in this routine").is_visible()
    look(page, "routines-library")
    library.get_by_role("button", name="Lateral lunge", exact=True).click()
    assert page.get_by_label("Sets of Lateral lunge").input_value() == "2"
    assert page.get_by_label("Reps each side of Lateral lunge").input_value() == "8"
    page.get_by_label("Sets of Lateral lunge").fill("3")
    page.get_by_role("button", name="Move Lateral lunge up").click()
    assert page.get_by_role("button", name="Remove Lateral lunge").is_visible()
    look(page, "routines-editor")
    page.get_by_role("button", name="Save routine").click()
    page.locator("#routines-status").filter(has_text="saved").wait_for()

    [mine] = own(phone, base)
    slugs = [i["exercise"] for i in mine["items"]]
    assert slugs == ["glute-bridge", "side-lying-leg-raise", "clamshell", "lateral-lunge",
                     "supported-squat"]  # fmt: skip
    assert mine["items"][3]["sets"] == 3 and mine["proposed"] is True
    assert starter(phone, base)["items"][-1]["exercise"] == "supported-squat"  # untouched

    page.goto(f"{base}/log")
    page.locator("#start:enabled").wait_for()
    assert page.get_by_label("Routine", exact=True).input_value() == str(mine["id"])
    page.get_by_role("button", name="Start session").click()
    lunge = page.get_by_role("region", name="Lateral lunge")
    lunge.wait_for()
    lunge.get_by_role("button", name="Left side, Lateral lunge").click()
    lunge.get_by_role("button", name="Log set of Lateral lunge").click()
    page.get_by_role("button", name="Finish session").click()
    page.locator("#log-status").filter(has_text="synced").wait_for()
    page.reload()  # the outbox is sent again on every start: still once
    page.locator("#start:enabled").wait_for()
    settled(page)
    sessions = api_get(phone, base, "sessions")["items"]
    assert len(sessions) == 1
    assert sessions[0]["routine"] == mine["id"]
    assert [(s["exercise"], s["side"], s["reps"]) for s in sessions[0]["sets"]] == [
        ("lateral-lunge", "left", 8)
    ]
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_deleting_a_routine_asks_first(live_server, live_db, context):
    base = live_server.url
    sign_up(context, base)
    api_post(context, base, "routines", {"copy_of": starter(context, base)["id"], "name": "Mine"})
    page = context.new_page()
    page.goto(f"{base}/routines")
    card = page.get_by_role("region", name="Mine")
    page.once("dialog", lambda dialog: dialog.dismiss())
    card.get_by_role("button", name="Delete Mine").click()
    assert [r["name"] for r in own(context, base)] == ["Mine"]
    page.once("dialog", lambda dialog: dialog.accept())
    card.get_by_role("button", name="Delete Mine").click()
    page.locator("#routines-status").filter(has_text="deleted").wait_for()
    assert own(context, base) == []


@pytest.mark.django_db(transaction=True)
def test_two_easy_sessions_at_3x12_offer_the_single_leg_bridge_and_undo_restores(
    live_server, live_db, phone
):
    base = live_server.url
    sign_up(phone, base)
    first = starter(phone, base)
    two_easy_sessions(phone, base, first["id"], [{"exercise": "glute-bridge", "reps": 12}] * 3)
    page = phone.new_page()
    page.goto(f"{base}/")
    apply = page.get_by_role(
        "button", name=re.compile(r"^Apply: .*Single-leg glute bridge.*Glute bridge")
    )
    apply.wait_for()
    assert apply.count() == 1
    assert page.locator("#suggestions").get_by_text("Glute bridge:", exact=False).count() == 1
    look(page, "today-advice")
    apply.click()
    page.locator("#advice-status").filter(
        has_text="made your own copy of Hip-to-Knee starter"
    ).wait_for()
    [mine] = own(phone, base)
    assert mine["items"][0]["exercise"] == "single-leg-bridge"
    assert "glute-bridge" not in [i["exercise"] for i in mine["items"]]
    assert mine["proposed"] is True
    assert starter(phone, base)["items"] == first["items"]  # the starter stays as it was
    # Next session names the copy now followed, and starts it
    page.locator("#next-routine").filter(has_text="Hip-to-Knee starter (my copy)").wait_for()
    assert page.get_by_role("link", name="Start a session").get_attribute("href") == (
        f"/log?routine={mine['id']}&start=1"
    )
    page.screenshot(path=str(SHOTS / "today-advice-applied.png"), full_page=True)

    page.get_by_role("button", name=re.compile("^Undo")).click()
    page.locator("#advice-status").filter(has_text="Undone").wait_for()
    assert own(phone, base) == []
    proposed = next(r for r in routines(phone, base) if r["proposed"])
    assert proposed["id"] == first["id"] and proposed["items"][0]["exercise"] == "glute-bridge"
    assert apply.is_visible()  # offered again
    assert "(my copy)" not in page.locator("#next-routine").text_content()


@pytest.mark.django_db(transaction=True)
def test_applying_a_band_on_ones_own_routine_prefills_it_on_log_and_undo_puts_it_back(
    live_server, live_db, context
):
    base = live_server.url
    sign_up(context, base)
    mine = api_post(
        context, base, "routines", {"copy_of": starter(context, base)["id"], "name": "Mine"}
    )
    sides = [{"exercise": "side-lying-leg-raise", "side": side, "reps": 12, "band": "red"}
             for side in ("left", "right") for _ in range(3)]  # fmt: skip
    two_easy_sessions(context, base, mine["id"], sides)
    before = own(context, base)[0]["items"]
    page = context.new_page()
    page.goto(f"{base}/")
    apply = page.get_by_role("button", name="Apply: use the green band for Side-lying leg raise")
    apply.click()
    page.locator("#advice-status").filter(has_text="“Mine” now has the green band").wait_for()
    [changed] = own(context, base)
    leg = next(i for i in changed["items"] if i["exercise"] == "side-lying-leg-raise")
    assert leg["band"] == "green"
    page.get_by_role("button", name=re.compile("^Undo")).click()
    page.locator("#advice-status").filter(has_text="Undone").wait_for()
    assert own(context, base)[0]["items"] == before  # exactly as it was
    apply.click()
    page.locator("#advice-status").filter(has_text="“Mine” now has the green band").wait_for()

    page.goto(f"{base}/log")
    page.locator("#start:enabled").wait_for()
    page.get_by_role("button", name="Start session").click()
    card = page.get_by_role("region", name="Side-lying leg raise")
    assert card.get_by_label("Band").input_value() == "green"
    page.goto(f"{base}/")
    page.get_by_text("Side-lying leg raise: your routine has the green band").wait_for()


@pytest.mark.django_db(transaction=True)
def test_start_a_session_on_today_goes_straight_into_the_proposed_routine_warm_up_first(
    live_server, live_db, context
):
    base = live_server.url
    sign_up(context, base)
    bullet = starter(context, base, "Hip-to-Knee bulletproofing")
    api_post(context, base, "sessions", session_body(routine=bullet["id"]))
    page = context.new_page()
    page.goto(f"{base}/")
    page.get_by_text("Hip-to-Knee bulletproofing: 8 exercises.").wait_for()
    page.get_by_role("link", name="Start a session").click()
    page.get_by_role("heading", name="Hip-to-Knee bulletproofing").wait_for()
    assert page.url == f"{base}/log"  # a reload carries on, it does not start another
    assert not page.get_by_role("button", name="Start session").is_visible()
    groups = page.locator("#cards h3.group").all_text_contents()
    assert groups == ["Warm-up", "Main work"]
    cards = page.locator("#cards section.exercise h3").all_text_contents()
    assert cards[:4] == ["Foam rolling of glutes and thighs", "90/90 hip rotation drill",
                         "Clamshell", "Glute bridge"]  # fmt: skip
    page.screenshot(path=str(SHOTS / "log-warmup.png"))

    page.get_by_role("button", name="Change routine").click()
    page.get_by_label("Routine", exact=True).select_option(label="Hip-to-Knee starter (starter)")
    page.get_by_role("button", name="Start session").click()
    page.get_by_role("region", name="Supported squat with hip engagement").wait_for()
    page.get_by_role("button", name="Log set of Glute bridge").click()
    page.get_by_role("button", name="Change routine").click()
    page.locator("#log-status").filter(has_text="finish it, or discard it").wait_for()
    page.reload()
    page.get_by_role("heading", name="Hip-to-Knee starter").wait_for()
    assert page.locator("#cards .sets li").count() == 1


@pytest.mark.django_db(transaction=True)
def test_offline_the_routines_show_as_last_seen_and_changing_one_says_it_needs_a_connection(
    live_server, live_db, context
):
    base = live_server.url
    sign_up(context, base)
    page = context.new_page()
    page.goto(f"{base}/")
    worker_in_control(page)
    context.set_offline(True)
    page.goto(f"{base}/routines")
    card = page.get_by_role("region", name="Hip-to-Knee bulletproofing")
    card.get_by_text("Foam rolling of glutes and thighs").wait_for()
    assert page.get_by_text("Changing a routine needs a connection").is_visible()
    card.get_by_role("button", name="Make my own copy").click()  # opens the editor, makes nothing
    page.locator("#editor-status").filter(
        has_text="changing a routine needs a connection"
    ).wait_for()
    page.get_by_role("button", name="Save routine").click()
    refusal = page.get_by_role("alert").filter(
        has_text="Not saved: you are offline, and changing a routine needs a connection"
    )
    refusal.wait_for()
    assert clear_of_the_tab_bar(page, refusal)
    assert page.get_by_role("button", name="Save routine").is_visible()  # the copy is still here
    context.set_offline(False)
    assert own(context, base) == []


@pytest.mark.django_db(transaction=True)
def test_two_easy_sessions_at_3x10_offer_2_more_reps_which_apply_to_ones_routine(
    live_server, live_db, context
):
    base = live_server.url
    sign_up(context, base)
    body = {"name": "Mine", "items": [{"exercise": "glute-bridge", "sets": 3, "target": 10}]}
    mine = api_post(context, base, "routines", body)
    two_easy_sessions(context, base, mine["id"], [{"exercise": "glute-bridge", "reps": 10}] * 3)
    page = context.new_page()
    page.goto(f"{base}/")
    page.get_by_text(
        "Glute bridge: two easy sessions at 3×10. Ready for 2 more reps: 3×12."
    ).wait_for()
    page.get_by_role("button", name="Apply: go up to 3×12 for Glute bridge").click()
    page.locator("#advice-status").filter(has_text="“Mine” now has 3×12").wait_for()
    [changed] = own(context, base)
    assert [(i["exercise"], i["sets"], i["target"]) for i in changed["items"]] == [
        ("glute-bridge", 3, 12)
    ]
    page.reload()
    page.get_by_text("Glute bridge: keep this dose. Progress once 3×12", exact=False).wait_for()
    assert page.get_by_role("button", name=re.compile("^Apply")).count() == 0
    # Log fills in the new dose, not last time's 10 (the routine changed after that session)
    page.goto(f"{base}/log?routine={mine['id']}&start=1")
    bridge = page.get_by_role("region", name="Glute bridge")
    bridge.get_by_role("button", name="Log set of Glute bridge").wait_for()
    assert bridge.get_by_role("spinbutton").first.input_value() == "12"


@pytest.mark.django_db(transaction=True)
def test_make_my_own_copy_makes_nothing_until_save_and_cancel_leaves_nothing(
    live_server, live_db, phone
):
    base = live_server.url
    sign_up(phone, base)
    page = phone.new_page()
    page.goto(f"{base}/routines")
    card = page.get_by_role("region", name="Hip-to-Knee starter")
    card.get_by_role("button", name="Make my own copy").click()
    page.get_by_role("heading", name="Edit routine").wait_for()
    assert own(phone, base) == []  # nothing on the server yet
    note = page.locator("#editor-status").filter(has_text="Nothing is kept until you save")
    note.wait_for()
    assert clear_of_the_tab_bar(page, note)
    page.get_by_role("button", name="Add exercise").click()
    page.locator("#library").get_by_role("button", name="Lateral lunge", exact=True).click()
    page.get_by_role("button", name="Cancel").click()
    done = page.get_by_role("status").filter(has_text="No copy made")
    done.wait_for()
    assert clear_of_the_tab_bar(page, done)
    assert own(phone, base) == []  # Cancel leaves nothing behind
    assert page.get_by_role("region", name="Hip-to-Knee starter (my copy)").count() == 0

    card.get_by_role("button", name="Make my own copy").click()
    page.get_by_role("button", name="Save routine").click()
    page.locator("#routines-status").filter(has_text="saved").wait_for()
    [mine] = own(phone, base)
    assert mine["name"] == "Hip-to-Knee starter (my copy)"
    assert mine["copied_from"] == starter(phone, base)["id"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", [(390, 844), (360, 740)])
def test_after_save_the_message_is_on_screen_and_clear_of_the_tab_bar(
    live_server, live_db, chromium, size
):
    base = live_server.url
    width, height = size
    context = chromium.new_context(viewport={"width": width, "height": height})
    sign_up(context, base)
    api_post(context, base, "routines", {"copy_of": starter(context, base)["id"], "name": "Mine"})
    page = context.new_page()
    page.goto(f"{base}/routines")
    page.get_by_role("button", name="Edit Mine").click()
    page.get_by_role("button", name="Add exercise").click()
    page.locator("#library").get_by_role("button", name="Lateral lunge", exact=True).click()
    added = page.get_by_role("status").filter(has_text="Lateral lunge added")
    added.wait_for()
    page.get_by_role("button", name="Save routine").click()  # at the foot of a long editor
    message = page.get_by_role("status").filter(has_text="Routine “Mine” saved")
    message.wait_for()
    assert clear_of_the_tab_bar(page, message)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.screenshot(path=str(SHOTS / f"routines-saved-{width}-{scheme}.png"))

    # a refusal shows beside Save, where the person tapped, and is announced at once
    page.get_by_role("button", name="Edit Mine").click()
    context.set_offline(True)
    page.get_by_role("button", name="Save routine").click()
    refusal = page.get_by_role("alert").filter(has_text="Not saved")
    refusal.wait_for()
    assert clear_of_the_tab_bar(page, refusal)
    page.screenshot(path=str(SHOTS / f"routines-refused-{width}.png"))
    context.set_offline(False)
    context.close()


@pytest.mark.django_db(transaction=True)
def test_the_editor_says_each_side_wherever_the_dose_is_per_side(live_server, live_db, context):
    base = live_server.url
    sign_up(context, base)
    bullet = starter(context, base, "Hip-to-Knee bulletproofing")
    page = context.new_page()
    page.goto(f"{base}/routines")
    page.get_by_role("region", name="Hip-to-Knee bulletproofing").get_by_role(
        "button", name="Make my own copy").click()  # fmt: skip
    items = page.get_by_role("list", name="Exercises in this routine")
    items.wait_for()
    library = {e["slug"]: e for e in api_get(context, base, "exercises")}
    for item in bullet["items"]:
        exercise = library[item["exercise"]]
        unit = {"reps": "Reps", "seconds": "Seconds", "steps": "Steps"}[exercise["unit"]]
        label = f"{unit} each side" if item["per_side"] else unit
        field = page.get_by_label(f"{label} of {exercise['name']}", exact=True)
        assert field.input_value() == str(item["target"]), exercise["name"]
    assert page.get_by_label("Seconds each side of Foam rolling of glutes and thighs").count() == 1
    assert page.get_by_label("Reps each side of Clamshell").count() == 1
    assert page.get_by_label("Reps of Glute bridge", exact=True).count() == 1  # both legs at once


@pytest.mark.django_db(transaction=True)
def test_applying_advice_offline_says_why_beside_the_button(live_server, live_db, context):
    base = live_server.url
    sign_up(context, base)
    first = starter(context, base)
    two_easy_sessions(context, base, first["id"], [{"exercise": "glute-bridge", "reps": 12}] * 3)
    page = context.new_page()
    page.goto(f"{base}/")
    apply = page.get_by_role("button", name=re.compile(r"^Apply: .*Single-leg glute bridge"))
    apply.wait_for()
    context.set_offline(True)
    apply.click()
    refusal = page.locator("#suggestions").get_by_role("alert")
    refusal.filter(has_text="Not applied: you are offline").wait_for()
    assert clear_of_the_tab_bar(page, refusal)
    context.set_offline(False)
    assert own(context, base) == []


@pytest.mark.django_db(transaction=True)
def test_log_preselects_the_routine_saved_after_a_session_this_phone_already_sent(
    live_server, live_db, context
):
    """A session sent from this phone stays in its outbox as sent for a while; a routine saved
    after it is the one Log preselects, as Today proposes it."""
    base = live_server.url
    sign_up(context, base)
    page = context.new_page()
    page.goto(f"{base}/log")
    page.get_by_role("button", name="Start session").click()  # the starter
    page.get_by_role("button", name="Log set of Glute bridge").click()
    page.get_by_role("button", name="Finish session").click()
    page.locator("#log-status").filter(has_text="synced").wait_for()
    mine = api_post(
        context, base, "routines", {"copy_of": starter(context, base)["id"], "name": "Mine"}
    )
    page.goto(f"{base}/log")
    settled(page)
    assert page.locator("#routine").input_value() == str(mine["id"])
