"""The app installs from Chromium, its worker controls the page, and the shell opens offline."""

import pytest

from tests.browser.conftest import CHROMIUM, FLAGS


@pytest.mark.django_db(transaction=True)
def test_chromium_finds_no_installability_error(live_server, live_db, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # installability is judged in a normal, persistent (non-incognito) profile
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, args=FLAGS
        )
        try:
            page = context.new_page()
            page.goto(live_server.url + "/")
            page.evaluate("navigator.serviceWorker.ready.then(() => true)")
            cdp = context.new_cdp_session(page)
            errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
            assert errors == [], errors
            manifest = cdp.send("Page.getAppManifest")
            assert manifest["errors"] == [], manifest["errors"]
        finally:
            context.close()


@pytest.mark.django_db(transaction=True)
def test_the_worker_controls_the_page_and_the_shell_opens_offline(live_server, live_db, context):
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    context.set_offline(True)
    try:
        page.reload()
        assert page.get_by_role("heading", name="Hip2Knee").is_visible()
        page.goto(live_server.url + "/checkin/morning?session=1")
        assert page.get_by_role("heading", name="How is your knee this morning?").is_visible()
    finally:
        context.set_offline(False)


def test_the_manifest_is_complete(client):
    manifest = client.get("/manifest.json").json()
    assert (manifest["name"], manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "Hip2Knee",
        "/",
        "/",
        "standalone",
    )
    sizes = {(i["sizes"], i.get("purpose", "any")) for i in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    assert [s["name"] for s in manifest["shortcuts"]] == ["Log session"]
    home = client.get("/").content.decode()
    assert "<script>" not in home and 'rel="manifest"' in home
