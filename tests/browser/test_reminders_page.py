"""The Reminders page: schedules with weekday chips and a time; push turned on only after a tap,
subscribed with the server's VAPID key; "send a test" arrives encrypted at a push service that
decrypts it; a notification's Snooze opens /reminders?snooze=<id>.

Headless Chromium has no push service, so `pushManager.subscribe` never settles there: the test
stubs that one call with a subscription of the local push receiver (tests/pushreceiver.py), and
checks the key the page passed is the server's VAPID public key."""

import json

import pytest

from tests.browser.conftest import SHOTS, axe_violations, sign_up
from tracker.models import PushSubscription, Reminder
from tracker.rules.reminders import weekdays_from_mask

STUB = """
window.__subscribeKey = null;
PushManager.prototype.getSubscription = function () { return Promise.resolve(window.__subscription || null); };
PushManager.prototype.subscribe = function (options) {
  const bytes = new Uint8Array(options.applicationServerKey);
  window.__subscribeKey = btoa(String.fromCharCode(...bytes)).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  const json = %s;
  window.__subscription = { endpoint: json.endpoint, toJSON: () => json };
  return Promise.resolve(window.__subscription);
};
"""


@pytest.mark.django_db(transaction=True)
def test_set_a_schedule_turn_push_on_and_send_a_test(
    live_server, live_db, context, receiver, settings
):
    base = live_server.url
    sign_up(context, base)
    context.grant_permissions(["notifications"], origin=base)
    subscription = receiver.subscription("phone")
    context.add_init_script(STUB % json.dumps(subscription))
    page = context.new_page()
    page.goto(f"{base}/reminders")

    # a new user sees a suggested schedule: make it Tuesday and Thursday at 07:30
    card = page.get_by_role("region", name="Session reminder")
    days = card.get_by_role("group", name="Days for session reminder")
    for day in ("Mon", "Wed", "Fri", "Tue", "Thu"):
        days.get_by_role("button", name=day, exact=True).click()
    card.get_by_label("Time").fill("07:30")
    card.get_by_role("button", name="Save").click()
    card.get_by_role("status").filter(has_text="Saved.").wait_for()
    reminder = Reminder.objects.get()
    assert (weekdays_from_mask(reminder.weekdays), f"{reminder.time:%H:%M}") == ([1, 3], "07:30")
    assert reminder.channel == "push" and reminder.enabled
    assert "Next:" in card.text_content()

    # push: only after the tap, with the server's key
    assert not PushSubscription.objects.exists()
    assert "iPhone" in page.get_by_role("region", name="Notifications on this phone").text_content()
    page.get_by_role("button", name="Turn on notifications").click()
    page.get_by_role("status").filter(has_text="Notifications are on").wait_for()
    assert page.evaluate("window.__subscribeKey") == settings.VAPID_PUBLIC_KEY
    assert PushSubscription.objects.get().endpoint == subscription["endpoint"]

    page.get_by_role("button", name="Send a test notification").click()
    page.get_by_role("status").filter(has_text="Test sent to 1 device").wait_for()
    [message] = receiver.wait_for(1)
    assert receiver.decrypt(message)["title"] == "Hip2Knee test"


@pytest.mark.django_db(transaction=True)
def test_a_snooze_link_asks_first_and_snoozes_only_when_confirmed(live_server, live_db, chromium):
    """/reminders?snooze=<id> is where a notification's Snooze lands when it could not be sent
    from the service worker; anyone can link to it, so opening it changes nothing by itself."""
    base = live_server.url
    # axe is injected as a script of the test's own, which the page's CSP would refuse
    context = chromium.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    sign_up(context, base)
    page = context.new_page()
    page.goto(f"{base}/reminders")
    page.get_by_role("region", name="Session reminder").get_by_role("button", name="Save").click()
    page.get_by_role("status").filter(has_text="Saved.").wait_for()
    reminder = Reminder.objects.get()
    planned = reminder.next_fire_at

    page.goto(f"{base}/reminders?snooze={reminder.pk}")
    ask = page.get_by_role("region", name="Snooze this reminder?")
    ask.wait_for()
    assert "18:00" in ask.text_content()
    page.screenshot(path=str(SHOTS / "reminders-snooze-ask.png"))
    assert axe_violations(page) == []
    assert Reminder.objects.get().next_fire_at == planned  # asked, not done
    assert page.url == f"{base}/reminders"  # a reload does not ask again
    ask.get_by_role("button", name="Not now").click()
    page.get_by_role("status").filter(has_text="Not snoozed.").wait_for()
    assert Reminder.objects.get().next_fire_at == planned

    page.goto(f"{base}/reminders?snooze={reminder.pk}")
    page.get_by_role("region", name="Snooze this reminder?").get_by_role(
        "button", name="Snooze for an hour"
    ).click()
    page.get_by_role("status").filter(has_text="Snoozed: reminding you again at").wait_for()
    snoozed = Reminder.objects.get().next_fire_at
    assert snoozed != planned
    page.reload()
    page.get_by_role("region", name="Session reminder").wait_for()
    assert Reminder.objects.get().next_fire_at == snoozed


@pytest.mark.django_db(transaction=True)
def test_a_snooze_link_never_turns_a_reminder_back_on(live_server, live_db, context):
    base = live_server.url
    sign_up(context, base)
    page = context.new_page()
    page.goto(f"{base}/reminders")
    card = page.get_by_role("region", name="Session reminder")
    card.get_by_role("checkbox", name="On", exact=True).uncheck()
    card.get_by_role("button", name="Save").click()
    page.get_by_role("status").filter(has_text="Saved.").wait_for()
    reminder = Reminder.objects.get()
    assert not reminder.enabled

    page.goto(f"{base}/reminders?snooze={reminder.pk}")
    page.get_by_role("status").filter(
        has_text="That reminder is off, so it was not snoozed"
    ).wait_for()
    page.screenshot(path=str(SHOTS / "reminders-snooze-off.png"))
    assert page.get_by_role("region", name="Snooze this reminder?").count() == 0
    stored = Reminder.objects.get()
    assert not stored.enabled and stored.next_fire_at is None


@pytest.mark.django_db(transaction=True)
def test_the_notifications_snooze_is_sent_by_the_worker_and_never_turns_one_on(
    live_server, live_db, context
):
    """The tap on Snooze is the user's answer: the worker sends it without opening a page; a
    reminder that is off stays off, and then the page opens to ask instead."""
    base = live_server.url
    sign_up(context, base)
    page = context.new_page()
    page.goto(f"{base}/reminders")
    page.get_by_role("region", name="Session reminder").get_by_role("button", name="Save").click()
    page.get_by_role("status").filter(has_text="Saved.").wait_for()
    reminder = Reminder.objects.get()
    snooze = "(id) => import('/serviceworker.js').then(({ snoozeNow }) => snoozeNow(id))"
    assert page.evaluate(snooze, reminder.pk) is True
    assert Reminder.objects.get().next_fire_at != reminder.next_fire_at
    Reminder.objects.filter(pk=reminder.pk).update(enabled=False, next_fire_at=None)
    assert page.evaluate(snooze, reminder.pk) is False
    stored = Reminder.objects.get()
    assert not stored.enabled and stored.next_fire_at is None
