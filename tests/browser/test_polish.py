"""What a patient trial on phones found: check-in cards that hold their own headings, a rest day
that says why, one way of writing days and times on every page, a report baseline that agrees
with week 1, a habit score explained where it stands, a jump list on Exercises, reminders titled
by their own days and time, and a setup card and Reminders that agree on how a reminder comes."""

import re
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import SHOTS, api_post, demo_user, sign_in, sign_up
from tracker.models import Passkey, User

WEEKDAY = r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
MONTH = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
DAY = rf"{WEEKDAY} \d{{1,2}} {MONTH}( \d{{4}})?"  # "Thu 3 Dec", "Mon 30 Nov 2025"
WHEN = rf"{DAY}, [0-2]\d:[0-5]\d"  # "Thu 3 Dec, 07:30"
# the other ways a page could write them: "12/3/2026", "Dec 3", "07:30 AM", "Thursday, December 3"
OTHER_WAYS = re.compile(
    rf"\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|\b{MONTH} \d{{1,2}}\b|\d:\d\d ?(AM|PM|am|pm)\b"
    r"|\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),"
)
LONDON = ZoneInfo("Europe/London")
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def other_ways(text):
    return [m.group(0) for m in OTHER_WAYS.finditer(text)]


def us_phone(chromium, width=390, height=844, **options):
    """A phone set to US English, whose own way of writing dates and times the pages must not take."""
    return chromium.new_context(
        viewport={"width": width, "height": height}, locale="en-US", **options
    )


