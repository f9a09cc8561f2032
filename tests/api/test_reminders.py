"""Reminder, push-subscription and calendar endpoints."""

import base64
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.test import Client

from tests.conftest import DEVICE_KEYS, session_body
from tests.pushreceiver import PushReceiver
from tracker.models import PushSubscription, Reminder
from tracker.rules.reminders import slot_on

pytestmark = pytest.mark.django_db
KEYS = DEVICE_KEYS


def test_create_read_change_and_delete_a_reminder(api):
    response = api.post("reminders", {"weekdays": [0, 2, 4], "time": "18:30", "channel": "email"})
    assert response.status_code == 201, response.content
    r = response.json()
    assert (r["weekdays"], r["time"], r["channel"], r["enabled"], r["skip_if_done"]) == (
        [0, 2, 4],
        "18:30",
        "email",
        True,
        True,
    )
    slot = datetime.fromisoformat(r["next_fire_at"]).astimezone(ZoneInfo("Europe/London"))
    assert (slot.weekday() in (0, 2, 4), slot.strftime("%H:%M")) == (True, "18:30")
    assert slot > datetime.now(UTC)
    changed = api.patch(f"reminders/{r['id']}", {"enabled": False}).json()
    assert changed["enabled"] is False and changed["next_fire_at"] is None
    assert api.get("reminders").json()[0]["id"] == r["id"]
    assert api.delete(f"reminders/{r['id']}").status_code == 204
    assert api.get(f"reminders/{r['id']}").status_code == 404


def test_next_names_the_next_day_it_will_be_sent_when_today_is_already_logged(api):
    """A daily reminder that skips days done, with today's session logged, is next sent
    tomorrow, and the answer says so; one that reminds anyway still names today."""
    london = ZoneInfo("Europe/London")
    now = datetime.now(UTC)
    today = now.astimezone(london).date()
    slot_today = slot_on(today, time(23, 59), london)
    skipping = api.post("reminders", {"weekdays": list(range(7)), "time": "23:59"}).json()
    anyway = api.post(
        "reminders", {"weekdays": list(range(7)), "time": "23:59", "skip_if_done": False}
    ).json()
    Reminder.objects.update(next_fire_at=slot_today)  # today's slot is the next one looked at
    assert api.post("sessions", session_body(started_at=now.isoformat())).status_code == 201

    shown = {
        r["id"]: datetime.fromisoformat(r["next_fire_at"]) for r in api.get("reminders").json()
    }
    tomorrow = slot_on(today + timedelta(days=1), time(23, 59), london)
    assert shown == {skipping["id"]: tomorrow, anyway["id"]: slot_today}
    got = api.get(f"reminders/{skipping['id']}").json()
    assert datetime.fromisoformat(got["next_fire_at"]) == tomorrow
    patched = api.patch(f"reminders/{skipping['id']}", {"channel": "email"}).json()
    assert datetime.fromisoformat(patched["next_fire_at"]) == tomorrow


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"weekdays": [7], "time": "08:00"}, "weekdays.0"),
        ({"weekdays": [], "time": "08:00"}, "weekdays"),
        ({"weekdays": [1], "time": "25:00"}, "time"),
        ({"weekdays": [1], "time": "8am"}, "time"),
        ({"weekdays": [1], "time": "08:00", "channel": "sms"}, "channel"),
        ({"time": "08:00"}, "weekdays"),
        ({"weekdays": [1]}, "time"),
    ],
)
def test_bad_reminders_answer_422_and_store_nothing(api, body, field):
    response = api.post("reminders", body)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert not Reminder.objects.exists()


def test_a_new_time_zone_moves_the_reminders_with_it(api):
    r = api.post("reminders", {"weekdays": list(range(7)), "time": "07:00"}).json()
    api.patch("profile", {"timezone": "Asia/Tokyo"})
    moved = api.get(f"reminders/{r['id']}").json()
    local = datetime.fromisoformat(moved["next_fire_at"]).astimezone(ZoneInfo("Asia/Tokyo"))
    assert local.strftime("%H:%M") == "07:00"


def test_only_one_morning_check(api):
    assert api.post("reminders", {"kind": "morning_check", "time": "07:30"}).status_code == 201
    again = api.post("reminders", {"kind": "morning_check"})
    assert again.status_code == 409 and "kind" in again.json()["errors"]


def test_snooze_reminds_again_in_an_hour_or_as_asked(api):
    r = api.post("reminders", {"weekdays": [0], "time": "07:00"}).json()
    snoozed = api.post(f"reminders/{r['id']}/snooze").json()
    delay = datetime.fromisoformat(snoozed["next_fire_at"]) - datetime.now(UTC)
    assert timedelta(minutes=58) < delay <= timedelta(minutes=60)
    snoozed = api.post(f"reminders/{r['id']}/snooze", {"minutes": 15}).json()
    delay = datetime.fromisoformat(snoozed["next_fire_at"]) - datetime.now(UTC)
    assert timedelta(minutes=13) < delay <= timedelta(minutes=15)
    assert api.post(f"reminders/{r['id']}/snooze", {"minutes": 0}).status_code == 422


