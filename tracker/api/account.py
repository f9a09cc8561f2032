"""What the user owns, as a download, and deleting all of it."""

import json
from typing import Literal

from django.contrib.auth import logout
from django.http import HttpResponse
from django.utils import timezone
from ninja import Router, Status

from tracker import export as exporting
from tracker.api import throttles
from tracker.api.schemas.account import AccountDeleteIn, ImportIn, ImportOut
from tracker.api.schemas.common import ErrorOut
from tracker.api.security import AuthedRequest
from tracker.services import accounts, imports

router = Router(tags=["account"])


@router.get("/export", response={200: None, 422: ErrorOut})
def export(request: AuthedRequest, format: Literal["json", "csv"] = "json") -> HttpResponse:
    """Everything you own: ``format=json`` (re-importable) or ``format=csv`` (for spreadsheets)."""
    stamp = timezone.now().strftime("%Y%m%d")
    if format == "csv":
        response = HttpResponse(
            exporting.export_csv(user=request.auth), content_type="text/csv; charset=utf-8"
        )
    else:
        body = json.dumps(exporting.export_data(user=request.auth), indent=2)
        response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="hip2knee-{stamp}.{format}"'
    return response


@router.delete(
    "/account",
    response={204: None, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    throttle=[throttles.PASSWORD],
)
def account_delete(request: AuthedRequest, payload: AccountDeleteIn) -> Status[None]:
    """Deletes the user and everything they logged; needs the password."""
    accounts.account_delete(user=request.auth, password=payload.password)
    logout(request)
    return Status(204, None)


@router.post(
    "/import",
    response={200: ImportOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    throttle=[throttles.IMPORT],
)
def account_import(request: AuthedRequest, payload: ImportIn) -> object:
    """A JSON export into this account: the same sessions, sets and check-ins. Checked whole
    first (any fault: 422 and nothing written), then written in chunks that each commit.
    Idempotent by ``client_id``: importing the same file twice changes nothing, and after a 503
    (the database was busy) sending it again adds what is missing. ``THROTTLE_IMPORT`` imports
    per user (429 with ``Retry-After`` beyond)."""
    sessions = [s.model_dump() for s in payload.sessions]
    checkins = [
        c.model_dump(include={"client_id", "date", *c.model_fields_set}) for c in payload.checkins
    ]
    seen_at = payload.profile.clinician_seen_at if payload.profile else None
    return imports.account_import(
        user=request.auth, sessions=sessions, checkins=checkins, clinician_seen_at=seen_at
    )
