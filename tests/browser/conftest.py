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
def chromium() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
            pytest.fail(f"CI is set but Chromium is missing at {CHROMIUM}")
        pytest.skip(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def context(chromium: Any) -> Iterator[Any]:
    ctx = chromium.new_context(viewport={"width": 390, "height": 844})  # a phone
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
