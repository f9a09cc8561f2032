"""Generated bad (and good) input over every operation of /api/v1/openapi.json, in process:
schemathesis makes requests from the schema and checks each answer — never a 5xx, and every
status, content type, header and body as the schema declares. Authenticated with a token of a
throwaway user per operation (account deletion and token revocation may be called on it)."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.conftest import PASSWORD

# Bad input may also be refused as too large (413, declared in the schema): a generated import
# body can pass the size limit, and refusing it is right.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "negative_data_rejection": {
                "expected-statuses": [400, 401, 403, 404, 406, 409, 413, 422, 428, "5XX"]
            }
        }
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

    user = accounts.user_signup(email="fuzz@example.com", password=PASSWORD, tz_name="UTC")
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
