"""Knee check-ins: one per local date, nothing the user answered is lost."""

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from tests.conftest import Api, checkin_body, signed_in
from tracker.models import CheckIn

pytestmark = pytest.mark.django_db


def test_a_checkin_is_stored_and_read_back(api):
    body = checkin_body(red_flags=["locking"], rest_day=True)
    response = api.post("checkins", body)
    assert response.status_code == 201, response.content
    got = response.json()
    assert got["date"] == body["date"] and got["pain"] == 4 and got["stairs"] == 5
    assert got["sitting"] is None and got["red_flags"] == ["locking"] and got["rest_day"] is True
    assert api.get(f"checkins/{got['id']}").json() == got


def test_a_second_checkin_for_the_same_date_updates_the_first(api):
    first = api.post("checkins", checkin_body(pain=6, stairs=7)).json()
    later = checkin_body(date=first["date"], pain=3, walking=2)
    del later["stairs"]
    second = api.post("checkins", later)
    assert second.status_code == 200
    got = second.json()
    assert got["id"] == first["id"]
    assert (got["pain"], got["walking"]) == (3, 2)
    assert got["stairs"] == 7, "an answer the second check-in did not repeat is kept"
    assert CheckIn.objects.count() == 1


def test_resending_a_checkin_client_id_changes_and_creates_nothing(api):
    body = checkin_body(pain=6)
    first = api.post("checkins", body).json()
    again = api.post("checkins", {**body, "pain": 1})
    assert again.status_code == 200 and again.json() == first
    assert CheckIn.objects.count() == 1


def test_simultaneous_checkins_for_one_date_leave_one_row(live_db):
    api, _ = signed_in("twice@example.com")
    token = api.post("auth/tokens", {"name": "t"}).json()["token"]
    day = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    barrier = threading.Barrier(3)
    statuses: list[int] = []

    def send(pain: int) -> None:
        client = Api(token=token)
        barrier.wait()
        statuses.append(client.post("checkins", checkin_body(date=day, pain=pain)).status_code)
        connection.close()

    threads = [threading.Thread(target=send, args=(p,)) for p in (2, 3, 4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(statuses) == 3 and all(s in (200, 201) for s in statuses), statuses
    assert statuses.count(201) == 1
    assert CheckIn.objects.filter(date=day).count() == 1


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"pain": 11}, "pain"),
        ({"pain": -1}, "pain"),
        ({"stairs": 10.5}, "stairs"),
        ({"date": "2026-02-30"}, "date"),
        ({"date": "tomorrow"}, "date"),
        ({"date": "2099-01-01"}, "date"),
        ({"date": "1890-01-01"}, "date"),
        ({"client_id": "123"}, "client_id"),
        ({"red_flags": ["itchy"]}, "red_flags.0"),
        ({"red_flags": "locking"}, "red_flags"),
    ],
)
def test_bad_checkins_answer_422_and_store_nothing(api, override, field):
    response = api.post("checkins", checkin_body(**override))
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"], response.json()
    assert not CheckIn.objects.exists()


def test_pain_is_required(api):
    body = checkin_body()
    del body["pain"]
    response = api.post("checkins", body)
    assert response.status_code == 422 and "pain" in response.json()["errors"]


def test_today_in_the_users_zone_is_accepted_even_when_utc_is_still_yesterday(db):
    api, _ = signed_in("kiwi@example.com", timezone="Pacific/Kiritimati")  # UTC+14
    today_there = datetime.now(ZoneInfo("Pacific/Kiritimati")).date().isoformat()
    assert api.post("checkins", checkin_body(date=today_there)).status_code == 201


def test_patch_and_moving_onto_a_taken_date_is_a_conflict(api):
    a = api.post("checkins", checkin_body(date="2026-01-05")).json()
    b = api.post("checkins", checkin_body(date="2026-01-06")).json()
    response = api.patch(f"checkins/{b['id']}", {"pain": 1, "red_flags": []})
    assert response.status_code == 200 and response.json()["pain"] == 1
    response = api.patch(f"checkins/{b['id']}", {"date": a["date"]})
    assert response.status_code == 409 and "date" in response.json()["errors"]
    assert api.get(f"checkins/{b['id']}").json()["date"] == "2026-01-06"


def test_list_is_newest_first_and_filtered(api):
    for day in ("2026-01-05", "2026-01-07", "2026-01-06"):
        api.post("checkins", checkin_body(date=day))
    page = api.get("checkins").json()
    assert [c["date"] for c in page["items"]] == ["2026-01-07", "2026-01-06", "2026-01-05"]
    page = api.get("checkins", **{"from": "2026-01-06"}).json()
    assert page["count"] == 2


def test_delete(api):
    c = api.post("checkins", checkin_body()).json()
    assert api.delete(f"checkins/{c['id']}").status_code == 204
    assert not CheckIn.objects.exists()