def test_another_users_reminder_and_subscription_are_404(api, bob, settings):
    r = api.post("reminders", {"weekdays": [0], "time": "07:00"}).json()
    other = bob[0]
    assert other.get(f"reminders/{r['id']}").status_code == 404
    assert other.patch(f"reminders/{r['id']}", {"enabled": False}).status_code == 404
    assert other.delete(f"reminders/{r['id']}").status_code == 404
    assert other.post(f"reminders/{r['id']}/snooze").status_code == 404
    sub = api.post(
        "push/subscriptions", {"endpoint": "https://fcm.googleapis.com/fcm/send/a1", "keys": KEYS}
    ).json()
    assert other.delete(f"push/subscriptions/{sub['id']}").status_code == 404
    assert Reminder.objects.get().enabled and PushSubscription.objects.count() == 1


def test_the_vapid_public_key_is_public(settings):
    settings.VAPID_PUBLIC_KEY = "BPublicKey"
    assert Client().get("/api/v1/push/vapid-public-key").json() == {"key": "BPublicKey"}


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/abc",
        "https://updates.push.services.mozilla.com/wpush/v2/abc",
        "https://web.push.apple.com/QGm",
        "https://wns2-par02p.notify.windows.com/w/?token=abc",
    ],
)
def test_subscriptions_on_known_push_services_are_stored_as_the_browser_sends_them(api, endpoint):
    body = {"endpoint": endpoint, "expirationTime": 1893456000000, "keys": KEYS}
    response = api.post("push/subscriptions", body)
    assert response.status_code == 201, response.content
    assert response.json()["expirationTime"] == 1893456000000
    again = api.post("push/subscriptions", body)
    assert again.status_code == 200 and again.json()["id"] == response.json()["id"]
    stored = PushSubscription.objects.get()
    assert (stored.endpoint, stored.p256dh, stored.auth) == (endpoint, KEYS["p256dh"], KEYS["auth"])


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://fcm.googleapis.com/fcm/send/abc",  # not https
        "https://fcm.googleapis.com:8443/fcm/send/abc",  # another port
        "https://fcm.googleapis.com.evil.example/x",  # a look-alike host
        "https://evil.example/?fcm.googleapis.com",
        "https://evil.example/fcm.googleapis.com/",
        "https://user@fcm.googleapis.com@evil.example/",
        "https://push.services.mozilla.com.evil.example/",
        "https://127.0.0.1/push",
        "http://169.254.169.254/latest/meta-data",
        "file:///etc/passwd",
        "not a url",
    ],
)
def test_any_other_endpoint_is_refused(api, endpoint):
    response = api.post("push/subscriptions", {"endpoint": endpoint, "keys": KEYS})
    assert response.status_code == 422 and "endpoint" in response.json()["errors"]
    assert not PushSubscription.objects.exists()


def test_push_endpoint_allow_adds_a_self_hosted_service(api, settings):
    settings.PUSH_ENDPOINT_ALLOW = ["http://127.0.0.1:9000/push/"]
    ok = api.post("push/subscriptions", {"endpoint": "http://127.0.0.1:9000/push/a", "keys": KEYS})
    assert ok.status_code == 201
    for endpoint in (
        "http://127.0.0.1:9001/push/a",
        "http://127.0.0.1:9000/admin",
        "https://127.0.0.1:9000/push/a",
    ):
        assert (
            api.post("push/subscriptions", {"endpoint": endpoint, "keys": KEYS}).status_code == 422
        )


def test_bad_subscription_keys_are_refused(api):
    body = {
        "endpoint": "https://fcm.googleapis.com/fcm/send/a",
        "keys": {"p256dh": "short", "auth": "x"},
    }
    response = api.post("push/subscriptions", body)
    assert response.status_code == 422
    assert {"keys.p256dh", "keys.auth"} <= set(response.json()["errors"])


def test_unsubscribe(api):
    receiver = PushReceiver()
    sub = api.post(
        "push/subscriptions", {"endpoint": "https://fcm.googleapis.com/fcm/send/z", "keys": KEYS}
    ).json()
    assert api.delete(f"push/subscriptions/{sub['id']}").status_code == 204
    assert not PushSubscription.objects.exists() and receiver.received == []


