"""The pages take the rules' words and limits from GET /api/v1/vocabulary, also offline, and the
worker keeps what the page table says each offline page reads."""

import pytest

from tests.browser.conftest import sign_up, worker_in_control
from tracker.pages import PAGES
from tracker.rules.progress import is_meaningful, pain_change_pct

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
def test_offline_the_check_in_saves_and_the_vocabulary_outlives_a_sign_out(
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
        # the worst of a day is not pain during exercise: its own words, not the exercise limit
        status = page.locator("#checkin-status").filter(has_text="A sore day")
        status.wait_for()
        assert "ease off next session" not in status.text_content()
        page.evaluate("caches.delete('h2k-api')")  # what a sign-out clears: not the vocabulary
        limit = page.evaluate(  # past the browser's HTTP cache: the worker's copy answers
            "fetch('/api/v1/vocabulary', {cache: 'no-store'}).then((r) => r.json())"
            ".then((v) => v.pain.acceptable_max)"
        )
        assert limit == 5
    finally:
        context.set_offline(False)


@pytest.mark.django_db(transaction=True)
def test_the_progress_band_is_where_the_server_starts_calling_a_fall_meaningful(
    live_server, live_db, context
):
    page = context.new_page()
    page.goto(f"{live_server.url}/signin")
    baselines = [b / 4 for b in range(1, 41)]  # 0.25 to 10
    thresholds = page.evaluate(
        "(baselines) => import('/static/frontend/js/vocabulary.js').then(async (v) => {"
        " const vocab = await v.vocabulary(); return baselines.map((b) => v.meaningfulThreshold(vocab, b)); })",
        baselines,
    )
    for baseline, threshold in zip(baselines, thresholds, strict=True):
        if threshold is None:  # from a first week under a point no fall is big enough
            assert not is_meaningful(-baseline, -100.0), baseline
            continue
        at = threshold - baseline
        above = threshold + 0.01 - baseline
        assert is_meaningful(at, pain_change_pct(threshold, baseline)), baseline
        assert not is_meaningful(above, pain_change_pct(threshold + 0.01, baseline)), baseline
