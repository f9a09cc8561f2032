"""`make run` on a production host: with DEBUG off it serves through gunicorn (WEB_CONCURRENCY
processes) with WhiteNoise's compressed static files, behind an HTTPS proxy; without a
SECRET_KEY it refuses to start, in one line that says what to set."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.test_run import ROOT, collect, free_port, scratch_database, stop, wait_for_output

SECRET = "production-test-secret-" + "k" * 40
PROXIED = {"X-Forwarded-Proto": "https"}  # what the README's proxy sends


def fetch(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - localhost
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as refused:  # a redirect is not followed: see it as it is
        return refused.code, dict(refused.headers), refused.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def production_env(**overrides: str) -> dict[str, str]:
    dropped = ("SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "CACHE_URL", "DEBUG",
               "SECURE_SSL_REDIRECT", "WEB_CONCURRENCY", "WHITENOISE_USE_FINDERS")  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(overrides)
    return env


@pytest.mark.postgres
@pytest.mark.timeout(240)
def test_with_debug_off_make_run_serves_through_gunicorn_on_postgresql(tmp_path):
    import psycopg

    with scratch_database("h2k_prod") as (url, server, name):
        port = free_port()
        env = production_env(
            DEBUG="0",
            SECRET_KEY=SECRET,
            DATABASE_URL=url,
            WEB_CONCURRENCY="2",
            BEHIND_HTTPS_PROXY="1",
            PORT=str(port),
            VAR_DIR=str(tmp_path / "var"),  # the worker's queue (no broker given: files)
            STATIC_ROOT=str(tmp_path / "static"),
        )
        proc = subprocess.Popen(
            [sys.executable, "manage.py", "run"], cwd=ROOT, env=env, start_new_session=True,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        lines: list[str] = []
        reader = collect(proc, lines)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 150
            wait_for_output(lines, ("with 2 web processes", "Listening at"), deadline)
            wait_for_output(lines, ("Booting worker",), deadline)
            status, headers, page = fetch(f"{base}/", PROXIED)
            assert status == 200 and headers["Server"] == "gunicorn"
            assert b"Hip2Knee" in page
            # production settings: HTTPS known from the proxy's header, HSTS; http redirected
            assert "max-age=" in headers["Strict-Transport-Security"]
            opener = urllib.request.build_opener(NoRedirect)
            with pytest.raises(urllib.error.HTTPError) as plain:
                opener.open(f"{base}/", timeout=60)
            assert plain.value.code == 301
            assert plain.value.headers["Location"].startswith("https://")

            status, headers, manifest = fetch(f"{base}/manifest.json", PROXIED)
            assert status == 200 and b'"start_url"' in manifest and b"Hip2Knee" in manifest

            status, headers, body = fetch(f"{base}/api/v1/exercises", PROXIED)
            assert status == 200 and headers["Content-Type"].startswith("application/json")
            assert b'"glute-bridge"' in body  # the library, loaded into this PostgreSQL database

            # static files by WhiteNoise, from the collected copies, compressed
            status, headers, _ = fetch(
                f"{base}/static/frontend/css/app.css", {**PROXIED, "Accept-Encoding": "gzip"}
            )
            assert status == 200 and headers.get("Content-Encoding") == "gzip"
            assert (tmp_path / "static" / "frontend" / "css" / "app.css.gz").exists()
            with psycopg.connect(dbname=name, **server) as db:
                assert db.execute("SELECT count(*) FROM tracker_exercise").fetchone()[0] >= 13
        finally:
            stop(proc, reader)
    output = "".join(lines)
    assert output.count("Booting worker") == 2, output[-3000:]
    assert "Starting development server" not in output


def test_with_debug_off_and_no_secret_key_make_run_says_what_to_set(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "run"], cwd=ROOT, capture_output=True, text=True,
        env=production_env(DEBUG="0", VAR_DIR=str(tmp_path)), timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "SECRET_KEY must be set" in lines[0] and "set SECRET_KEY to" in lines[0]
    assert not (tmp_path / "secret_key").exists()  # no key made up behind the operator's back


def test_a_bad_web_concurrency_is_refused_in_one_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "run"], cwd=ROOT, capture_output=True, text=True,
        env=production_env(DEBUG="0", SECRET_KEY=SECRET, WEB_CONCURRENCY="lots",
                           VAR_DIR=str(tmp_path)),
        timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert "WEB_CONCURRENCY must be a whole number" in result.stderr
    assert "Traceback" not in result.stderr
