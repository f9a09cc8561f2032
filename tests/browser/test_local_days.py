"""The pages count days and weeks in the user's time zone, as the server does, not the phone's:
someone in Auckland whose phone says Los Angeles still has Monday begin in Auckland."""

import pytest

from tests.browser.conftest import sign_up

DAYS = """async () => {
  const app = await import('/static/frontend/js/app.js');
  app.state.me = { timezone: 'Pacific/Auckland' };
  const sunday_in_la = new Date('2026-03-01T12:00:00Z');  // Monday 01:00 in Auckland
  const day = app.localDate(sunday_in_la);
  return [day, app.mondayOf(day), app.localDate(sunday_in_la, 'America/Los_Angeles'),
          app.mondayOf('2026-03-01')];
}"""


@pytest.mark.django_db(transaction=True)
def test_a_day_and_its_week_are_the_users_not_the_phones(live_server, live_db, chromium):
    context = chromium.new_context(timezone_id="America/Los_Angeles")
    try:
        sign_up(context, live_server.url)
        page = context.new_page()
        page.goto(f"{live_server.url}/")
        user_day, user_monday, phone_day, sunday_week = page.evaluate(DAYS)
    finally:
        context.close()
    assert (user_day, user_monday) == ("2026-03-02", "2026-03-02")
    assert phone_day == "2026-03-01" and sunday_week == "2026-02-23"
