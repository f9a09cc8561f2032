"""Progress charts drawn from real data, with tables that say the same; the physiotherapist report
and its share link, opened without an account."""

import pytest

from tests.browser.conftest import demo_user, sign_in

INK = """(id) => {
  const canvas = document.querySelector(`#${id} canvas`);
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked += 1;
  return {inked, width: canvas.width, height: canvas.height};
}"""


@pytest.mark.django_db(transaction=True)
def test_the_charts_are_drawn_from_the_users_weeks(live_server, live_db, context):
    base = live_server.url
    demo_user()
    page = context.new_page()
    sign_in(page, base, "demo@example.com")
    with page.expect_response(lambda r: "/api/v1/progress/weekly?weeks=12" in r.url) as answer:
        page.goto(f"{base}/progress")
    api_weeks = answer.value.json()["weeks"]
    page.locator("#sessions-chart canvas").wait_for()
    for chart in ("sessions-chart", "pain-chart"):
        ink = page.evaluate(INK, chart)
        assert ink["width"] > 300 and ink["inked"] > 2000, (chart, ink)

    # the tables carry the same figures, week by week
    rows = page.locator("#sessions-table tbody tr")
    assert rows.count() == len(api_weeks) == 9
    sessions = [int(rows.nth(i).locator("td").first.text_content()) for i in range(rows.count())]
    assert sessions == [w["sessions"] for w in api_weeks]
    pain_rows = page.locator("#pain-table tbody tr")
    shown = [pain_rows.nth(i).locator("td").first.text_content() for i in range(pain_rows.count())]
    assert shown == ["–" if w["pain_mean"] is None else f"{w['pain_mean']:.1f}" for w in api_weeks]
    milestones = page.locator("#milestones").text_content()
    assert (
        "Week 4" in milestones
        and "Week 8" in milestones
        and "lower than in your first" in milestones
    )
    assert page.locator("#streak").text_content().isdigit()


@pytest.mark.django_db(transaction=True)
def test_the_report_prints_and_its_link_opens_without_an_account(live_server, live_db, chromium):
    base = live_server.url
    demo_user()
    owner = chromium.new_context(viewport={"width": 390, "height": 844})
    page = owner.new_page()
    sign_in(page, base, "demo@example.com")
    page.goto(f"{base}/report")
    page.locator("#r-loads tbody tr").first.wait_for()
    assert page.locator("#r-weeks tbody tr").count() == 9
    assert "Clamshell" in page.locator("#r-loads").text_content()
    page.emulate_media(media="print")
    assert not page.get_by_role("navigation", name="Main").is_visible()
    assert not page.get_by_role("button", name="Create a share link").is_visible()
    page.emulate_media(media="screen")
    page.get_by_role("button", name="Create a share link").click()
    link = page.locator("#share-link a").get_attribute("href")
    assert "/report/shared#" in link

    physio = chromium.new_context(viewport={"width": 1024, "height": 900})  # no account at all
    other = physio.new_page()
    other.goto(link)
    other.locator("#r-loads tbody tr").first.wait_for()
    assert other.locator("#r-weeks tbody tr").count() == 9
    assert not other.get_by_role("button", name="Create a share link").is_visible()

    page.get_by_role("button", name="Revoke the link", exact=False).click()
    page.locator("#shares").filter(has_text="revoked").wait_for()
    other.reload()
    other.get_by_text("This link has expired or was revoked").wait_for()
    owner.close()
    physio.close()
