"""Details of the Log and Today pages a person notices: the hold and rest timers, values prefilled
from last time, a red flag that cannot be missed, and pushes shown by the worker with Log now and
Snooze."""

import json

import pytest

from tests.browser.conftest import (
    api_post,
    registration_id,
    sign_up,
    watch_worker,
    worker_in_control,
)
from tests.conftest import session_body
from tracker.dispatch import reminder_payload
from tracker.rules.reminders import reminder_content


@pytest.mark.django_db(transaction=True)
def test_hold_and_rest_timers_count_down(live_server, live_db, context):
    base = live_server.url
    sign_up(context, base)
    page = context.new_page()
    page.clock.install()
    page.goto(f"{base}/log")
    page.locator("#start:enabled").wait_for()
    page.get_by_label("Routine", exact=True).select_option(
        label="Hip-to-Knee bulletproofing (starter)"
    )
    page.get_by_role("button", name="Start session").click()
    stretch = page.get_by_role("region", name="Hip-flexor stretch")
    assert stretch.get_by_label("Seconds", exact=True).input_value() == "30"
    stretch.get_by_role("button", name="Start hold timer for Hip-flexor stretch").click()
    page.clock.run_for(10_000)
    assert stretch.get_by_role("timer").text_content() == "20 s"
    page.clock.run_for(20_000)
    page.locator("#log-status").filter(has_text="Hold done").wait_for()
    stretch.get_by_role("button", name="Log set of Hip-flexor stretch").click()  # left side
    rest = page.locator("#rest")
    assert rest.is_hidden()  # no rest between the two sides of one set
    stretch.get_by_role("button", name="Log set of Hip-flexor stretch").click()  # right side
    assert rest.is_visible() and "Rest 20 s" in rest.text_content()  # the stretch's own rest
    page.clock.run_for(10_000)
    assert "Rest 10 s" in rest.text_content()
    page.clock.run_for(10_000)
    rest.wait_for(state="hidden")
    page.locator("#log-status").filter(has_text="Rest over").wait_for()


@pytest.mark.django_db(transaction=True)
def test_values_are_prefilled_from_last_time(live_server, live_db, context):
    base = live_server.url
    sign_up(context, base)
    last = session_body(
        sets=[
            {"exercise": "clamshell", "side": "left", "reps": 14, "band": "green"},
            {"exercise": "glute-bridge", "side": "both", "reps": 11, "load_kg": 12.5},
        ]
    )
    api_post(context, base, "sessions", last)
    page = context.new_page()
    page.goto(f"{base}/log")
    page.locator("#start:enabled").wait_for()
    page.get_by_role("button", name="Start session").click()
    clam = page.get_by_role("region", name="Clamshell")
    assert clam.get_by_label("Reps", exact=True).input_value() == "14"
    assert clam.get_by_label("Band").input_value() == "green"
    bridge = page.get_by_role("region", name="Glute bridge")
    assert bridge.get_by_label("Reps", exact=True).input_value() == "11"
    assert bridge.get_by_label("Weight (kg)").input_value() == "12.5"
    squat = page.get_by_role("region", name="Supported squat")  # never done: the routine's dose
    assert squat.get_by_label("Reps", exact=True).input_value() == "10"


@pytest.mark.django_db(transaction=True)
def test_a_red_flag_cannot_be_missed_on_today(live_server, live_db, context):
    base = live_server.url
    sign_up(context, base)
    page = context.new_page()
    page.goto(f"{base}/checkin")
    page.get_by_role("group", name="Knee pain").get_by_role("button", name="5 out of 10").click()
    page.get_by_label("The knee locks").check()
    assert "See a clinician" in page.get_by_role("alert").text_content()  # at once, on the form
    page.get_by_text("Could my knee pain come from the hips?").click()
    page.get_by_label("A tight front of the hip or groin").check()
    page.get_by_label("Poor balance on one leg").check()
    assert "information, not a diagnosis" in page.locator("#selfcheck-answer").text_content()
    page.get_by_role("button", name="Save check-in").click()
    page.locator("#checkin-status").filter(has_text="synced").wait_for()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "See a clinician" in alert.text_content()
    box = alert.bounding_box()
    assert box["y"] < 300, "the notice is at the top, before anything else"
    page.get_by_text("Hold the plan until a clinician has seen your knee").wait_for()
    assert page.get_by_role("link", name="Start a session").is_hidden()


