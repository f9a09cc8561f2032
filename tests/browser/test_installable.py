"""The app installs from Chromium, its worker controls the page, and the shell opens offline."""

import pytest

from tests.browser.conftest import CHROMIUM, FLAGS, worker_in_control


@pytest.mark.django_db(transaction=True)
def test_chromium_finds_no_installability_error(live_server, live_db, tmp_path, playwright):
    # installability is judged in a normal, persistent (non-incognito) profile
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=FLAGS
    )
    try:
        page = context.new_page()
        page.goto(live_server.url + "/signin")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        cdp = context.new_cdp_session(page)
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert errors == [], errors
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == [], manifest["errors"]
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_the_worker_controls_the_page_and_every_page_opens_offline(live_server, live_db, context):
    base = live_server.url
    page = context.new_page()
    page.goto(base + "/signin")
    worker_in_control(page, signed_in=False)
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL").endswith(
        "/serviceworker.js"
    )
    context.set_offline(True)
    try:
        for path, heading in [("/signin", "Sign in"), ("/signup", "Create an account"),
                              ("/checkin/morning?session=1", "How is your knee this morning?"),
                              ("/log", "Log a session"), ("/progress", "Progress")]:  # fmt: skip
            page.goto(base + path)
            page.get_by_role("heading", name=heading, exact=True).wait_for()
        # every static file the pages load came from the precache, none from the network
        assert (
            page.evaluate("caches.open('h2k-static-v3').then(c => c.keys()).then(k => k.length)")
            >= 10
        )
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
    for path in ("/", "/log", "/progress", "/reminders", "/signin", "/report/shared"):
        html = client.get(path).content.decode()
        assert "<script>" not in html and "style=" not in html and "<style" not in html, path
        assert 'rel="manifest"' in html and "register.js" in html, path


@pytest.mark.django_db(transaction=True)
def test_a_new_worker_drops_the_caches_of_older_versions(
    live_server, live_db, tmp_path, playwright
):
    profile = str(tmp_path / "profile")
    base = live_server.url
    # an older version's caches in the profile, left behind by its worker
    before = playwright.chromium.launch_persistent_context(
        profile, executable_path=CHROMIUM, args=FLAGS, service_workers="block"
    )
    page = before.new_page()
    page.goto(f"{base}/signin")
    page.evaluate(
        "Promise.all(['h2k-shell-v1', 'h2k-static-v2'].map(n => caches.open(n)"
        ".then(c => c.put('/old', new Response('old')))))"
    )
    before.close()
    after = playwright.chromium.launch_persistent_context(
        profile, executable_path=CHROMIUM, args=FLAGS
    )
    page = after.new_page()
    page.goto(f"{base}/signin")
    worker_in_control(page, signed_in=False)
    names = page.evaluate("caches.keys()")
    after.close()
    assert "h2k-shell-v1" not in names and "h2k-static-v2" not in names
    assert {"h2k-shell-v3", "h2k-static-v3"} <= set(names)
