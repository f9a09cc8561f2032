"""Real Chromium (Debian's package) driven by Playwright against a live server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    """One Playwright driver for the session (its sync API cannot be started twice at once)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
            pytest.fail(f"CI is set but Chromium is missing at {CHROMIUM}")
        pytest.skip(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def chromium(playwright: Any) -> Iterator[Any]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
    yield browser
    browser.close()


@pytest.fixture
def context(chromium: Any) -> Iterator[Any]:
    ctx = chromium.new_context(viewport={"width": 390, "height": 844})  # a phone
    yield ctx
    ctx.close()


@pytest.fixture
def phone(chromium: Any) -> Iterator[Any]:
    """A phone whose pages axe can check: axe is injected as a script tag, so this context
    bypasses the pages' Content-Security-Policy (tests only; test_pages checks the policy)."""
    ctx = chromium.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    yield ctx
    ctx.close()


def sign_up(context: Any, base: str, email: str = "maya@example.com") -> None:
    """Sign up through the API in this browser's cookie jar, as the PWA's sign-up does."""
    context.request.get(f"{base}/api/v1/auth/csrf")
    token = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
    response = context.request.post(
        f"{base}/api/v1/auth/signup",
        data={"email": email, "password": "knee-friendly-Hips-2024", "timezone": "Europe/London"},
        headers={"X-CSRFToken": token, "Referer": base + "/"},
    )
    assert response.status == 201, response.text()


def api_post(context: Any, base: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    token = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
    response = context.request.post(
        f"{base}/api/v1/{path}", data=body, headers={"X-CSRFToken": token, "Referer": base + "/"}
    )
    assert response.ok, response.text()
    return response.json()


PASSWORD = "knee-friendly-Hips-2024"
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", Path(__file__).parents[2] / "var" / "screenshots"))


def sign_in(page: Any, base: str, email: str, password: str = PASSWORD) -> None:
    """Through the sign-in page, as a person would."""
    page.goto(f"{base}/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{base}/")


def settled(page: Any) -> None:
    """Waits until the page has drawn what its own reads brought: the app marks <main aria-busy>
    while a page loads (frontend/static/frontend/js/app.js, runPage). Not "networkidle": the
    service worker keeps other pages' reads warm in the background, and Playwright can lose
    track of requests a worker answers."""
    page.locator("main:not([aria-busy])").wait_for(state="attached")


def worker_in_control(page: Any, *, signed_in: bool = True) -> None:
    """Waits for the service worker to be installed (precache done) and to control the page,
    and, signed in, for this user's answers to be in its cache (the app warms it)."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    # (polled from here: wait_for_function evaluates strings, which the page's CSP forbids)
    for attempt in range(2):
        for _ in range(100):
            if page.evaluate("navigator.serviceWorker.controller !== null"):
                break
            page.wait_for_timeout(100)
        else:
            # Chromium can miss a document whose navigation was under way when the worker called
            # clients.claim() (seen in CI after a sign-in redirect); the user's next load of the
            # page is controlled, as every load under an active worker is, and so is the reload.
            if attempt == 0:
                page.reload()
                continue
            raise AssertionError("the service worker never took control of the page")
        break
    if signed_in:
        for _ in range(100):
            if page.evaluate(
                "caches.open('h2k-api').then(c => c.match('/api/v1/routines')).then(Boolean)"
            ):
                return
            page.wait_for_timeout(100)
        raise AssertionError("the worker never cached this user's answers")


def demo_user(email: str = "demo@example.com") -> Any:
    """A user with eight weeks of history (the seed_demo data)."""
    from tracker.demo import seed_history
    from tracker.services import accounts

    user = accounts.user_signup(email=email, password=PASSWORD, tz_name="Europe/London")
    seed_history(user)
    return user


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the page as it stands."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


SMALL_TARGETS = """() => [...document.querySelectorAll(
    'button, select, summary, input:not([type=checkbox]):not([type=radio]), .tabs a, .more a, a.button, a.brand, label.check')]
  .filter((el) => el.offsetParent !== null)
  .map((el) => ({el, r: el.getBoundingClientRect()}))
  .filter(({r}) => r.height < 44 || r.width < 44)
  .map(({el, r}) => `${el.tagName} "${(el.textContent || el.id).trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`)"""


def watch_worker(context: Any, page: Any) -> tuple[Any, list[dict[str, Any]]]:
    """A DevTools session on ``page`` that records the service worker registrations it sees
    (for deliverPushMessage and dispatchSyncEvent); call before the page opens the app."""
    cdp = context.new_cdp_session(page)
    registrations: list[dict[str, Any]] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    return cdp, registrations


def registration_id(registrations: list[dict[str, Any]], base: str) -> str:
    return next(r for r in registrations if r["scopeURL"] == f"{base}/")["registrationId"]
