"""Every main page on a phone-sized screen: reachable from the tab bar, accessible (axe-core, no
serious or critical violation), tap targets of 44 px or more, dark mode from the system; and a
screenshot of each at 390x844 in var/screenshots/ (git-ignored) to look at."""

import pytest

from tests.browser.conftest import (
    SHOTS,
    SMALL_TARGETS,
    axe_violations,
    demo_user,
    settled,
    sign_in,
    worker_in_control,
)

PAGES = [
    ("today", "/", "Today"),
    ("progress", "/progress", "Progress"),
    ("reminders", "/reminders", "Reminders"),
    ("history", "/history", "History"),
    ("exercises", "/exercises", "Exercises"),
    ("routines", "/routines", "Routines"),
    ("account", "/account", "Account"),
    ("checkin", "/checkin", "Knee check-in"),
    ("report", "/report", "Report for a physiotherapist"),
    ("why", "/why", "Why hips?"),
]


def check(page, name):
    settled(page)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    assert axe_violations(page) == [], name
    assert page.evaluate(SMALL_TARGETS) == [], name


@pytest.mark.django_db(transaction=True)
def test_every_main_page_is_accessible_with_large_targets(live_server, live_db, phone):
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    demo_user()
    page = phone.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/signin")
    check(page, "signin")
    sign_in(page, base, "demo@example.com")
    worker_in_control(page)
    for name, path, heading in PAGES:
        page.goto(base + path)
        page.get_by_role("heading", name=heading, exact=True).wait_for()
        check(page, name)
    # Log, mid-session: two sets in, the rest timer running
    page.goto(f"{base}/log")
    page.get_by_role("button", name="Start session").click()
    page.get_by_role("button", name="Log set of Glute bridge").click()
    page.get_by_role("button", name="Log set of Glute bridge").click()
    page.get_by_role("button", name="Log set of Side-lying leg raise").click()
    check(page, "log")
    page.get_by_role("button", name="Finish session").scroll_into_view_if_needed()
    check(page, "log-end")
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_the_tab_bar_names_today_log_progress_reminders(live_server, live_db, context):
    base = live_server.url
    demo_user()
    page = context.new_page()
    sign_in(page, base, "demo@example.com")
    tabs = page.get_by_role("navigation", name="Main")
    for name, heading in [("Log", "Log a session"), ("Progress", "Progress"),
                          ("Reminders", "Reminders"), ("Today", "Today")]:  # fmt: skip
        tabs.get_by_role("link", name=name, exact=True).click()
        page.get_by_role("heading", name=heading, exact=True).wait_for()
        assert tabs.get_by_role("link", name=name).get_attribute("aria-current") == "page"
    more = page.get_by_role("navigation", name="More")
    for name in ["History", "Routines", "Exercises", "Account"]:
        more.get_by_role("link", name=name).click()
        page.get_by_role("heading", name=name, exact=True).wait_for()


@pytest.mark.django_db(transaction=True)
def test_dark_mode_follows_the_system(live_server, live_db, chromium):
    shades = {}
    for scheme in ("light", "dark"):
        ctx = chromium.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
        page = ctx.new_page()
        page.goto(f"{live_server.url}/signin")
        rgb = page.evaluate(
            "getComputedStyle(document.body).backgroundColor.match(/\\d+/g).slice(0, 3).map(Number)"
        )
        shades[scheme] = sum(rgb) / 3
        if scheme == "dark":
            page.screenshot(path=str(SHOTS / "signin-dark.png"))
        ctx.close()
    assert shades["light"] > 200 and shades["dark"] < 60, shades


@pytest.mark.django_db(transaction=True)
def test_signed_out_pages_send_to_sign_in_and_back(live_server, live_db, context):
    base = live_server.url
    demo_user()
    page = context.new_page()
    page.goto(f"{base}/progress")
    page.wait_for_url(f"{base}/signin?next=%2Fprogress")
    page.get_by_label("Email").fill("demo@example.com")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("status").filter(has_text="do not match an account").wait_for()
    assert "not right" in page.locator("#password-error").text_content()
    page.get_by_label("Password").fill("knee-friendly-Hips-2024")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{base}/progress")


@pytest.mark.django_db(transaction=True)
def test_no_page_breaks_the_content_security_policy(live_server, live_db, context):
    """The strict CSP (no inline script or style, own origin only) holds on every page, the
    charts included, and on the API docs and the admin."""
    base = live_server.url
    demo_user()
    page = context.new_page()
    refused = []
    page.on(
        "console",
        lambda m: (
            refused.append(f"{page.url}: {m.text}") if "Content Security Policy" in m.text else None
        ),
    )
    sign_in(page, base, "demo@example.com")
    for _, path, heading in PAGES:
        page.goto(base + path)
        page.get_by_role("heading", name=heading, exact=True).wait_for()
        settled(page)
    page.goto(f"{base}/api/v1/docs")
    page.locator(".swagger-ui .opblock").first.wait_for()
    page.goto(f"{base}/admin/login/")
    page.get_by_role("button", name="Log in").wait_for()
    assert refused == []
