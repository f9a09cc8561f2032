"""Offline first: sets logged with no signal are kept on the phone through reloads, sent when the
network returns, and are on the server exactly once; refusals are shown, not retried; a signed-out
phone keeps unsent entries for their owner; signing out clears what this phone holds."""

import json

import pytest
from django.core.signals import request_started

from tests.browser.conftest import (
    registration_id,
    settled,
    sign_in,
    sign_up,
    watch_worker,
    worker_in_control,
)
from tracker.models import CheckIn, SessionSet, WorkoutSession
from tracker.rules.safety import session_pain_answer, set_guidance
from tracker.selectors.library import exercise_facts

OUTBOX = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("hip2knee");
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains("outbox")) { db.close(); resolve([]); return; }
    const all = db.transaction("outbox").objectStore("outbox").getAll();
    all.onsuccess = () => { db.close(); resolve(all.result); };
  };
})"""

SET_PENDING = """(clientId) => new Promise((resolve) => {
  const open = indexedDB.open("hip2knee");
  open.onsuccess = () => {
    const store = open.result.transaction("outbox", "readwrite").objectStore("outbox");
    const get = store.get(clientId);
    get.onsuccess = () => { store.put({...get.result, state: "pending", next_at: 0}).onsuccess = () => resolve(true); };
  };
})"""


# a check-in waiting on this phone, written as the outbox writes it but behind the page's back:
# no send, no timer, no background sync is started by it
PUT_PENDING_CHECKIN = """({owner, pain}) => new Promise((resolve) => {
  const open = indexedDB.open("hip2knee");
  open.onsuccess = () => {
    const store = open.result.transaction("outbox", "readwrite").objectStore("outbox");
    const body = {client_id: crypto.randomUUID(), date: new Date().toISOString().slice(0, 10), pain};
    store.put({client_id: body.client_id, owner, kind: "checkin", method: "POST", path: "checkins",
      body, label: "check-in", state: "pending", attempts: 0, next_at: 0,
      created_at: new Date().toISOString(), synced_at: null, server_id: null, error: null}).onsuccess = () => resolve();
  };
})"""


def wait_outbox(page, condition, timeout_s=20):
    """Polls the outbox until ``condition(entries)`` holds (evaluate awaits the IndexedDB read)."""
    for _ in range(int(timeout_s * 10)):
        entries = page.evaluate(OUTBOX)
        if condition(entries):
            return entries
        page.wait_for_timeout(100)
    raise AssertionError(f"the outbox never got there: {entries}")


def wait_synced(page, count=1):
    return wait_outbox(page, lambda all: sum(e["state"] == "synced" for e in all) >= count)


@pytest.mark.django_db(transaction=True)
def test_a_session_logged_offline_is_on_the_server_exactly_once(live_server, live_db, context):
    base = live_server.url
    sign_up(context, base)
    page = context.new_page()
    page.goto(f"{base}/log")
    worker_in_control(page)
    page.get_by_role("button", name="Start session").wait_for()
    page.locator("#start:enabled").wait_for()

    context.set_offline(True)
    page.get_by_role("button", name="Start session").click()
    page.get_by_role("button", name="Log set of Glute bridge").click()
    page.get_by_role("button", name="Log set of Glute bridge").click()
    page.get_by_role("button", name="Right side, Clamshell").click()
    page.get_by_role("region", name="Clamshell").get_by_label("Reps", exact=True).fill("9")
    page.get_by_role("button", name="Log set of Clamshell").click()
    # an accidental extra set, undone
    page.get_by_role("button", name="Log set of Supported squat").click()
    page.get_by_role("button", name="Remove set 1 of Supported squat").click()

    page.reload()  # offline: the page comes from the worker, the session in progress from IndexedDB
    page.get_by_role("status").filter(
        has_text="Carrying on with the session you started"
    ).wait_for()
    assert (
        page.get_by_role("list", name="Sets of Glute bridge").get_by_role("listitem").count() == 2
    )
    page.get_by_role("group", name="Knee pain").get_by_role("button", name="2 out of 10").click()
    page.get_by_role("button", name="Finish session").click()
    page.get_by_role("status").filter(has_text="Session saved on this phone (3 sets)").wait_for()
    assert WorkoutSession.objects.count() == 0

    page.goto(f"{base}/")  # still offline: Today counts what the phone holds
    page.locator("#sync").filter(has_text="1 saved on this phone, not yet synced").wait_for()
    page.locator("#week").filter(has_text="1 of 3 sessions").wait_for()

    context.set_offline(False)  # the network returns: sent on `online`
    wait_synced(page)
    [entry] = page.evaluate(OUTBOX)
    session = WorkoutSession.objects.get()
    assert str(session.client_id) == entry["client_id"] and session.pain_during == 2
    sets = list(session.sets.order_by("position").values_list("exercise_id", "side", "reps"))
    assert sets == [
        ("glute-bridge", "both", 10),
        ("glute-bridge", "both", 10),
        ("clamshell", "right", 9),
    ]

    # the answer got lost on the way back: the phone sends it again after a reload and a second
    # return of the network; the server's client_id idempotency keeps one copy
    page.evaluate(SET_PENDING, entry["client_id"])
    context.set_offline(True)
    page.reload()
    context.set_offline(False)
    page.reload()
    wait_synced(page)
    assert WorkoutSession.objects.count() == 1 and SessionSet.objects.count() == 3
    page.goto(f"{base}/history")  # once, in the server's list; nothing left "on this phone"
    page.locator(f'#sessions li[data-session-id="{session.pk}"]').wait_for()
    assert page.locator("#sessions li[data-session-id]").count() == 1
    assert page.locator("#outbox > li").count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_refused_entry_is_shown_and_not_retried(live_server, live_db, context):
    base = live_server.url
    sign_up(context, base)
    page = context.new_page()
    page.goto(f"{base}/history")
    worker_in_control(page)
    sent = []  # counted by the server: the page and its worker both may send

    def count(sender, environ, **kw):
        if environ["PATH_INFO"] == "/api/v1/checkins" and environ["REQUEST_METHOD"] == "POST":
            sent.append(environ["PATH_INFO"])

    request_started.connect(count)
    me = page.evaluate("fetch('/api/v1/auth/me').then(r => r.json())")
    page.evaluate(
        """async (owner) => {
        const outbox = await import('/static/frontend/js/outbox.js');
        await outbox.enqueue({owner, kind: 'checkin', path: 'checkins', label: 'Odd check-in',
          body: {client_id: crypto.randomUUID(), date: '2001-01-01', pain: 11}});
        }""",
        me["id"],
    )
    page.reload()
    page.locator("#outbox li").filter(has_text="Not accepted by the server").wait_for()
    assert "pain" in page.locator("#outbox li").text_content()
    page.reload()
    page.wait_for_timeout(500)
    request_started.disconnect(count)
    assert len(sent) == 1, "a refusal is not sent again"
    page.get_by_role("button", name="Remove Odd check-in from this phone").click()
    page.locator("#phone").wait_for(state="hidden")
    assert CheckIn.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_unsent_entries_wait_for_their_owner_to_sign_in_again(live_server, live_db, context):
    base = live_server.url
    sign_up(context, base)
    page = context.new_page()
    page.goto(f"{base}/checkin")
    worker_in_control(page)
    context.set_offline(True)
    page.get_by_role("group", name="Knee pain").get_by_role("button", name="4 out of 10").click()
    page.get_by_role("button", name="Save check-in").click()
    page.locator("#checkin-status").filter(has_text="Saved on this phone").wait_for()
    context.clear_cookies()  # the session ended meanwhile (expired, or signed out elsewhere)
    context.set_offline(False)
    page.reload()  # signed out: the page sends the person to sign in; the entry stays
    page.wait_for_url(f"{base}/signin?next=%2Fcheckin")
    [entry] = page.evaluate(OUTBOX)
    assert entry["state"] in ("pending", "auth") and CheckIn.objects.count() == 0
    sign_in(page, base, "maya@example.com")  # the CSRF token rotated: read when sending
    wait_synced(page)
    assert CheckIn.objects.get().pain == 4


@pytest.mark.django_db(transaction=True)
def test_signing_out_clears_this_phone(live_server, live_db, context):
    base = live_server.url
    sign_up(context, base)
    page = context.new_page()
    page.goto(f"{base}/checkin")
    worker_in_control(page)
    page.get_by_role("group", name="Knee pain").get_by_role("button", name="3 out of 10").click()
    page.get_by_role("button", name="Save check-in").click()
    wait_synced(page)
    page.goto(f"{base}/history")  # fills the worker's cache of API answers
    page.get_by_role("listitem").filter(has_text="knee 3/10").wait_for()
    assert page.evaluate("caches.open('h2k-api').then(c => c.keys()).then(k => k.length)") > 0
    page.goto(f"{base}/account")
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.wait_for_url(f"{base}/signin")
    assert page.evaluate("caches.has('h2k-api')") is False
    assert page.evaluate(OUTBOX) == []
    context.set_offline(True)  # the next person, offline, sees nothing of Maya's
    page.goto(f"{base}/history")
    assert "knee 3/10" not in page.content()
    context.set_offline(False)


@pytest.mark.django_db(transaction=True)
def test_felt_in_the_knee_answers_at_once_and_the_port_matches_the_server(
    live_server, live_db, context
):
    base = live_server.url
    sign_up(context, base)
    page = context.new_page()
    page.goto(f"{base}/log")
    page.locator("#start:enabled").wait_for()
    page.get_by_role("button", name="Start session").click()
    page.get_by_label("Felt it in the knee").first.check()
    bridge = page.get_by_role("region", name="Glute bridge")
    words = bridge.locator(".guidance").text_content()
    assert "Felt it in the knee" in words and "2nd–3rd toe" not in words  # no squat cue here
    squat = page.get_by_role("region", name="Supported squat with hip engagement")
    squat.get_by_label("Felt it in the knee").check()
    assert "2nd–3rd toe" in squat.locator(".guidance").text_content()

    library = exercise_facts()
    cases = [
        (slug, felt, pain)
        for slug in library
        for felt in (False, True)
        for pain in (None, *range(11))
    ]
    inputs = []
    for slug, felt, pain in cases:
        easier = library.get(library[slug].easier) if library[slug].easier else None
        inputs.append(
            {
                "exerciseName": library[slug].name,
                "easierSlug": easier.slug if easier else None,
                "easierName": easier.name if easier else None,
                "feltInKnee": felt,
                "painDuring": pain,
                "formCue": library[slug].form_cue,
                "unit": library[slug].unit,
            }
        )
    answers = page.evaluate(
        "async (all) => { const g = await import('/static/frontend/js/guidance.js');"
        " return all.map((a) => g.setGuidance(a)); }",
        inputs,
    )
    for given, answer in zip(inputs, answers, strict=True):
        expected = set_guidance(
            exercise_name=given["exerciseName"],
            easier_slug=given["easierSlug"],
            easier_name=given["easierName"],
            felt_in_knee=given["feltInKnee"],
            pain_during=given["painDuring"],
            form_cue=given["formCue"],
            unit=given["unit"],
        )
        assert (answer["action"], answer["message"], answer["easier"]) == (
            expected.action, expected.message, expected.easier,
        ), json.dumps(given)  # fmt: skip
    session_answers = page.evaluate(
        "async () => { const g = await import('/static/frontend/js/guidance.js');"
        " return [...Array(11).keys()].map((n) => g.sessionPainAnswer(n)); }"
    )
    assert session_answers == [session_pain_answer(n) for n in range(11)]


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_outbox_on_its_sync_event_with_no_page_open(
    live_server, live_db, context
):
    base = live_server.url
    sign_up(context, base)
    page = context.new_page()
    cdp, registrations = watch_worker(context, page)
    page.goto(f"{base}/checkin")
    worker_in_control(page)
    me = page.evaluate("fetch('/api/v1/auth/me').then(r => r.json())")
    # an entry saved on this phone earlier (written as the outbox writes it, without a send)
    page.evaluate(PUT_PENDING_CHECKIN, {"owner": me["id"], "pain": 6})
    page.goto("about:blank")  # no page of the app is open: only the worker can send it
    assert CheckIn.objects.count() == 0
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": base,
            "registrationId": registration_id(registrations, base),
            "tag": "h2k-outbox",
            "lastChance": False,
        },
    )
    for _ in range(100):
        if CheckIn.objects.exists():
            break
        page.wait_for_timeout(100)
    assert CheckIn.objects.get().pain == 6


@pytest.mark.django_db(transaction=True)
def test_a_server_error_is_retried_with_backoff_and_storage_is_kept(live_server, live_db, context):
    base = live_server.url
    sign_up(context, base)
    context.add_init_script(
        "window.__persistAsked = 0; const persist = navigator.storage.persist.bind(navigator.storage);"
        "navigator.storage.persist = () => { window.__persistAsked += 1; return persist(); };"
    )
    page = context.new_page()
    page.goto(f"{base}/checkin")
    page.locator("#checkin button[type=submit]:enabled").wait_for()
    page.route("**/api/v1/checkins", lambda route: route.fulfill(status=503, body="{}"))
    page.get_by_role("group", name="Knee pain").get_by_role("button", name="2 out of 10").click()
    page.get_by_role("button", name="Save check-in").click()
    page.locator("#checkin-status").filter(has_text="Saved on this phone").wait_for()
    [entry] = wait_outbox(page, lambda all: all and all[0]["attempts"] >= 1)
    now = page.evaluate("Date.now()")
    assert entry["state"] == "pending" and entry["next_at"] > now  # later, not at once
    assert page.evaluate("window.__persistAsked") >= 1  # unsynced data asks not to be evicted
    page.unroute("**/api/v1/checkins")
    page.evaluate("window.dispatchEvent(new Event('online'))")  # the network is back
    wait_synced(page)
    assert CheckIn.objects.get().pain == 2


@pytest.mark.django_db(transaction=True)
def test_coming_back_to_the_app_sends_what_waits(live_server, live_db, context):
    """An entry waiting on the phone (here written behind the page's back: no timer, no `online`,
    no background sync) is sent when the page becomes visible again."""
    base = live_server.url
    sign_up(context, base)
    page = context.new_page()
    page.goto(f"{base}/history")
    page.locator("#checkins li").first.wait_for()  # the page has started and flushed
    settled(page)
    me = page.evaluate("fetch('/api/v1/auth/me').then(r => r.json())")
    page.evaluate(PUT_PENDING_CHECKIN, {"owner": me["id"], "pain": 1})
    page.wait_for_timeout(1000)
    assert CheckIn.objects.count() == 0  # nothing sends it by itself
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # back to the app
    wait_synced(page)
    assert CheckIn.objects.get().pain == 1
