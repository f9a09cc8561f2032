"""A new user's first minutes: the password rules before the first try and a sentence when one is
too short; sign-up lands on Today with a setup card (weekly target, the time zone chosen from a
list, a reminder) that saves only on a tap and then says what was saved; the Reminders page never
shows an unsaved form as if it were saved; day one reads as a start, not as a failure."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import PASSWORD, api_post, settled, sign_up
from tests.conftest import session_body
from tracker.models import Profile, Reminder
from tracker.rules.reminders import weekdays_from_mask


def next_words(reminder: Reminder, zone: str) -> str:
    """The reminder's next time as every page writes it: "Next: Mon 7 Dec, 07:30"."""
    when = reminder.next_fire_at.astimezone(ZoneInfo(zone))
    return f"Next: {when:%a} {when.day} {when:%b}, {when:%H:%M}"


@pytest.mark.django_db(transaction=True)
def test_sign_up_lands_on_today_where_setup_saves_only_on_a_tap(live_server, live_db, chromium):
    base = live_server.url
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, timezone_id="Europe/Paris"
    )
    page = context.new_page()
    page.goto(f"{base}/signup")
    # the rules are there before the first try, tied to the field
    rules = page.locator("#password-rules")
    assert (
        "At least 8 characters" in rules.text_content()
        and "common password" in rules.text_content()
    )
    assert "password-rules" in page.get_by_label("Password").get_attribute("aria-describedby")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password").fill("hips")
    page.get_by_role("button", name="Create account").click()
    page.locator("#password-error").filter(has_text="Use at least 8 characters.").wait_for()
    assert "String should" not in page.locator("main").text_content()

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(f"{base}/")  # Today, not Reminders
    card = page.get_by_role("region", name="Set up your plan")
    card.wait_for()
    assert "Europe/Paris (found on this phone)" in card.text_content()  # the phone's own zone
    assert Reminder.objects.count() == 0  # nothing saved by showing a form

    # the Reminders page says its suggestion is not saved
    page.goto(f"{base}/reminders")
    suggestion = page.get_by_role("region", name="Session reminder")
    suggestion.get_by_text("Not saved yet").wait_for()
    assert "Next:" not in suggestion.text_content()

    page.goto(f"{base}/")
    card.wait_for()  # still there until saved or put off
    card.get_by_label("Sessions per week").select_option("2")
    card.get_by_role("button", name="Change time zone").click()
    card.get_by_label("Search time zones").fill("new york")
    assert card.get_by_label("Time zone", exact=True).input_value() == "America/New_York"
    days = card.get_by_role("group", name="Remind me to train")
    days.get_by_role("button", name="Fri", exact=True).click()  # Monday and Wednesday stay
    card.get_by_label("At", exact=True).fill("07:30")
    assert Reminder.objects.count() == 0
    card.get_by_role("button", name="Save").click()

    page.get_by_role("region", name="Saved").wait_for()
    profile = Profile.objects.get()
    assert (profile.weekly_target, profile.timezone) == (2, "America/New_York")
    reminder = Reminder.objects.get()
    assert weekdays_from_mask(reminder.weekdays) == [0, 2] and f"{reminder.time:%H:%M}" == "07:30"
    shown = page.locator("#setup-next").text_content()
    assert shown.startswith(next_words(reminder, "America/New_York")) and "07:30" in shown
    assert "2 sessions a week" in page.locator("#setup").text_content()

    # on Reminders it is saved, and an edit says it is not saved until Save
    page.goto(f"{base}/reminders")
    saved = page.get_by_role("region", name="Session reminder")
    saved.locator(".badge").filter(has_text="Saved").wait_for()
    assert next_words(reminder, "America/New_York") in saved.text_content()
    saved.get_by_role("button", name="Tue", exact=True).click()
    saved.get_by_text("Changes not saved yet").wait_for()
    assert weekdays_from_mask(Reminder.objects.get().weekdays) == [0, 2]

    page.goto(f"{base}/")
    page.get_by_role("heading", name="Today", exact=True).wait_for()
    settled(page)
    assert not page.locator("#setup").is_visible()  # done once
    context.close()


@pytest.mark.django_db(transaction=True)
def test_the_setup_card_can_be_put_off_without_saving_anything(live_server, live_db, context):
    base = live_server.url
    page = context.new_page()
    page.goto(f"{base}/signup")
    page.get_by_label("Email").fill("bo@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    card = page.get_by_role("region", name="Set up your plan")
    card.get_by_role("button", name="Not now").click()
    assert not card.is_visible() and Reminder.objects.count() == 0
    page.reload()
    settled(page)
    assert not page.locator("#setup").is_visible()


@pytest.mark.django_db(transaction=True)
def test_the_account_time_zone_is_chosen_from_a_searchable_list(live_server, live_db, context):
    base = live_server.url
    sign_up(context, base)
    page = context.new_page()
    page.goto(f"{base}/account")
    page.get_by_label("Search time zones").wait_for()
    zone = page.get_by_label("Time zone", exact=True)
    assert zone.evaluate("el => el.tagName") == "SELECT"  # chosen, never typed
    assert zone.input_value() == "Europe/London"
    page.get_by_label("Search time zones").fill("kolk")
    assert zone.input_value() == "Asia/Kolkata"
    names = zone.evaluate("el => [...el.options].map(o => o.value)")
    assert "Asia/Kolkata" in names and len(names) <= 3  # narrowed to the matches
    page.get_by_label("Search time zones").fill("")
    assert zone.evaluate("el => el.options.length") > 300  # every region zone, and UTC
    page.get_by_label("Search time zones").fill("kolkata")
    page.get_by_role("button", name="Save settings").click()
    page.locator("#profile-status").filter(has_text="Saved.").wait_for()
    assert Profile.objects.get().timezone == "Asia/Kolkata"
    assert "IANA" not in page.locator("main").text_content()


@pytest.mark.django_db(transaction=True)
def test_day_one_reads_as_a_start_not_a_failure(live_server, live_db, context):
    base = live_server.url
    sign_up(context, base)
    api_post(context, base, "sessions", session_body(started_at=datetime.now(UTC).isoformat()))
    page = context.new_page()
    page.goto(f"{base}/progress")
    rows = page.locator("#sessions-table tbody tr")
    rows.first.wait_for(state="attached")
    assert rows.count() == 1
    cells = [c.text_content() for c in rows.first.locator("th, td").all()]
    assert cells[0].startswith("Wk 1") and cells[-1] == "In progress"
    note = page.locator("#habit-note").text_content()
    assert "builds over weeks of regular sessions" in note and "first week is in progress" in note
