"""Access logs never show the tokens of share, calendar, reminder-off or password-reset links:
records go through the real loggers (Django's development server, Django's request warnings,
gunicorn's access log) and come out masked."""

import io
import logging

import pytest

from tracker.logfilters import MASK

SECRETS = ["a1B2c3D4e5F6g7H8", "MQ", "cd4x-0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d"]


@pytest.fixture
def written():
    """What the named logger's records would print, in the server's own format."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)

    attached = {}

    def attach(name):
        logger = logging.getLogger(name)
        attached.setdefault(logger, logger.level)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        return logger

    yield attach, stream
    for logger, level in attached.items():
        logger.removeHandler(handler)
        logger.setLevel(level)


@pytest.mark.parametrize(
    "line",
    [
        "GET /password-reset/MQ/cd4x-0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d HTTP/1.1",
        "GET /calendar/a1B2c3D4e5F6g7H8.ics HTTP/1.1",
        "GET /reminders/off/a1B2c3D4e5F6g7H8 HTTP/1.1",
        "GET /api/v1/report/shared/a1B2c3D4e5F6g7H8?weeks=12 HTTP/1.1",
    ],
)
def test_the_development_servers_request_line_is_masked(written, line):
    attach, stream = written
    attach("django.server").info('"%s" %s %s', line, "200", "512")
    text = stream.getvalue()
    assert MASK in text and "200 512" in text
    assert not any(secret in text for secret in SECRETS), text


def test_gunicorns_access_log_masks_the_request_and_the_referer(written):
    attach, stream = written
    atoms = {
        "h": "203.0.113.9",
        "r": "POST /api/v1/auth/password-reset/confirm HTTP/1.1",
        "s": "204",
        "f": "https://hip2knee.example/password-reset/MQ/cd4x-0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d",
        "U": "/calendar/a1B2c3D4e5F6g7H8.ics",
    }
    attach("gunicorn.access").info('%(h)s "%(r)s" %(s)s "%(f)s" %(U)s', atoms)
    text = stream.getvalue()
    assert text.startswith('203.0.113.9 "POST /api/v1/auth/password-reset/confirm HTTP/1.1" 204')
    assert "https://hip2knee.example/password-reset/" + MASK in text
    assert not any(secret in text for secret in SECRETS), text


def test_a_request_warning_for_a_wrong_calendar_link_is_masked(client, db, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/calendar/a1B2c3D4e5F6g7H8.ics").status_code == 404
        client.get("/api/v1/report/shared/a1B2c3D4e5F6g7H8")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Not Found: /calendar/" + MASK in logged
    assert "a1B2c3D4e5F6g7H8" not in logged


def test_paths_without_secrets_are_left_as_they_are(written):
    attach, stream = written
    attach("django.server").info('"%s" %s %s', "GET /password-reset HTTP/1.1", "200", "9")
    attach("django.server").info('"%s" %s %s', "GET /progress?weeks=12 HTTP/1.1", "200", "9")
    assert stream.getvalue().splitlines() == [
        '"GET /password-reset HTTP/1.1" 200 9',
        '"GET /progress?weeks=12 HTTP/1.1" 200 9',
    ]


def test_everything_else_the_app_logs_is_masked_on_its_way_out():
    console = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    out = io.StringIO()
    previous = console.setStream(out)
    try:
        logging.getLogger("tracker.api.errors").error(
            "Unhandled error in %s %s", "GET", "/api/v1/report/shared/a1B2c3D4e5F6g7H8"
        )
    finally:
        console.setStream(previous)
    assert out.getvalue() == f"Unhandled error in GET /api/v1/report/shared/{MASK}\n"
