"""The first load of every page, everything included (HTML, CSS, modules, vendored libraries,
icons, manifest and API answers), weighs at most 150 KB over the wire; a repeat visit loads the
shell from the worker's cache. Measured with the DevTools protocol in a fresh profile; the test
server sends files uncompressed, so these are upper bounds (WhiteNoise serves gzip and Brotli
in production). The figures go to var/screenshots/weight.json for the closing note."""

import json

import pytest

from tests.browser.conftest import SHOTS, demo_user, settled, sign_in, worker_in_control

LIMIT = 150 * 1024
PAGES = ["/", "/log", "/progress", "/reminders", "/history", "/exercises", "/routines", "/account",
         "/checkin", "/report", "/signin", "/why"]  # fmt: skip


def measure(context, url):
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    sizes, from_worker, started, failed = {}, set(), set(), set()
    cdp.on("Network.requestWillBeSent", lambda e: started.add(e["requestId"]))
    cdp.on("Network.loadingFailed", lambda e: failed.add(e["requestId"]))
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    cdp.on(
        "Network.responseReceived",
        lambda e: (
            from_worker.add(e["requestId"]) if e["response"].get("fromServiceWorker") else None
        ),
    )
    page.goto(url)
    settled(page)
    # then until every request the page started (modules it loads on demand included) has
    # ended, and none has started for half a second
    quiet = 0
    for _ in range(300):
        page.wait_for_timeout(100)
        quiet = 0 if started - sizes.keys() - failed else quiet + 1
        if quiet >= 5:
            break
    assert quiet >= 5, f"{url}: requests still open: {len(started - sizes.keys() - failed)}"
    page.close()
    network = {k: v for k, v in sizes.items() if k not in from_worker}
    return {"bytes": sum(network.values()), "requests": len(sizes), "from_network": len(network)}


@pytest.mark.timeout(600)  # twelve fresh browser profiles, each signed in
@pytest.mark.django_db(transaction=True)
def test_first_load_of_every_page_is_at_most_150_kb_and_repeats_come_from_the_cache(
    live_server, live_db, chromium
):
    base = live_server.url
    demo_user()
    figures = {}
    for path in PAGES:
        # a fresh profile for each page: nothing cached, signed in through the API
        context = chromium.new_context(
            viewport={"width": 390, "height": 844}, service_workers="block"
        )
        page = context.new_page()
        sign_in(page, base, "demo@example.com")
        page.close()
        figures[path] = measure(context, base + path)
        context.close()
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "weight.json").write_text(json.dumps(figures, indent=1))
    heavy = {p: f for p, f in figures.items() if f["bytes"] > LIMIT}
    assert heavy == {}, heavy

    # a repeat visit: the worker answers the shell and static files
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, base, "demo@example.com")
    worker_in_control(page)
    page.close()
    repeat = measure(context, f"{base}/progress")
    context.close()
    assert repeat["from_network"] <= 3, repeat  # only the API reads go out (network first)
