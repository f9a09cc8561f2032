"""The worker keeps GET /api/v1/vocabulary with the pages, also past a sign-out, and what its page
table says each offline page reads."""

import pytest

from tests.browser.conftest import sign_up, worker_in_control
from tracker.pages import PAGES

KEPT = """(paths) => caches.open('h2k-api').then((cache) =>
  Promise.all(paths.map((p) => cache.match('/api/v1/' + p).then((hit) => (hit ? null : p)))))
  .then((missing) => missing.filter(Boolean))"""


@pytest.mark.django_db(transaction=True)
def test_the_worker_keeps_every_read_of_every_offline_page(live_server, live_db, context):
    base = live_server.url
    sign_up(context, base)
    page = context.new_page()
    page.goto(f"{base}/")
    worker_in_control(page)
    reads = sorted({r for p in PAGES.values() if p.offline for r in p.reads if r != "vocabulary"})
    assert "report/shares" in reads
    missing = reads
    for _ in range(100):
        missing = page.evaluate(KEPT, reads)
        if not missing:
            break
        page.wait_for_timeout(100)
    assert missing == []


@pytest.mark.django_db(transaction=True)
def test_offline_the_check_in_still_knows_the_pain_limit_even_after_a_sign_out(
    live_server, live_db, context
):
    base = live_server.url
    sign_up(context, base)
    page = context.new_page()
    page.goto(f"{base}/checkin")
    worker_in_control(page)
    context.set_offline(True)
    try:
        page.reload()
        page.get_by_role("group", name="Knee pain").get_by_role(
            "button", name="7 out of 10"
        ).click()
        page.get_by_role("button", name="Save check-in").click()
        page.locator("#checkin-status").filter(has_text="Pain above 5: take it easy").wait_for()
        page.evaluate("caches.delete('h2k-api')")  # what a sign-out clears: not the vocabulary
        limit = page.evaluate(  # past the browser's HTTP cache: the worker's copy answers
            "fetch('/api/v1/vocabulary', {cache: 'no-store'}).then((r) => r.json())"
            ".then((v) => v.pain.acceptable_max)"
        )
        assert limit == 5
    finally:
        context.set_offline(False)
