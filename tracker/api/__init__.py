"""API v1: routers per resource, mounted at /api/v1/. The contract is the OpenAPI document it
serves (/api/v1/openapi.json, browsable at /api/v1/docs)."""

from typing import Any

from ninja import NinjaAPI

from tracker.api import (
    account,
    auth,
    calendar,
    checkins,
    credentials,
    errors,
    library,
    passkeys,
    profile,
    progress,
    push,
    reminders,
    report,
    routines,
    sessions,
    vocabulary,
)
from tracker.api.rendering import ExactJSONRenderer
from tracker.api.security import AUTH


def _error(description: str) -> dict[str, Any]:
    schema = {"$ref": "#/components/schemas/ErrorOut"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


class Hip2KneeAPI(NinjaAPI):
    """Declares, once for every operation, the answers shared by all of them: 401 without
    credentials, 403 for a cookie write without its CSRF token, 503 (with ``Retry-After``) for a
    write that met a busy database, 400 for a body that is not JSON, and 422 for invalid
    input."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                # ninja keys its answers by int, JSON by str: one key per status, as a str
                responses = {
                    str(code): answer for code, answer in operation.get("responses", {}).items()
                }
                operation["responses"] = responses
                if operation.get("security"):
                    responses.setdefault("401", _error("Not signed in"))
                if method != "get":
                    responses.setdefault("403", _error("CSRF token missing, or not allowed"))
                    responses.setdefault(
                        "503", _error("The database is busy: send it again after Retry-After")
                    )
                if operation.get("requestBody"):
                    responses.setdefault("400", _error("The body is not JSON"))
                    responses.setdefault("413", _error("The body is too large"))
                if operation.get("requestBody") or operation.get("parameters"):
                    responses.setdefault("422", _error("Some fields are not valid"))
        return schema


api = Hip2KneeAPI(
    title="Hip2Knee API",
    version="1",
    description="Log hip sessions and knee pain; see weekly progress. Times are ISO 8601.",
    auth=AUTH,
    urls_namespace="api-v1",
    renderer=ExactJSONRenderer(),
)
errors.install(api)
api.add_router("/auth", auth.router)
api.add_router("/auth", credentials.router)
api.add_router("/auth/passkeys", passkeys.router)
api.add_router("/profile", profile.router)
api.add_router("/exercises", library.router)
api.add_router("/routines", routines.router)
api.add_router("/sessions", sessions.router)
api.add_router("/checkins", checkins.router)
api.add_router("/progress", progress.router)
api.add_router("/reminders", reminders.router)
api.add_router("/push", push.router)
api.add_router("/calendar", calendar.router)
api.add_router("/report", report.router)
api.add_router("/vocabulary", vocabulary.router)
api.add_router("/", account.router)
