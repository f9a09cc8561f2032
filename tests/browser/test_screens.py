"""Every page on the two phone sizes the app is designed for, 390x844 and 360x740, in light and
dark: nothing scrolls sideways, axe-core finds nothing serious or critical, and a full-page
screenshot of each goes to var/screenshots/<page>-<size>-<scheme>.png to look at."""

import pytest

from tests.browser.conftest import SHOTS, axe_violations, demo_user, settled, sign_in

SIZES = [(390, 844), (360, 740)]
SCHEMES = ["light", "dark"]
PAGES = [  # name, path, the heading that says the page is there
    ("today", "/", "Today"),
    ("log", "/log", "Log a session"),
    ("progress", "/progress", "Progress"),
    ("reminders", "/reminders", "Reminders"),
    ("history", "/history", "History"),
    ("routines", "/routines", "Routines"),
    ("exercises", "/exercises", "Exercises"),
    ("account", "/account", "Account"),
    ("checkin", "/checkin", "Knee check-in"),
    ("morning", "/checkin/morning?session=1", "How is your knee this morning?"),
    ("report", "/report", "Report for a physiotherapist"),
]
SIDEWAYS = """() => ({scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth,
  wide: [...document.querySelectorAll('body *')].filter(e => e.offsetParent !== null && !e.closest('.table-scroll')
    && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).map(e => e.tagName + '#' + e.id + '.' + e.className).slice(0, 5)})"""


def look(page, name, failures):
    settled(page)
    page.wait_for_timeout(150)  # charts draw after their data arrives
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    width = page.evaluate(SIDEWAYS)
    if width["scroll"] > width["width"] or width["wide"]:
        failures.append((name, "scrolls sideways", width))
    if found := axe_violations(page):
        failures.append((name, "axe", found))


@pytest.mark.timeout(600)  # sixteen pages, each with axe
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_page_on_a_phone_fits_and_passes_axe(
    live_server, live_db, chromium, width, height, scheme
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    user = demo_user()
    session = user.workout_sessions.order_by("-started_at").first()
    failures = []
    if True:  # one size and scheme per test
        size = f"{width}x{height}"
        # axe is injected as a script tag, so the context bypasses the page's CSP (tests only)
        context = chromium.new_context(
            viewport={"width": width, "height": height}, color_scheme=scheme, bypass_csp=True
        )
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        for name, path in (("signin", "/signin"), ("signup", "/signup")):
            page.goto(base + path)
            look(page, f"{name}-{size}-{scheme}", failures)
        sign_in(page, base, "demo@example.com")
        for name, path, heading in PAGES:
            page.goto(base + path.replace("session=1", f"session={session.pk}"))
            page.get_by_role("heading", name=heading, exact=True).wait_for()
            look(page, f"{name}-{size}-{scheme}", failures)
        # History with a session opened, and the report's share link made
        page.goto(f"{base}/history")
        page.locator("#sessions summary").first.click()
        look(page, f"history-open-{size}-{scheme}", failures)
        page.goto(f"{base}/report")
        page.get_by_role("button", name="Create a share link").click()
        link = page.locator("#share-link a").get_attribute("href")
        page.get_by_role("button", name="Copy link").scroll_into_view_if_needed()
        look(page, f"report-share-{size}-{scheme}", failures)
        # the first run: Today with its setup card, as sign-up leaves it
        page.evaluate(f"localStorage.setItem('h2k:setup:{user.pk}', 'open')")
        page.goto(f"{base}/")
        page.get_by_role("region", name="Set up your plan").wait_for()
        page.get_by_role("button", name="Change time zone").click()
        look(page, f"today-setup-{size}-{scheme}", failures)
        page.evaluate(f"localStorage.removeItem('h2k:setup:{user.pk}')")
        context.close()

        shared = chromium.new_context(  # the physiotherapist, without an account
            viewport={"width": width, "height": height}, color_scheme=scheme, bypass_csp=True
        )
        other = shared.new_page()
        other.goto(link)
        other.locator("#r-loads tbody tr").first.wait_for()
        look(other, f"report-shared-{size}-{scheme}", failures)
        shared.close()
        assert errors == [], errors
    assert failures == [], failures
