"""The foundation's promise end to end: a new user, a token, a session sent twice, a check-in,
both exports and the account deleted — through the real middleware stack."""

import csv
import io
import json

import pytest
from django.test import Client

from tests.conftest import PASSWORD, Api, checkin_body, session_body
from tracker.models import User, WorkoutSession

pytestmark = pytest.mark.django_db


def test_new_user_signs_up_logs_a_session_twice_checks_in_exports_and_leaves():
    browser = Api()
    signup = browser.post(
        "auth/signup",
        {"email": "maya@example.com", "password": PASSWORD, "timezone": "Europe/Oslo"},
    )
    assert signup.status_code == 201
    token = browser.post("auth/tokens", {"name": "phone script"}).json()["token"]

    script = Api(token=token)
    body = session_body()
    first = script.post("sessions", body)
    retry = script.post("sessions", body)
    assert (first.status_code, retry.status_code) == (201, 200)
    assert first.json()["id"] == retry.json()["id"]
    assert script.get("sessions").json()["count"] == 1

    assert script.post("checkins", checkin_body(pain=5)).status_code == 201

    exported = json.loads(script.get("export", format="json").content)
    assert len(exported["sessions"]) == 1 and len(exported["sessions"][0]["sets"]) == 5
    assert exported["checkins"][0]["pain"] == 5
    rows = list(csv.DictReader(io.StringIO(script.get("export", format="csv").content.decode())))
    assert len(rows) == 6

    assert script.delete("account", {"password": PASSWORD}).status_code == 204
    assert not User.objects.filter(email="maya@example.com").exists()
    assert not WorkoutSession.objects.exists()
    assert (
        Client().get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )


def test_openapi_schema_and_docs_are_served_with_local_assets():
    client = Client()
    schema = client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/sessions",
        "/api/v1/checkins",
        "/api/v1/routines/{routine_id}",
        "/api/v1/auth/tokens",
        "/api/v1/export",
        "/api/v1/account",
    ):
        assert path in schema["paths"], path
    session_in = schema["components"]["schemas"]["SessionIn"]["properties"]
    assert {"client_id", "started_at", "sets", "pain_during"} <= set(session_in)
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn" not in html.lower() and "/static/ninja/" in html
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_home_page_manifest_and_service_worker_are_served():
    client = Client()
    home = client.get("/")
    assert home.status_code == 200 and b"Hip2Knee" in home.content
    manifest = client.get("/manifest.json").json()
    assert manifest["name"] == "Hip2Knee" and manifest["display"] == "standalone"
    assert client.get("/serviceworker.js").status_code == 200
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_the_schema_declares_the_shared_error_answers_of_every_operation():
    schema = Client().get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            if operation.get("security"):
                assert "401" in responses, (method, path)
            if method != "get":
                assert "403" in responses, (method, path)
            if operation.get("requestBody") or operation.get("parameters"):
                assert "422" in responses, (method, path)


def test_the_schema_names_each_answer_once_so_the_docs_render():
    """ninja keys answers by int and JSON by str: a status given both ways came out twice in the
    JSON, and Swagger UI refused the whole schema ("duplicated mapping key")."""
    repeated = []

    def no_repeats(pairs):
        keys = [key for key, _ in pairs]
        repeated.extend(key for key in set(keys) if keys.count(key) > 1)
        return dict(pairs)

    json.loads(Client().get("/api/v1/openapi.json").content, object_pairs_hook=no_repeats)
    assert repeated == []
