"""Every date and instant the API takes, in a query or a body, at either end of the calendar:
the answer is 200 (or 201) or a 422 naming the field (409 for a date already taken), never a
server error, and nothing is
stored outside the range a log may hold (2000 to now). Generated from the OpenAPI schema: an
operation that takes a date in its body must name a body to send below, or this test fails."""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from tests.conftest import checkin_body, session_body
from tracker.models import CheckIn, WorkoutSession

pytestmark = pytest.mark.django_db

DATES = ["0001-01-01", "9999-12-31", "1999-12-31", "2000-01-01"]
INSTANTS = [
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00-14:00",
    "0001-01-01T00:00:00+23:59",
    "9999-12-31T23:59:59.999999Z",
    "9999-12-31T23:59:59+14:00",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:59:59-23:59",
    "2000-01-01T00:00:00+14:00",  # 1999 in UTC
]
EXTREMES = {"date": DATES, "date-time": INSTANTS}


def base_bodies(ids: dict[str, int]) -> dict[tuple[str, str], dict[str, Any]]:
    """A valid body for each operation whose body holds a date (``{name}`` in a path: one of
    the user's own objects)."""
    return {
        ("post", "/api/v1/sessions"): session_body(),
        ("patch", "/api/v1/sessions/{session_id}"): {"started_at": session_body()["started_at"]},
        ("post", "/api/v1/checkins"): checkin_body(),
        ("post", "/api/v1/checkins/clearance"): {
            "client_id": str(uuid.uuid4()),
            "seen_at": session_body()["started_at"],
        },
        ("patch", "/api/v1/checkins/{checkin_id}"): {"date": checkin_body()["date"]},
        ("post", "/api/v1/import"): {
            "format": "hip2knee-export",
            "version": 1,
            "sessions": [session_body()],
            "checkins": [checkin_body()],
            "profile": {"clinician_seen_at": session_body()["started_at"]},
        },
    }


def resolve(schema: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def formats(schema: dict[str, Any], node: Any) -> set[str]:
    """The date formats a value may take: ``{"date"}``, ``{"date-time"}`` or both."""
    node = resolve(schema, node)
    if not isinstance(node, dict):
        return set()
    found = {node["format"]} & set(EXTREMES) if "format" in node else set()
    for key in ("anyOf", "oneOf", "allOf"):
        for option in node.get(key, []):
            found |= formats(schema, option)
    return found


def date_fields(schema: dict[str, Any], node: Any, path: tuple[Any, ...] = ()) -> Iterator[Any]:
    """``(path, formats)`` for every date or instant inside a body schema; a list's items are
    at index 0."""
    node = resolve(schema, node)
    if not isinstance(node, dict):
        return
    if path and formats(schema, node):
        yield path, formats(schema, node)
        return
    for key in ("anyOf", "oneOf", "allOf"):
        for option in node.get(key, []):
            yield from date_fields(schema, option, path)
    for name, prop in node.get("properties", {}).items():
        yield from date_fields(schema, prop, (*path, name))
    if "items" in node:
        yield from date_fields(schema, node["items"], (*path, 0))


def with_value(body: dict[str, Any], path: tuple[Any, ...], value: str) -> dict[str, Any]:
    changed = copy.deepcopy(body)
    target: Any = changed
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return changed


@pytest.fixture
def schema() -> dict[str, Any]:
    return Client().get("/api/v1/openapi.json").json()  # type: ignore[no-any-return]


@pytest.fixture
def ids(api) -> dict[str, int]:
    return {
        "session_id": api.post("sessions", session_body()).json()["id"],
        "checkin_id": api.post("checkins", checkin_body()).json()["id"],
    }


def in_range() -> None:
    """Nothing stored outside what a log may hold, whatever was sent."""
    earliest = datetime(2000, 1, 1, tzinfo=UTC)
    latest = datetime.now(UTC) + timedelta(days=2)
    for started in WorkoutSession.objects.values_list("started_at", flat=True):
        assert earliest <= started <= latest, started
    for day in CheckIn.objects.values_list("date", flat=True):
        assert date(2000, 1, 1) <= day <= latest.date(), day


def test_every_date_in_a_query_at_either_end_answers_200_or_422(api, schema, ids):
    tried = 0
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "query":
                    continue
                for fmt in formats(schema, parameter["schema"]):
                    for value in EXTREMES[fmt]:
                        url = re.sub(r"{(\w+)}", lambda m: str(ids[m.group(1)]), path)
                        response = api.request(method.upper(), url, **{parameter["name"]: value})
                        assert response.status_code in (200, 422), (url, value, response.content)
                        if response.status_code == 422:
                            assert parameter["name"] in response.json()["errors"], response.content
                        tried += 1
    assert tried >= 2 * len(DATES) + 2 * len(INSTANTS)  # sessions from/to, checkins from/to


def test_every_date_in_a_body_at_either_end_answers_2xx_or_422(api, schema, ids):
    bodies = base_bodies(ids)
    seen = set()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            content = operation.get("requestBody", {}).get("content", {})
            body_schema = content.get("application/json", {}).get("schema")
            fields = list(date_fields(schema, body_schema)) if body_schema else []
            if not fields:
                continue
            assert (method, path) in bodies, f"{method} {path}: add a valid body to base_bodies"
            seen.add((method, path))
            url = re.sub(r"{(\w+)}", lambda m: str(ids[m.group(1)]), path)
            for field, fmts in fields:
                for fmt in fmts:
                    for value in EXTREMES[fmt]:
                        body = with_value(bodies[(method, path)], field, value)
                        if "client_id" in body:
                            body["client_id"] = session_body()["client_id"]  # a new one
                        response = api.request(method.upper(), url, body)
                        # 409: a check-in moved onto a date an earlier case already took
                        assert response.status_code in (200, 201, 409, 422), (
                            method,
                            url,
                            field,
                            value,
                            response.content,
                        )
                        if response.status_code in (409, 422):
                            named = ".".join(str(p) for p in field)
                            assert named in response.json()["errors"], response.content
                        in_range()
    assert seen == set(bodies)


def test_a_session_at_midnight_of_2000_ahead_of_utc_is_still_1999_and_refused(api):
    response = api.post("sessions", session_body(started_at="2000-01-01T00:00:00+14:00"))
    assert response.status_code == 422 and "started_at" in response.json()["errors"]
    assert not WorkoutSession.objects.exists()
    ok = api.post("sessions", session_body(started_at="2000-01-01T00:00:00-05:00"))
    assert ok.status_code == 201, ok.content
    assert ok.json()["started_at"].startswith("2000-01-01T05:00:00")


def test_sessions_from_and_to_at_the_calendars_ends_select_as_no_bound_would(api, ids):
    everything = api.get("sessions").json()
    assert everything["count"] == 1
    for query in (
        {"from": "0001-01-01"},
        {"to": "9999-12-31"},
        {"from": "0001-01-01", "to": "9999-12-31"},
        {"from": "0001-01-01T00:00:00Z", "to": "9999-12-31T23:59:59Z"},
    ):
        assert api.get("sessions", **query).json() == everything, query
    assert api.get("sessions", to="0001-01-01").json()["count"] == 0
    assert api.get("sessions", **{"from": "9999-12-31"}).json()["count"] == 0
