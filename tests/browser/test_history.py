"""History: each session opens to its sets (the library's names, sides, reps or seconds, band or
load) and pain answers; it can be edited, and deleted with a few seconds to undo; a session saved
on this phone shows once, before and after it is synced, without a reload."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.browser.conftest import SHOTS, api_post, sign_up
from tracker.models import SessionSet, WorkoutSession

SETS = [
    {"exercise": "glute-bridge", "side": "both", "reps": 10},
    {"exercise": "clamshell", "side": "left", "reps": 12, "band": "red"},
    {"exercise": "clamshell", "side": "right", "reps": 12, "band": "red"},
    {"exercise": "hip-flexor-stretch", "side": "left", "seconds": 30},
    {"exercise": "single-leg-rdl", "side": "right", "reps": 8, "load_kg": 6.5},
]


def a_session(context, base, **fields):
    body = {
        "client_id": str(uuid.uuid4()),
        "started_at": (datetime.now(UTC) - timedelta(hours=3)).isoformat(),
        "sets": SETS,
        "pain_during": 2,
        **fields,
    }
    return api_post(context, base, "sessions", body)


def wait_until(page, check, what):
    for _ in range(200):
        if check():
            return
        page.wait_for_timeout(100)
    raise AssertionError(what)


@pytest.mark.django_db(transaction=True)
def test_a_session_opens_to_its_sets_and_pain_and_is_edited(live_server, live_db, context):
    base = live_server.url
    sign_up(context, base)
    session = a_session(context, base, notes="")
    page = context.new_page()
    page.goto(f"{base}/history")
    item = page.locator(f'#sessions li[data-session-id="{session["id"]}"]')
    item.locator("summary").click()
    # one chevron, the app's own: the summary draws none of its own after the day
    after = "el => getComputedStyle(el, '::after').content"
    assert item.locator("summary").evaluate(after) in ("none", "normal")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "history-open.png"))
    text = item.text_content()
    for words in ("Glute bridge", "Clamshell", "Left: 12 reps, red band",
                  "Right: 12 reps, red band", "Hip-flexor stretch", "Left: 30 s",
                  "Single-leg Romanian deadlift", "Right: 8 reps, 6.5 kg",
                  "Knee pain during the session", "2 out of 10", "not answered"):  # fmt: skip
        assert words in text, (words, text)
    for slug in ("glute-bridge", "hip-flexor-stretch", "single-leg-rdl"):
        assert slug not in text
    # a two-legged bridge has no side to name: just its reps
    assert item.locator(".session-sets li").first.text_content() == "10 reps"
    assert "Both sides" not in text

    item.get_by_role("button", name="Edit the session").click()
    first = item.get_by_role("group", name="Set 1: Glute bridge")
    first.get_by_label("Reps").fill("15")
    item.get_by_role("button", name="Remove set 5, Single-leg Romanian deadlift").click()
    second = item.get_by_role("group", name="Set 2: Clamshell")
    second.get_by_label("Band").select_option("green")
    second.get_by_label("Felt it in the knee").check()  # said afterwards: it is corrected here
    second.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "history-edit.png"))
    item.get_by_label("Knee pain during the session").select_option("3")
    item.get_by_label("Knee pain the next morning").select_option("1")
    item.get_by_label("Notes").fill("Felt steady on the bridge.")
    item.get_by_role("button", name="Save changes").click()
    page.get_by_role("status").filter(has_text="Changes saved.").wait_for()

    saved = WorkoutSession.objects.get()
    assert (saved.pain_during, saved.pain_next_morning) == (3, 1)
    assert saved.notes == "Felt steady on the bridge."
    sets = list(saved.sets.order_by("position").values_list("exercise_id", "reps", "band"))
    assert [(e, r) for e, r, _ in sets] == [
        ("glute-bridge", 15), ("clamshell", 12), ("clamshell", 12), ("hip-flexor-stretch", None),
    ]  # fmt: skip
    assert sets[1][2] != sets[2][2]  # only the second set's band changed
    felt = list(saved.sets.order_by("position").values_list("felt_in_knee", flat=True))
    assert felt == [False, True, False, False]
    text = page.locator(f'#sessions li[data-session-id="{session["id"]}"]').text_content()
    assert "Both sides" not in text and "green band" in text and "Felt steady" in text
    bridge = page.locator(f'#sessions li[data-session-id="{session["id"]}"] .session-sets li')
    assert bridge.first.text_content() == "15 reps"
    assert "Single-leg Romanian deadlift" not in text


@pytest.mark.django_db(transaction=True)
def test_a_deletion_can_be_undone_and_is_sent_after_the_undo_window(live_server, live_db, context):
    base = live_server.url
    sign_up(context, base)
    session = a_session(context, base)
    page = context.new_page()
    page.goto(f"{base}/history")
    item = page.locator(f'#sessions li[data-session-id="{session["id"]}"]')
    item.locator("summary").click()
    item.get_by_role("button", name="Delete the session").click()
    undo = page.locator("#undo")
    undo.get_by_text("deleted").wait_for()
    assert not item.is_visible()
    undo.get_by_role("button", name="Undo").click()
    item.wait_for()
    page.get_by_role("status").filter(has_text="is back").wait_for()
    assert WorkoutSession.objects.filter(pk=session["id"]).exists()  # nothing was sent

    item.get_by_role("button", name="Delete the session").click()
    undo.wait_for()
    undo.wait_for(state="hidden", timeout=20_000)  # the window closes: the deletion is sent
    page.get_by_role("status").filter(has_text="Session deleted.").wait_for()
    wait_until(page, lambda: not WorkoutSession.objects.exists(), "the session was not deleted")
    assert SessionSet.objects.count() == 0
    page.reload()
    page.get_by_text("No sessions yet.").wait_for()


@pytest.mark.django_db(transaction=True)
def test_leaving_the_page_during_the_undo_window_still_deletes(live_server, live_db, context):
    base = live_server.url
    sign_up(context, base)
    session = a_session(context, base)
    page = context.new_page()
    page.goto(f"{base}/history")
    item = page.locator(f'#sessions li[data-session-id="{session["id"]}"]')
    item.locator("summary").click()
    item.get_by_role("button", name="Delete the session").click()
    page.locator("#undo").wait_for()
    page.goto(f"{base}/")
    wait_until(page, lambda: not WorkoutSession.objects.exists(), "the session was not deleted")


@pytest.mark.django_db(transaction=True)
def test_a_session_saved_offline_shows_once_before_and_after_sync(live_server, live_db, context):
    base = live_server.url
    sign_up(context, base)
    older = a_session(context, base, started_at="2026-01-05T18:00:00+00:00")
    me = context.request.get(f"{base}/api/v1/auth/me").json()
    page = context.new_page()
    page.goto(f"{base}/history")
    page.locator(f'#sessions li[data-session-id="{older["id"]}"]').wait_for()
    page.evaluate("window.__samePage = true")  # gone if the page reloads

    context.set_offline(True)
    started = datetime.now(UTC).isoformat()
    client_id = page.evaluate(
        """async ({owner, started}) => {
          const outbox = await import("/static/frontend/js/outbox.js");
          const body = {client_id: crypto.randomUUID(), started_at: started,
            sets: [{exercise: "clamshell", side: "left", reps: 11}], pain_during: 1};
          await outbox.enqueue({owner, kind: "session", path: "sessions", body, label: "Session, 1 sets"});
          return body.client_id;
        }""",
        {"owner": me["id"], "started": started},
    )
    phone = page.locator("#outbox > li")
    phone.filter(has_text="Saved on this phone").wait_for()
    assert phone.count() == 1
    assert page.locator("#sessions > li[data-session-id]").count() == 1  # only the older one
    assert not WorkoutSession.objects.filter(client_id=client_id).exists()

    context.set_offline(False)  # back online: sent, and moved into the list
    page.locator("#sessions > li[data-session-id]").nth(1).wait_for()
    page.locator("#phone").wait_for(state="hidden")
    new = WorkoutSession.objects.get(client_id=client_id)
    items = page.locator("#sessions > li[data-session-id]")
    assert items.count() == 2 and phone.count() == 0
    assert items.first.get_attribute("data-session-id") == str(new.pk)  # newest first
    assert page.evaluate("window.__samePage === true")  # no reload
    page.reload()
    page.locator("#sessions > li[data-session-id]").nth(1).wait_for()
    assert page.locator("#sessions > li[data-session-id]").count() == 2
    assert page.locator("#outbox > li").count() == 0
