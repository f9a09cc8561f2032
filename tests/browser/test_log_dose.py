"""Each Log card as a patient uses it: what was done last time, how the exercise is done (open
for the first sessions, folded behind "How to" after), cautions that look and act like a
disclosure, the exercise's own rest between sets and none between the two sides of one set, a
rest bar that never hides a control, "Skip rest" in one tap, a card that fits 360 px, and a
fresh session that carries no answer over from the last one."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.browser.conftest import SHOTS, api_post, settled, sign_up
from tests.conftest import session_body

STARTER = "Hip-to-Knee starter (starter)"
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
WIDE = """() => [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > innerWidth + 1)
  .map((el) => `${el.tagName}.${el.className} ${el.id} ${Math.round(el.getBoundingClientRect().right)}`)"""


def days_ago(days: int) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat()


def start(page, base, routine=STARTER):
    page.goto(f"{base}/log")
    page.locator("#start:enabled").wait_for()
    page.get_by_label("Routine", exact=True).select_option(label=routine)
    page.get_by_role("button", name="Start session").click()


def clamshell_sets(count, reps, band):
    return [
        {"exercise": "clamshell", "side": side, "reps": reps, "band": band}
        for _ in range(count)
        for side in ("left", "right")
    ]


@pytest.mark.django_db(transaction=True)
def test_cards_say_what_was_done_last_time_and_fold_how_to_once_familiar(
    live_server, live_db, context
):
    base = live_server.url
    sign_up(context, base)
    api_post(context, base, "sessions", session_body(
        started_at=days_ago(5), sets=clamshell_sets(2, 10, "red"), pain_during=None))  # fmt: skip
    api_post(context, base, "sessions", session_body(
        started_at=days_ago(2),
        sets=[*clamshell_sets(3, 12, "green"),
              *[{"exercise": "glute-bridge", "side": "both", "reps": 11, "load_kg": 12.5}] * 3],
    ))  # fmt: skip
    page = context.new_page()
    start(page, base)

    clam = page.get_by_role("region", name="Clamshell")
    assert "3 × 12 each side, green band" in clam.locator(".lasttime").text_content()
    assert clam.locator(".lasttime").text_content().startswith("Last time (")
    bridge = page.get_by_role("region", name="Glute bridge")
    assert "Last time" in bridge.text_content() and "3 × 11, 12.5 kg" in bridge.text_content()
    raise_ = page.get_by_role("region", name="Side-lying leg raise")
    assert "Last time" not in raise_.text_content()  # never done

    # done in two sessions: "How to" is folded; never done: open, with the drawing
    how_to = clam.get_by_role("button", name="How to")
    assert how_to.get_attribute("aria-expanded") == "false"
    assert not clam.get_by_role("img").is_visible()
    how_to.click()
    clam.get_by_role("button", name="How to", expanded=True).wait_for()  # on the toggle event
    clam.get_by_role("img").wait_for()  # drawn as it opens
    assert "top knee opens" in clam.get_by_role("img").get_attribute("aria-label")
    assert raise_.get_by_role("button", name="How to").get_attribute("aria-expanded") == "true"
    raise_.get_by_role("img").wait_for()
    assert "top leg lifts" in raise_.get_by_role("img").get_attribute("aria-label")
    assert "Lie on your side" in raise_.text_content()

    # cautions: a disclosure with a marker, announced as a button, opened with a tap
    cautions = bridge.get_by_role("button", name="Cautions")
    marker = cautions.evaluate("(el) => getComputedStyle(el, '::before').borderRightStyle")
    assert marker == "solid"
    assert not bridge.get_by_text("lower back").is_visible()
    cautions.click()
    bridge.get_by_role("button", name="Cautions", expanded=True).wait_for()
    assert bridge.get_by_text("lower back").is_visible()

    # the check-in's optional questions are the same kind of disclosure
    page.goto(f"{base}/checkin")
    optional = page.get_by_role("button", name="Pain on stairs, after sitting")
    assert not page.get_by_role("heading", name="On stairs").is_visible()
    optional.click()
    page.get_by_role("button", name="Pain on stairs, after sitting", expanded=True).wait_for()
    assert page.get_by_role("heading", name="On stairs").is_visible()


@pytest.mark.django_db(transaction=True)
def test_rest_is_the_exercises_own_never_between_sides_and_skipped_in_one_tap(
    live_server, live_db, context
):
    base = live_server.url
    sign_up(context, base)
    page = context.new_page()
    page.clock.install()
    start(page, base)
    page.clock.pause_at(datetime.now(UTC) + timedelta(minutes=1))  # time moves only as told
    rest = page.locator("#rest")

    bridge = page.get_by_role("region", name="Glute bridge")
    bridge.get_by_role("button", name="Log set of Glute bridge").click()
    assert rest.is_visible() and "Rest 60 s" in rest.text_content()
    page.get_by_role("button", name="Skip rest").click()  # one tap
    assert rest.is_hidden()

    clam = page.get_by_role("region", name="Clamshell")
    assert "Left 0 of 3 · Right 0 of 3 sets" in clam.text_content()  # 3 sets of 12 each side
    clam.get_by_role("button", name="Log set of Clamshell").click()  # left
    assert rest.is_hidden()
    page.locator("#log-status").filter(has_text="no rest between sides").wait_for()
    # the count follows once the set is kept on this phone
    clam.locator(".dose").filter(has_text="Left 1 of 3 · Right 0 of 3 sets").wait_for()
    clam.locator('button[data-side="right"][aria-pressed="true"]').wait_for()  # the other side next
    clam.get_by_role("button", name="Log set of Clamshell").click()  # right: the set is done
    assert rest.is_visible() and "Rest 45 s" in rest.text_content()
    page.clock.run_for(45_000)
    rest.wait_for(state="hidden")


@pytest.mark.django_db(transaction=True)
def test_the_rest_bar_never_hides_a_control(live_server, live_db, context):
    base = live_server.url
    sign_up(context, base)
    page = context.new_page()
    page.clock.install()
    start(page, base)
    squat = page.get_by_role("region", name="Supported squat")
    squat.get_by_role("button", name="Log set of Supported squat").click()
    bar = page.locator("#rest")
    assert bar.is_visible()
    covered = page.evaluate(
        """() => {
          const bar = document.querySelector('#rest').getBoundingClientRect();
          const hidden = [];
          for (const el of document.querySelectorAll(
              '#doing button, #doing input, #doing select, #doing textarea, #doing summary')) {
            if (el.offsetParent === null) continue;
            el.scrollIntoView({ block: 'nearest' });
            const r = el.getBoundingClientRect();
            if (r.bottom > bar.top && r.top < bar.bottom) hidden.push(el.getAttribute('aria-label') || el.textContent.trim() || el.id);
          }
          return hidden;
        }"""
    )
    assert covered == []
    # the button just tapped stays clear of the bar, and the page's last control too
    page.get_by_role("button", name="Discard this session").scroll_into_view_if_needed()
    discard = page.get_by_role("button", name="Discard this session").bounding_box()
    assert discard["y"] + discard["height"] <= bar.bounding_box()["y"]
    page.screenshot(path=str(SHOTS / "log-resting-end.png"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_at_360_px_the_steppers_sit_on_one_row_and_no_page_scrolls_sideways(
    live_server, live_db, chromium, scheme
):
    base = live_server.url
    # no service worker: its background warm-up of other pages' reads would keep the network
    # busy, and this test waits for each page's own reads to finish before measuring it
    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, color_scheme=scheme, service_workers="block"
    )
    sign_up(context, base)
    page = context.new_page()
    start(page, base)
    for card in page.locator(".exercise").all():
        name = card.locator("h3").text_content()
        field = card.locator("input[type=number]").first.bounding_box()
        for word in ("Fewer", "More"):
            button = card.get_by_role("button", name=word).bounding_box()
            assert abs(button["y"] + button["height"] - field["y"] - field["height"]) < 2, name
            assert button["x"] + button["width"] <= 360, name
    assert page.evaluate(NO_SIDEWAYS_SCROLL), page.evaluate(WIDE)
    page.screenshot(path=str(SHOTS / f"log-360-{scheme}.png"))
    for path in ("/", "/exercises", "/why", "/checkin", "/progress", "/history", "/reminders",
                 "/account"):  # fmt: skip
        page.goto(base + path)
        settled(page)
        assert page.evaluate(NO_SIDEWAYS_SCROLL), (path, page.evaluate(WIDE))
    page.goto(f"{base}/exercises")
    settled(page)
    page.screenshot(path=str(SHOTS / f"exercises-360-{scheme}.png"))
    context.close()


@pytest.mark.django_db(transaction=True)
def test_after_finish_the_next_session_starts_without_the_last_answer(
    live_server, live_db, context
):
    base = live_server.url
    sign_up(context, base)
    page = context.new_page()
    start(page, base)
    page.get_by_role("button", name="Log set of Glute bridge").click()
    page.get_by_role("group", name="Knee pain").get_by_role("button", name="2 out of 10").click()
    answer = page.locator("#pain-answer")
    answer.filter(has_text="Pain 0–3 is safe").wait_for()  # once kept on this phone
    page.get_by_role("button", name="Finish session").click()
    page.locator("#log-status").filter(has_text="Session saved").wait_for()
    page.get_by_role("button", name="Start session").click()
    assert answer.text_content() == ""
    pressed = page.get_by_role("group", name="Knee pain").locator("[aria-pressed=true]")
    assert pressed.count() == 0


# what of the page lies under the rest bar, found as a finger would find it (hit-testing points
# across the bar): nothing of the page's content may be there while the bar shows
UNDER_THE_BAR = """() => {
  const main = document.querySelector('main');
  const bar = document.querySelector('#rest').getBoundingClientRect();
  const found = new Set();
  for (let x = bar.left + 2; x < bar.right; x += 16) {
    for (const y of [bar.top + 1, (bar.top + bar.bottom) / 2, bar.bottom - 1]) {
      for (const el of document.elementsFromPoint(x, y)) {
        if (el !== main && main.contains(el) && !el.closest('#rest, #dock')) {
          found.add(`${el.tagName.toLowerCase()}.${el.getAttribute('class') || ''} ${(el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40)}`);
        }
      }
    }
  }
  return [...found];
}"""


def covered_while_scrolling(page, width, height, under):
    """What of the page the script ``under`` finds beneath a bar, at every step of scrolling the
    whole page with a finger (the wheel here), from where it is to its end."""
    page.mouse.move(width / 2, height / 3)
    covered, top = set(), None
    for _ in range(60):
        covered.update(page.evaluate(under))
        page.mouse.wheel(0, 150)
        page.wait_for_timeout(120)
        now = page.locator("main").bounding_box()["y"]
        if now == top:
            break  # the end of the page
        top = now
    return covered


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", [(390, 844), (360, 740)])
def test_during_rest_nothing_of_the_page_is_ever_under_the_rest_bar(
    live_server, live_db, chromium, size
):
    base = live_server.url
    width, height = size
    context = chromium.new_context(viewport={"width": width, "height": height})
    sign_up(context, base)
    page = context.new_page()
    page.clock.install()
    start(page, base)
    page.clock.pause_at(datetime.now(UTC) + timedelta(minutes=1))  # the rest lasts while we look
    cards = page.locator("section.exercise")
    cards.first.get_by_role("button", name=re.compile("^Log set of")).click()
    bar = page.locator("#rest")
    assert bar.is_visible()

    # the person scrolls through the whole session with a finger (the wheel here), reading the
    # next exercise's drawing and steps: at no point is any of it under the bar
    assert covered_while_scrolling(page, width, height, UNDER_THE_BAR) == set()
    page.screenshot(path=str(SHOTS / f"log-resting-end-{width}.png"))

    def meets_the_bar(locator):
        """Scrolled into view (as a tap on it would), does ``locator`` meet the rest bar?"""
        locator.scroll_into_view_if_needed()
        box, rest = locator.bounding_box(), bar.bounding_box()
        return box["y"] + box["height"] > rest["y"] and box["y"] < rest["y"] + rest["height"]

    second = cards.nth(1)
    second.get_by_role("img").wait_for()
    for part in (second.get_by_role("img"), second.locator(".howto .cues"),
                 second.get_by_role("button", name=re.compile("^Log set of"))):  # fmt: skip
        assert not meets_the_bar(part)
    last = cards.last
    for control in (last.locator(".stepper input"), last.get_by_role("button", name="Fewer"),
                    last.get_by_role("button", name="More"),
                    last.get_by_role("button", name=re.compile("^Log set of"))):  # fmt: skip
        assert not meets_the_bar(control.first)
    second.get_by_role("img").scroll_into_view_if_needed()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.screenshot(path=str(SHOTS / f"log-resting-{width}-{scheme}.png"))
    page.get_by_role("button", name="Skip rest").click()  # one tap
    assert bar.is_hidden()
    context.close()


@pytest.mark.django_db(transaction=True)
def test_the_second_session_shows_last_time_as_edited_in_history_and_how_to_still_open(
    live_server, live_db, context
):
    """A session logged on this phone, synced, then edited in History: the next session's card
    says what History now holds, and "How to" is still open (the exercise's second session);
    the copy the phone sent is not counted or read as another session."""
    base = live_server.url
    sign_up(context, base)
    page = context.new_page()
    start(page, base)
    bridge = page.get_by_role("region", name="Glute bridge")
    assert bridge.get_by_role("button", name="How to").get_attribute("aria-expanded") == "true"
    page.get_by_role("button", name="Log set of Glute bridge").click()
    page.get_by_role("group", name="Knee pain").get_by_role("button", name="2 out of 10").click()
    page.locator("#pain-answer").filter(has_text="Pain 0–3 is safe").wait_for()
    page.get_by_role("button", name="Finish session").click()
    page.locator("#log-status").filter(has_text="saved and synced").wait_for()

    page.goto(f"{base}/history")
    item = page.locator("#sessions li").first
    item.locator("summary").click()
    item.get_by_role("button", name="Edit the session").click()
    item.get_by_role("group", name="Set 1: Glute bridge").get_by_label("Reps").fill("15")
    item.get_by_role("button", name="Save changes").click()
    page.get_by_role("status").filter(has_text="Changes saved.").wait_for()

    start(page, base)
    settled(page)
    bridge = page.get_by_role("region", name="Glute bridge")
    assert "1 × 15" in bridge.locator(".lasttime").text_content()
    assert bridge.get_by_label("Reps", exact=True).input_value() == "15"  # prefilled as edited
    how_to = bridge.get_by_role("button", name="How to")
    assert how_to.get_attribute("aria-expanded") == "true"  # the second session: still open
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "log-second-session.png"))


IN_VIEW = """(el) => { const r = el.getBoundingClientRect();
  return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; }"""
# the controls of the page a finger could meet under the dock, found by hit-testing across it
UNDER_THE_DOCK = UNDER_THE_BAR.replace("#rest", "#dock")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", [(390, 844), (360, 740)])
def test_what_a_tap_did_shows_above_the_tab_bar_and_covers_nothing(
    live_server, live_db, chromium, size
):
    """After "Log set" on a card, the status says what was logged where the person is looking:
    in view, above the tab bar, announced politely; and no control of the page is under it,
    wherever the person scrolls."""
    width, height = size
    context = chromium.new_context(viewport={"width": width, "height": height})
    base = live_server.url
    sign_up(context, base)
    page = context.new_page()
    start(page, base)
    settled(page)
    raise_ = page.get_by_role("region", name="Side-lying leg raise")
    raise_.get_by_role("button", name="Log set of Side-lying leg raise").click()  # left side
    status = page.get_by_role("status").filter(has_text="Logged: Side-lying leg raise")
    status.wait_for()
    assert status.get_attribute("aria-live") == "polite"
    assert status.evaluate(IN_VIEW), status.bounding_box()
    tabs = page.locator(".tabs").bounding_box()
    box = status.bounding_box()
    assert box["y"] + box["height"] <= tabs["y"]  # above the tab bar, not under it
    log_button = raise_.get_by_role("button", name="Log set of Side-lying leg raise")
    assert log_button.evaluate(IN_VIEW)  # the card tapped stays in view with it
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"log-status-{width}.png"))

    assert covered_while_scrolling(page, width, height, UNDER_THE_DOCK) == set()
    page.screenshot(path=str(SHOTS / f"log-status-end-{width}.png"))
    context.close()


@pytest.mark.django_db(transaction=True)
def test_a_session_opened_again_goes_on_with_the_side_that_is_due(live_server, live_db, context):
    """The trial reopened Log after a left-side set and the card had gone back to Left: the next
    tap logged a second left set. Reopened, the card is on the side with fewer sets."""
    base = live_server.url
    sign_up(context, base)
    page = context.new_page()
    start(page, base)
    clam = page.get_by_role("region", name="Clamshell")
    clam.get_by_role("button", name="Log set of Clamshell").click()  # left
    clam.locator(".dose").filter(has_text="Left 1 of 3 · Right 0 of 3 sets").wait_for()
    assert "12 reps, left side" in clam.get_by_role("list", name="Sets of Clamshell").text_content()
    page.reload()
    settled(page)
    clam = page.get_by_role("region", name="Clamshell")
    clam.locator('button[data-side="right"][aria-pressed="true"]').wait_for()
    clam.get_by_role("button", name="Log set of Clamshell").click()
    clam.locator(".dose").filter(has_text="Left 1 of 3 · Right 1 of 3 sets").wait_for()
    page.reload()  # a whole pair: left again
    settled(page)
    page.get_by_role("region", name="Clamshell").locator(
        'button[data-side="left"][aria-pressed="true"]'
    ).wait_for()


@pytest.mark.django_db(transaction=True)
def test_a_session_that_hurt_more_than_5_is_saved_without_praise(live_server, live_db, context):
    base = live_server.url
    sign_up(context, base)
    page = context.new_page()
    start(page, base)
    page.get_by_role("button", name="Log set of Glute bridge").click()
    page.get_by_role("group", name="Knee pain").get_by_role("button", name="6 out of 10").click()
    page.locator("#pain-answer").filter(has_text="Pain above 5").wait_for()
    page.get_by_role("button", name="Finish session").click()
    status = page.locator("#log-status")
    status.filter(has_text="Session saved and synced").wait_for()
    assert "Well done" not in status.text_content()
    assert "Next session, ease off" in status.text_content()  # still in view after Finish