# --- 1. Check-in: each card holds its heading, and the Day field has room -------------------
INSIDE = """() => [...document.querySelectorAll('#checkin .card')].filter((c) => c.offsetParent).map((card) => {
  const box = card.getBoundingClientRect();
  const heading = card.querySelector(':scope > legend, :scope > summary');
  const r = heading.getBoundingClientRect();
  return {heading: heading.textContent.trim().slice(0, 40),
    inside: r.top >= box.top && r.bottom <= box.bottom && r.left >= box.left && r.right <= box.right};
})"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("width", "height"), [(390, 844), (360, 740)])
def test_check_in_cards_hold_their_headings_and_the_day_field_has_room(
    live_server, live_db, chromium, width, height
):
    base = live_server.url
    context = us_phone(chromium, width, height)
    sign_up(context, base)
    page = context.new_page()
    page.goto(f"{base}/checkin")
    page.locator("#checkin button[type=submit]:not([disabled])").wait_for()
    cards = page.evaluate(INSIDE)
    assert len(cards) >= 3 and all(c["inside"] for c in cards), cards
    day = page.get_by_label("Day", exact=True).bounding_box()
    heading = page.locator("#checkin legend").first.bounding_box()
    assert heading["y"] - (day["y"] + day["height"]) >= 4, (day, heading)
    title = page.get_by_role("heading", name="Knee check-in").bounding_box()
    label = page.get_by_text("Day", exact=True).bounding_box()
    assert label["y"] - (title["y"] + title["height"]) >= 4
    # the day chosen, in the words every page uses (the date field follows the phone's settings)
    today = datetime.now(LONDON)
    assert (
        page.locator("#date-words").text_content() == f"{today:%a} {today.day} {today:%b} (today)"
    )
    page.screenshot(path=str(SHOTS / f"checkin-cards-{width}.png"), full_page=True)
    context.close()


# --- 2. A rest day says why, and that a session is still welcome ----------------------------
@pytest.mark.django_db(transaction=True)
def test_today_says_why_it_is_a_rest_day_and_that_a_session_is_still_welcome(
    live_server, live_db, context
):
    base = live_server.url
    sign_up(context, base)
    today = datetime.now(LONDON).weekday()
    others = [d for d in range(7) if d != today]
    api_post(context, base, "reminders", {"kind": "session", "weekdays": others[:3], "time": "18:00",
             "channel": "email", "enabled": True, "skip_if_done": True})  # fmt: skip
    page = context.new_page()
    page.goto(f"{base}/")
    note = page.locator("#day-note")
    note.filter(has_text="rest day").wait_for()
    days = ", ".join(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][d] for d in others[:3])
    assert note.text_content() == (
        f"Today is a rest day: {WEEKDAY_NAMES[today]} is not one of the days you chose for "
        f"reminders ({days}). You may still do a session today if you feel like it: it counts "
        "towards this week."
    )
    assert page.get_by_role("link", name="Start a session").is_visible()
    page.screenshot(path=str(SHOTS / "today-rest-day.png"), full_page=True)

    # the check-in's own "Today is a rest day" says what ticking it does
    page.goto(f"{base}/checkin")
    box = page.get_by_role("checkbox", name="Today is a rest day")
    help_id = box.get_attribute("aria-describedby")
    words = page.locator(f"#{help_id}").text_content()
    assert "habit score holds still" in words and "You may still do a session" in words


@pytest.mark.django_db(transaction=True)
def test_today_calls_a_day_after_the_weekly_target_a_rest_day_never_a_day_off(
    live_server, live_db, context
):
    base = live_server.url
    sign_up(context, base)
    # the target met this week: three sessions on Monday (today's, when today is Monday)
    now = datetime.now(LONDON)
    monday = now.date() - timedelta(days=now.weekday())
    at = now - timedelta(minutes=5) if now.weekday() == 0 else datetime.combine(
        monday, datetime.min.time(), LONDON) + timedelta(hours=7)  # fmt: skip
    for n in range(3):
        api_post(context, base, "sessions", {
            "client_id": str(uuid.uuid4()), "started_at": (at - timedelta(minutes=n)).isoformat(),
            "sets": [{"exercise": "clamshell", "side": "left", "reps": 10}]})  # fmt: skip
    page = context.new_page()
    page.goto(f"{base}/")
    note = page.locator("#day-note")
    if now.weekday() == 0:
        note.filter(has_text="Today’s session is logged").wait_for()
        return
    note.filter(has_text="rest day").wait_for()
    assert "you have done this week’s 3 sessions" in note.text_content()
    assert "You may still do a session today" in note.text_content()


# --- 3. One way of writing days and times, on every page ------------------------------------
@pytest.mark.timeout(300)
@pytest.mark.django_db(transaction=True)
def test_every_page_writes_days_and_times_one_way(live_server, live_db, chromium):
    base = live_server.url
    user = demo_user()
    Passkey.objects.create(
        user=user, name="My phone", credential_id="cred-1", public_key=b"k", user_handle="h",
        last_used_at=datetime.now(UTC) - timedelta(days=1),
    )  # fmt: skip
    context = us_phone(chromium)
    page = context.new_page()
    sign_in(page, base, "demo@example.com")

    # History: each session's day and time, each check-in's day
    page.goto(f"{base}/history")
    page.locator("#sessions > li summary").first.wait_for()
    first = page.locator("#sessions > li").first.locator("summary").text_content()
    assert re.search(WHEN, first), first
    page.locator("#checkins li strong").first.wait_for()
    for day in page.locator("#checkins li strong").all_text_contents()[:5]:
        assert re.fullmatch(DAY, day), day
    assert other_ways(page.locator("main").inner_text()) == []

    # Today: the setup card's reminder
    page.evaluate(f"localStorage.setItem('h2k:setup:{user.pk}', 'open')")
    page.goto(f"{base}/")
    card = page.get_by_role("region", name="Set up your plan")
    card.get_by_label("At", exact=True).fill("07:30")
    card.get_by_role("button", name="Save").click()
    nxt = page.locator("#setup-next")
    nxt.wait_for()
    assert re.fullmatch(rf"Next: {DAY}, 07:30", nxt.text_content()), nxt.text_content()
    assert "at 07:30" in page.locator("#setup").text_content()
    assert other_ways(page.locator("main").inner_text()) == []

    # Reminders: its title and its next time
    page.goto(f"{base}/reminders")
    reminder = page.get_by_role("region", name="Session reminder")
    reminder.locator(".badge").filter(has_text="Saved").wait_for()
    assert reminder.get_by_role("heading").text_content().endswith("at 07:30")
    assert re.search(rf"Next: {DAY}, 07:30", reminder.text_content())
    assert other_ways(page.locator("main").inner_text()) == []

    # Account: the passkey's days
    page.goto(f"{base}/account")
    passkey = page.locator("#passkey-list li").filter(has_text="My phone")
    passkey.wait_for()
    assert re.search(rf"added {DAY} · last used {DAY}", passkey.text_content())
    assert other_ways(page.locator("main").inner_text()) == []

    # Report: when it was made, the weeks, the last day of each exercise, the share link
    page.goto(f"{base}/report")
    meta = page.locator("#report-meta")
    meta.filter(has_text="Generated").wait_for()
    assert re.search(rf"Generated {WHEN}", meta.text_content()), meta.text_content()
    last_done = page.locator("#r-loads tbody tr td:last-child").first.text_content()
    assert re.fullmatch(DAY, last_done), last_done
    page.get_by_role("button", name="Create a share link").click()
    page.locator("#shares li").first.wait_for()
    assert re.search(
        rf"Link created {DAY}: works until {DAY}", page.locator("#shares").text_content()
    )
    assert other_ways(page.locator("main").inner_text()) == []
    context.close()


# --- 4. The report's baseline is week 1's rating ---------------------------------------------
def summary_of(page, base):
    page.goto(f"{base}/report")
    summary = page.locator("#r-summary")
    summary.get_by_text("Week 1 (baseline)").wait_for()
    return summary.locator("dd").first.text_content()


@pytest.mark.django_db(transaction=True)
def test_the_report_reads_week_one_as_the_baseline_and_says_not_yet_only_without_one(
    live_server, live_db, context
):
    base = live_server.url
    sign_up(context, base)
    page = context.new_page()
    # no rating yet (a session only): "not yet"
    api_post(context, base, "sessions", {"client_id": str(uuid.uuid4()),
             "started_at": datetime.now(UTC).isoformat(),
             "sets": [{"exercise": "clamshell", "side": "left", "reps": 10}]})  # fmt: skip
    assert summary_of(page, base).startswith("Not yet")

    # one rating in week 1: it reads as the baseline, not "not yet established"
    today = datetime.now(LONDON).date().isoformat()
    api_post(context, base, "checkins", {"client_id": str(uuid.uuid4()), "date": today, "pain": 5})
    text = summary_of(page, base)
    assert text.startswith("Mean NRS 5.0/10") and "not yet" not in text.lower(), text
    week1 = page.locator("#r-weeks tbody tr").first.locator("td").nth(1).text_content()
    assert week1 == "5.0"


# --- 5. The habit score, explained where it stands --------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_the_habit_score_is_explained_beside_it_as_a_build_up_never_a_failure(
    live_server, live_db, context
):
    base = live_server.url
    sign_up(context, base)
    page = context.new_page()
    page.goto(f"{base}/progress")
    card = page.get_by_role("region", name="Habit")
    score = card.locator("#score")
    score.filter(has_text=re.compile(r"^\d+$")).wait_for()
    note = card.locator("#habit-note").text_content()
    for words in ("builds over weeks of regular sessions", "where everyone starts",
                  "about 50", "80 or more"):  # fmt: skip
        assert words in note, (words, note)
    assert not re.search(r"fail|poor|bad|low score", note, re.I)
    note_box = card.locator("#habit-note").bounding_box()
    score_box = score.bounding_box()
    gap = note_box["y"] - (score_box["y"] + score_box["height"])
    assert 0 <= gap < 120  # right under the score, in the same card


# --- 6. Exercises: a jump list -------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_the_exercise_list_opens_with_links_that_jump_to_each_exercise(
    live_server, live_db, context
):
    base = live_server.url
    page = context.new_page()
    page.goto(f"{base}/exercises")
    jump = page.get_by_role("navigation", name="Jump to an exercise")
    jump.wait_for()
    assert jump.bounding_box()["y"] < 844  # at the top, on the first screen
    links = jump.get_by_role("link")
    exercises = page.request.get(f"{base}/api/v1/exercises").json()
    assert links.count() == len(exercises) + len({e["category"] for e in exercises})

    jump.get_by_role("link", name="Clamshell", exact=True).click()
    assert page.url.endswith("#ex-clamshell")
    box = page.get_by_role("region", name="Clamshell", exact=True).bounding_box()
    assert -2 <= box["y"] < 100, box  # its card at the top of the screen

    page.get_by_role("region", name="Clamshell", exact=True).get_by_role(
        "link", name="Back to the list"
    ).click()
    jump.get_by_role("link", name="Mobility and stretches").click()
    heading = page.get_by_role("heading", name="Mobility and stretches", level=2)
    assert -2 <= heading.bounding_box()["y"] < 100


# --- 7. Two reminders, two titles -----------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_two_reminders_are_titled_by_their_own_days_and_time(live_server, live_db, context):
    base = live_server.url
    sign_up(context, base)
    for weekdays, time in (([0, 2, 4], "18:00"), ([1, 3], "07:30")):
        api_post(context, base, "reminders", {"kind": "session", "weekdays": weekdays, "time": time,
                 "channel": "push", "enabled": True, "skip_if_done": True})  # fmt: skip
    page = context.new_page()
    page.goto(f"{base}/reminders")
    evening = page.get_by_role("region", name="Session reminder Mon, Wed, Fri at 18:00")
    morning = page.get_by_role("region", name="Session reminder Tue, Thu at 07:30")
    evening.wait_for()
    assert evening.count() == 1 and morning.count() == 1
    titles = page.locator("#reminders h2").all_text_contents()
    assert len(set(titles)) == 2, titles
    # a change of day retitles the card as it is edited
    morning.get_by_role("button", name="Sat", exact=True).click()
    page.get_by_role("region", name="Session reminder Tue, Thu, Sat at 07:30").wait_for()
    assert morning.count() == 0
    page.screenshot(path=str(SHOTS / "reminders-two-titles.png"), full_page=True)


# --- 8. How a reminder comes, the same on Today and Reminders ------------------------------
PUSH_ON = """
PushManager.prototype.getSubscription = function () {
  return Promise.resolve({ endpoint: 'https://push.example/1', toJSON: () => ({}) });
};
"""


def delivery_words(page, base, user_pk):
    """What the setup card says once saved, and what the reminder's card on Reminders says."""
    page.evaluate(f"localStorage.setItem('h2k:setup:{user_pk}', 'open')")
    page.goto(f"{base}/")
    page.get_by_role("region", name="Set up your plan").get_by_role("button", name="Save").click()
    setup = page.locator("#setup-delivery")
    setup.wait_for()
    words = setup.text_content()
    page.screenshot(path=str(SHOTS / f"today-setup-saved-{len(words)}.png"), full_page=True)
    page.goto(f"{base}/reminders")
    card = page.get_by_role("region", name="Session reminder")
    card.locator(".badge").filter(has_text="Saved").wait_for()
    assert card.get_by_label("Send as").input_value() == "push"
    page.locator("#push-state").filter(has_text="Notifications are").wait_for()
    return words, card.locator(".delivery").text_content()


@pytest.mark.django_db(transaction=True)
def test_setup_and_reminders_agree_that_a_reminder_comes_by_email_until_notifications_are_on(
    live_server, live_db, context
):
    base = live_server.url
    sign_up(context, base)
    page = context.new_page()
    page.goto(f"{base}/")
    setup_words, card_words = delivery_words(page, base, User.objects.get().pk)
    assert card_words == "It comes by email until you turn on notifications for this phone."
    assert setup_words.startswith(card_words)


@pytest.mark.django_db(transaction=True)
def test_setup_and_reminders_agree_that_a_reminder_comes_as_a_notification_once_on(
    live_server, live_db, chromium
):
    base = live_server.url
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    context.grant_permissions(["notifications"], origin=base)
    context.add_init_script(PUSH_ON)
    sign_up(context, base)
    page = context.new_page()
    page.goto(f"{base}/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    setup_words, card_words = delivery_words(page, base, User.objects.get().pk)
    assert card_words == "It comes as a notification on this phone."
    assert setup_words == card_words
    context.close()
