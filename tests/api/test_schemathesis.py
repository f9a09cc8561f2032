"""Generated bad (and good) input over every operation of /api/v1/openapi.json, in process:
schemathesis makes requests from the schema and checks each answer — never a 5xx, and every
status, content type, header and body as the schema declares. Authenticated with a token of a
throwaway user per operation (account deletion and token revocation may be called on it)."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api.test_extreme_dates import DATES, INSTANTS, date_fields, formats
from tests.conftest import PASSWORD

# Values at the edges, drawn in place of generated ones (schemathesis "dictionaries", for every
# string, integer and number of every operation, query and body alike): dates and instants at
# both ends of the calendar with the widest offsets, times and zones that only look right, text
# with control characters and line breaks, and numbers that round to nothing or overflow.
EXTREMES = [
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00-23:59",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:59:59+23:59",
    "9999-12-31T23:59:59.999999Z",
    "2000-01-01T00:00:00+14:00",
    "\uff12\uff13:\uff10\uff10",
    "24:00",
    "localtime",
    "Factory",
    "Felt fine\r=cmd|' /C calc'!A0",
    "https://fcm.googleapis.com/fcm/send/a\x01b",
    "/\\evil.example/x",
    5e-324,
    1.7976931348623157e308,
    -0.0,
    2**63,
    -(2**63),
]


def date_bindings() -> dict[str, dict[str, object]]:
    """Every date and instant of the schema, in a query or a body (``body.sessions[*].date``),
    drawn from the calendar's ends half the time: a union of a date and an instant has no one
    type, so the type-wide draws above do not reach it."""
    spec = Client().get("/api/v1/openapi.json").json()
    bindings: dict[str, dict[str, object]] = {}
    for operations in spec["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if formats(spec, parameter["schema"]):
                    bindings[f"{parameter['in']}.{parameter['name']}"] = {}
            content = operation.get("requestBody", {}).get("content", {})
            body = content.get("application/json", {}).get("schema")
            for field, _ in date_fields(spec, body) if body else ():
                parts: list[str] = []
                for part in field:  # ("sessions", 0, "started_at") -> sessions[*].started_at
                    if part == 0:
                        parts[-1] += "[*]"
                    else:
                        parts.append(part)
                bindings["body." + ".".join(parts)] = {}
    return {key: {"dictionary": "dates", "probability": 0.5} for key in bindings}


# Bad input may also be refused as too large (413, declared in the schema): a generated import
# body can pass the size limit, and refusing it is right.
CONFIG = SchemathesisConfig.from_dict(
    {
        "dictionaries": {
            "extremes": {"values": EXTREMES},
            "dates": {"values": [*DATES, *INSTANTS]},
        },
        "parameters": date_bindings(),
        "generation": {
            "dictionaries": {
                kind: {"dictionary": "extremes", "probability": 0.25}
                for kind in ("string", "integer", "number")
            }
        },
        "checks": {
            "negative_data_rejection": {
                "expected-statuses": [400, 401, 403, 404, 406, 409, 413, 422, 428, "5XX"]
            }
        },
    }
)
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", get_wsgi_application(), config=CONFIG
)
EXAMPLES = 25  # per operation; about 1,000 cases in all, well within CI's time


@pytest.fixture
def token(db):
    """A throwaway user's token. The WSGI handler closes the database connection after each
    request; the test's transaction needs it open, so (as Django's test client does) that
    signal is off while the cases run."""
    from tracker.services import accounts, tokens

    # a zone ahead of UTC in every year (in year 1 too: local mean time), so a local day at the
    # start of the calendar begins before UTC can count
    user = accounts.user_signup(email="fuzz@example.com", password=PASSWORD, tz_name="Asia/Tokyo")
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield tokens.token_create(user=user, name="schemathesis")[1]
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.filterwarnings("ignore")
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_operation_answers_as_its_schema_says(case, token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        # Left out: "schema-valid data must be accepted". The server knows more than a JSON
        # schema can say (an email domain needs a real TLD, a password must not be common, a
        # session cannot start in the future, a routine id must be one you can see), and
        # answers those with a 4xx and a message per field, which is right.
        excluded_checks=[positive_data_acceptance],
    )
