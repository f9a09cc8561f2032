"""Export of everything a user owns, and deleting the account with all of it."""

import csv
import io

import pytest

from tests.conftest import DEVICE_KEYS, PASSWORD, Api, checkin_body, session_body
from tracker.models import (
    ApiToken,
    CheckIn,
    PushSubscription,
    Reminder,
    Routine,
    SessionSet,
    User,
    WorkoutSession,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(api):
    api.post("sessions", session_body(notes='=HYPERLINK("http://evil")'))
    api.post("sessions", session_body(sets=[], notes="just stretched"))
    api.post("checkins", checkin_body(red_flags=["locking", "major_swelling"]))
    starter = next(r for r in api.get("routines").json() if r["starter"])
    api.post("routines", {"copy_of": starter["id"], "name": "Mine"})
    api.post("reminders", {"weekdays": [1, 3], "time": "19:15"})
    return api


def test_json_export_has_every_session_set_checkin_and_routine(history):
    response = history.get("export", format="json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = response.json()
    assert data["format"] == "hip2knee-export" and data["profile"]["timezone"] == "Europe/London"
    assert len(data["sessions"]) == 2
    assert sum(len(s["sets"]) for s in data["sessions"]) == 5
    assert data["checkins"][0]["red_flags"] == ["locking", "major_swelling"]
    assert [r["name"] for r in data["routines"]] == ["Mine"]
    assert data["reminders"] == [
        {
            "kind": "session",
            "weekdays": [1, 3],
            "time": "19:15",
            "channel": "push",
            "enabled": True,
            "skip_if_done": True,
        }
    ]


def test_csv_export_has_a_row_per_set_session_and_checkin_and_defuses_formulas(history):
    response = history.get("export", format="csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    kinds = [r["record"] for r in rows]
    assert kinds.count("set") == 5 and kinds.count("session") == 1 and kinds.count("checkin") == 1
    notes = {r["notes"] for r in rows if r["record"] == "set"}
    assert notes == {'\'=HYPERLINK("http://evil")'}
    clamshells = [r for r in rows if r["exercise"] == "clamshell"]
    assert {r["side"] for r in clamshells} == {"left", "right"} and clamshells[0]["band"] == "red"


def test_unknown_export_format_is_422(api):
    response = api.get("export", format="xlsx")
    assert response.status_code == 422 and "format" in response.json()["errors"]


def test_deleting_the_account_needs_the_password(history):
    response = history.delete("account", {"password": "not it"})
    assert response.status_code == 403 and "password" in response.json()["errors"]
    assert User.objects.filter(email="alice@example.com").exists()
    assert history.delete("account", {}).status_code == 422


def test_deleting_the_account_removes_the_user_and_all_their_data(history, bob):
    bob[0].post("sessions", session_body())
    token = history.post("auth/tokens", {"name": "t"}).json()["token"]
    sub = {"endpoint": "https://fcm.googleapis.com/fcm/send/x", "keys": DEVICE_KEYS}
    assert history.post("push/subscriptions", sub).status_code == 201
    assert history.delete("account", {"password": PASSWORD}).status_code == 204
    assert not User.objects.filter(email="alice@example.com").exists()
    assert WorkoutSession.objects.count() == 1  # only Bob's
    assert SessionSet.objects.filter(session__user__email="alice@example.com").count() == 0
    assert not CheckIn.objects.exists()
    assert not Routine.objects.filter(starter=False, user__isnull=True).exists()
    assert not ApiToken.objects.filter(user__email="alice@example.com").exists()
    assert not Reminder.objects.exists() and not PushSubscription.objects.exists()
    assert history.get("auth/me").status_code == 401
    assert Api(token=token).get("auth/me").status_code == 401


NOTES_WITH_BREAKS = [
    "Felt fine\r=cmd|' /C calc'!A0",
    "Felt fine\n+SUM(A1:A9)",
    "Felt fine\r\n@SUM(A1)",
    "two lines\rsecond\n-2+3",
    "\r=starts with a break",
]


@pytest.mark.parametrize("notes", NOTES_WITH_BREAKS)
def test_csv_quotes_line_breaks_and_defuses_a_formula_on_any_line_of_a_field(api, notes):
    api.post("sessions", session_body(sets=[], notes=notes))
    text = api.get("export", format="csv").content.decode()
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 2 and len(rows[1]) == len(rows[0])  # the note did not end its row
    note = rows[1][rows[0].index("notes")]
    lines = note.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    assert all(not line or line[0] not in "=+-@\t" for line in lines), note
    assert note.replace("'", "") == notes.replace("'", "")  # nothing but the apostrophes added
    # a spreadsheet splits rows at any line break outside quotes: none starts with a formula
    outside: list[str] = []
    quoted = False
    for char in text:
        quoted ^= char == '"'
        outside.append("\n" if char in "\r\n" and not quoted else char)
    assert all(line[:1] not in ("=", "+", "-", "@") for line in "".join(outside).split("\n"))
