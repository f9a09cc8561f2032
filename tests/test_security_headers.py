"""Security headers on every page, answer and file; production settings pass `check --deploy`."""

import os
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
URLS = [
    "/", "/log", "/progress", "/reminders", "/signin", "/report/shared", "/checkin/morning",
    "/api/v1/exercises", "/api/v1/auth/me", "/api/v1/sessions", "/api/v1/openapi.json",
    "/api/v1/docs", "/manifest.json", "/serviceworker.js", "/static/frontend/css/app.css",
    "/admin/login/", "/no-such-page",
]  # fmt: skip


def csp_sources(header: str) -> dict[str, list[str]]:
    directives = [part.strip().split() for part in header.split(";") if part.strip()]
    return {d[0]: d[1:] for d in directives}


@pytest.mark.parametrize("url", URLS)
def test_every_answer_carries_the_security_headers(client, db, url):
    response = client.get(url)
    csp = csp_sources(response.headers["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"] and csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"] and csp["frame-ancestors"] == ["'none'"]
    every_source = {source for sources in csp.values() for source in sources}
    assert every_source <= {"'self'", "'none'", "data:"}, "no unsafe-inline, no outside origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_with_debug_off_https_is_enforced_and_cookies_are_locked_down(client, db, settings):
    response = client.get("/api/v1/exercises", secure=True)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    client.get("/api/v1/auth/csrf", secure=True)
    token = client.cookies["csrftoken"].value
    client.post(
        "/api/v1/auth/signup",
        {"email": "maya@example.com", "password": "knee-friendly-Hips-2024"},
        content_type="application/json",
        headers={"X-CSRFToken": token},
        secure=True,
    )
    session, csrf = client.cookies["sessionid"], client.cookies["csrftoken"]
    assert session["httponly"] and session["secure"] and session["samesite"] == "Lax"
    # the PWA reads the CSRF token from its cookie, so that one is not HttpOnly
    assert not csrf["httponly"] and csrf["secure"] and csrf["samesite"] == "Lax"


def test_signing_in_rotates_the_session_and_signing_out_ends_it(client, db):
    client.get("/api/v1/auth/csrf")
    headers = {"X-CSRFToken": client.cookies["csrftoken"].value}
    body = {"email": "maya@example.com", "password": "knee-friendly-Hips-2024"}
    client.post("/api/v1/auth/signup", body, content_type="application/json", headers=headers)
    client.post("/api/v1/auth/logout", content_type="application/json", headers=headers)
    before = client.cookies["sessionid"].value
    client.get("/api/v1/auth/csrf")
    headers = {"X-CSRFToken": client.cookies["csrftoken"].value}
    client.post("/api/v1/auth/login", body, content_type="application/json", headers=headers)
    after = client.cookies["sessionid"].value
    assert after and after != before
    assert client.get("/api/v1/auth/me").status_code == 200
    headers = {"X-CSRFToken": client.cookies["csrftoken"].value}
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    client.cookies["sessionid"] = after  # the old cookie, kept by someone: it no longer works
    assert client.get("/api/v1/auth/me").status_code == 401


def test_production_settings_pass_check_deploy():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "hip2knee.example",
    }
    for test_only in ("SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(test_only, None)  # production has its own defaults, not the tests'
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr + result.stdout


def test_api_answers_are_never_kept_by_a_shared_or_browser_cache(client, db):
    from tests.conftest import PASSWORD, Api

    api = Api()
    api.post("auth/signup", {"email": "private@example.com", "password": PASSWORD})
    token = api.post("auth/tokens", {"name": "script"}).json()["token"]
    share = api.post("report/shares", {}).json()["token"]
    answers = [
        api.get("auth/me"),
        api.get("sessions"),
        api.get("progress/weekly"),
        api.get("export", format="json"),
        api.get("export", format="csv"),
        api.post("checkins", {"client_id": str(uuid.uuid4()), "date": "2026-01-05", "pain": 3}),
        Api(token=token).get("profile"),
        Api().get(f"report/shared/{share}"),
        Api().get("auth/me"),  # 401
        Api().get("exercises"),
    ]
    for response in answers:
        assert response["Cache-Control"] == "private, no-store", response.request["PATH_INFO"]
