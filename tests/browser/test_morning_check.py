"""The next-morning notification opens a page that records pain_next_morning in one tap."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.browser.conftest import api_post, sign_up
from tests.conftest import session_body
from tracker.models import WorkoutSession


@pytest.mark.django_db(transaction=True)
def test_one_tap_records_the_morning_pain_on_yesterdays_session(live_server, live_db, context):
    base = live_server.url
    sign_up(context, base)
    yesterday = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    session = api_post(context, base, "sessions", session_body(started_at=yesterday))
    page = context.new_page()
    page.goto(f"{base}/checkin/morning?session={session['id']}")
    page.get_by_role("button", name="Pain 3 out of 10").click()
    status = page.get_by_role("status")
    status.filter(has_text="Saved: 3 out of 10").wait_for()
    assert WorkoutSession.objects.get(pk=session["id"]).pain_next_morning == 3
    assert (
        page.get_by_role("button", name="Pain 3 out of 10").get_attribute("aria-pressed") == "true"
    )
    page.get_by_role("button", name="Pain 7 out of 10").click()
    status.filter(has_text="Stop if pain increases instead of improving").wait_for()
    assert WorkoutSession.objects.get(pk=session["id"]).pain_next_morning == 7


@pytest.mark.django_db(transaction=True)
def test_signed_out_the_page_says_so_and_records_nothing(live_server, live_db, context):
    page = context.new_page()
    page.goto(f"{live_server.url}/checkin/morning?session=1")
    page.get_by_role("button", name="Pain 2 out of 10").click()
    page.get_by_role("status").filter(has_text="sign in").wait_for()


@pytest.mark.django_db(transaction=True)
def test_the_morning_check_has_the_apps_navigation_back_to_today(live_server, live_db, context):
    base = live_server.url
    sign_up(context, base)
    yesterday = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    session = api_post(context, base, "sessions", session_body(started_at=yesterday))
    page = context.new_page()
    page.goto(f"{base}/checkin/morning?session={session['id']}")
    page.get_by_role("button", name="Pain 2 out of 10").click()
    page.get_by_role("status").filter(has_text="Saved: 2 out of 10").wait_for()
    tabs = page.get_by_role("navigation", name="Main")
    assert [a.text_content() for a in tabs.get_by_role("link").all()] == [
        "Today", "Log", "Progress", "Reminders",
    ]  # fmt: skip
    tabs.get_by_role("link", name="Today").click()
    page.get_by_role("heading", name="Today", exact=True).wait_for()
    assert page.url == f"{base}/"