@pytest.mark.django_db(transaction=True)
def test_the_worker_shows_a_reminder_push_with_log_now_and_snooze(live_server, live_db, context):
    base = live_server.url
    sign_up(context, base)
    context.grant_permissions(["notifications"], origin=base)
    page = context.new_page()
    cdp, registrations = watch_worker(context, page)
    page.goto(f"{base}/reminders")
    worker_in_control(page)
    # what the dispatcher sends: a plain reminder, then one while a red flag is up
    plain = reminder_content(
        kind="session", sessions_this_week=1, weekly_target=3, safety=None, reminder_id=7
    )
    payload = reminder_payload(plain, session=None, tag="h2k-reminder-7-20261123T1800")

    def deliver() -> None:
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {
                "origin": base,
                "registrationId": registration_id(registrations, base),
                "data": json.dumps(payload),
            },
        )

    deliver()
    shown = []
    for attempt in range(150):
        shown = page.evaluate(
            "navigator.serviceWorker.ready.then(r => r.getNotifications()).then(ns => ns.map(n => "
            "({title: n.title, body: n.body, tag: n.tag, actions: n.actions.map(a => a.title), data: n.data})))"
        )
        if shown:
            break
        if attempt == 50:  # a busy machine can drop the first; the same tag shows once anyway
            deliver()
        page.wait_for_timeout(100)
    assert shown == [
        {
            "title": plain.title,
            "body": plain.body,
            "tag": "h2k-reminder-7-20261123T1800",
            "actions": ["Log now", "Snooze 1 h"],
            "data": {"url": "/log", "reminder": 7},
        }
    ]
    red = reminder_content(
        kind="session", sessions_this_week=1, weekly_target=3, safety="red", reminder_id=7
    )
    payload = reminder_payload(red, session=None, tag="h2k-reminder-7-20261124T1800")
    deliver()
    for _attempt in range(150):
        shown = page.evaluate(
            "navigator.serviceWorker.ready.then(r => r.getNotifications()).then(ns => ns"
            ".filter(n => n.tag.endsWith('20261124T1800'))"
            ".map(n => ({actions: n.actions.map(a => a.title), url: n.data.url})))"
        )
        if shown:
            break
        page.wait_for_timeout(100)
    assert shown == [{"actions": ["Knee check-in"], "url": "/checkin"}]  # no "Log now"


@pytest.mark.django_db(transaction=True)
def test_a_tap_on_a_notification_opens_its_page_or_snoozes(live_server, live_db, context):
    page = context.new_page()
    page.goto(f"{live_server.url}/signin")
    targets = page.evaluate(
        """async () => {
        const { clickTarget } = await import('/serviceworker.js');
        return [
          clickTarget({url: '/log', reminder: 7}, ''),
          clickTarget({url: '/log', reminder: 7}, 'log'),
          clickTarget({url: '/checkin/morning?session=3', reminder: 8}, 'open'),
          clickTarget({url: '/log', reminder: 7}, 'snooze'),
          clickTarget({url: 'https://elsewhere.example/'}, ''),
          clickTarget(null, ''),
          clickTarget({url: '/\\\\elsewhere.example/x'}, ''),
          clickTarget({url: '/\\t/elsewhere.example/x'}, ''),
          clickTarget({url: '/\\n/elsewhere.example/x'}, ''),
          clickTarget({url: '//elsewhere.example/x'}, ''),
          clickTarget({url: 'javascript:alert(1)'}, ''),
        ];
      }"""
    )
    assert targets == [
        "/log",
        "/log",
        "/checkin/morning?session=3",
        "/reminders?snooze=7",
        "/",
        "/",
        "/",  # browsers read "\" as "/" and drop tabs and newlines: all lead elsewhere
        "/",
        "/",
        "/",
        "/",
    ]


@pytest.mark.django_db(transaction=True)
def test_a_logged_set_can_be_edited(live_server, live_db, context):
    base = live_server.url
    sign_up(context, base)
    page = context.new_page()
    page.goto(f"{base}/log")
    page.locator("#start:enabled").wait_for()
    page.get_by_role("button", name="Start session").click()
    bridge = page.get_by_role("region", name="Glute bridge")
    bridge.get_by_role("button", name="Log set of Glute bridge").click()
    bridge.get_by_role("button", name="Edit set 1 of Glute bridge").click()
    bridge.get_by_role("button", name="Fewer reps").click()
    bridge.get_by_role("button", name="Fewer reps").click()
    bridge.get_by_role("button", name="Save changes to the set of Glute bridge").click()
    page.locator("#log-status").filter(has_text="Set of Glute bridge changed").wait_for()
    sets = bridge.get_by_role("list", name="Sets of Glute bridge").get_by_role("listitem")
    sets.filter(has_text="1. 8 reps").wait_for()
    assert sets.count() == 1
    assert "1 of 3 sets" in bridge.text_content()