def test_a_private_calendar_feed_that_can_be_revoked(api):
    api.post("reminders", {"weekdays": [0, 3], "time": "18:00"})
    url = api.post("calendar").json()["url"]
    path = url.split("localhost:8000", 1)[1]
    feed = Client().get(path)
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    text = feed.content.decode()
    assert "BEGIN:VEVENT" in text and "RRULE:FREQ=WEEKLY;BYDAY=MO,TH" in text
    assert "TZID=Europe/London" in text and "BEGIN:VTIMEZONE" in text and "BEGIN:VALARM" in text
    new_url = api.post("calendar").json()["url"]
    assert Client().get(path).status_code == 404  # the old URL stopped working
    assert api.delete("calendar").status_code == 204
    assert Client().get(new_url.split("localhost:8000", 1)[1]).status_code == 404


def test_snoozing_a_reminder_that_is_off_is_refused_and_leaves_it_off(api):
    r = api.post("reminders", {"weekdays": [0], "time": "07:00", "enabled": False}).json()
    refused = api.post(f"reminders/{r['id']}/snooze")
    assert refused.status_code == 409 and "enabled" in refused.json()["errors"]
    stored = Reminder.objects.get()
    assert stored.enabled is False and stored.next_fire_at is None


@pytest.mark.parametrize(
    "time",
    [
        "\uff12\uff13:\uff10\uff10",  # full-width 23:00
        "\u0661\u0662:\u0663\u0660",  # Arabic-Indic 12:30
        "07:3\u0660",
        " 7:30",
        "07:30\n",
    ],
)
def test_a_reminder_time_is_ascii_hh_mm_only(api, time):
    response = api.post("reminders", {"weekdays": [1], "time": time})
    assert response.status_code == 422 and "time" in response.json()["errors"]
    r = api.post("reminders", {"weekdays": [1], "time": "07:30"}).json()
    response = api.patch(f"reminders/{r['id']}", {"time": time})
    assert response.status_code == 422 and "time" in response.json()["errors"]
    assert [f"{x.time:%H:%M}" for x in Reminder.objects.all()] == ["07:30"]


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/a\x01b",
        "https://fcm.googleapis.com/fcm/send/a\x7fb",
        "https://fcm.googleapis.com/fcm/send/\u200bab",
        "https://fcm.googleapis.com/fcm/send/\u00e9",
        "https://fcm.googleapis.com/fcm/send/ab\x1b[31m",
    ],
)
def test_a_push_endpoint_with_a_control_or_non_ascii_character_is_refused(api, endpoint):
    response = api.post("push/subscriptions", {"endpoint": endpoint, "keys": KEYS})
    assert response.status_code == 422 and "endpoint" in response.json()["errors"]
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize("bad", ["\x01", " ", "+", "/", "!", "\n"])
def test_subscription_keys_outside_base64url_are_refused_not_skipped(api, bad):
    # four of them: a decoder that skips them would still find 16 bytes
    keys = {"p256dh": KEYS["p256dh"], "auth": KEYS["auth"][:5] + bad * 4 + KEYS["auth"][5:]}
    body = {"endpoint": "https://fcm.googleapis.com/fcm/send/a", "keys": keys}
    response = api.post("push/subscriptions", body)
    assert response.status_code == 422 and "keys.auth" in response.json()["errors"]
    assert not PushSubscription.objects.exists()


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


# another browser's keys: a real point on the curve, and its own auth secret
OTHER_KEYS = {
    "p256dh": _b64url(
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    ),
    "auth": _b64url(b"\x05" * 16),
}


def test_an_endpoint_another_user_registered_is_not_taken_over(api, bob):
    endpoint = "https://fcm.googleapis.com/fcm/send/alices-phone"
    mine = api.post("push/subscriptions", {"endpoint": endpoint, "keys": KEYS}).json()
    taken = bob[0].post("push/subscriptions", {"endpoint": endpoint, "keys": OTHER_KEYS})
    assert taken.status_code == 409 and "endpoint" in taken.json()["errors"]
    stored = PushSubscription.objects.get()
    assert (stored.user.email, stored.p256dh, stored.auth) == (
        "alice@example.com",
        KEYS["p256dh"],
        KEYS["auth"],
    )
    assert api.delete(f"push/subscriptions/{mine['id']}").status_code == 204  # still hers


def test_the_same_browser_signed_in_to_another_account_moves_its_subscription(api, bob):
    """The browser proves it is the one that subscribed with the secret only it holds."""
    endpoint = "https://fcm.googleapis.com/fcm/send/shared-tablet"
    api.post("push/subscriptions", {"endpoint": endpoint, "keys": KEYS})
    moved = bob[0].post("push/subscriptions", {"endpoint": endpoint, "keys": KEYS})
    assert moved.status_code == 200, moved.content
    assert PushSubscription.objects.get().user.email == "bob@example.com"
