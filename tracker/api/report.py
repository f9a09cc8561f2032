"""The physiotherapist report: progress and loads on one printable page, and read-only share
links that expire (30 days by default) and can be revoked."""

from django.http import HttpRequest
from ninja import Query, Router, Status

from tracker.api.schemas.common import ErrorOut
from tracker.api.schemas.report import (
    ReportFilters,
    ReportOut,
    ReportShareCreatedOut,
    ReportShareIn,
    ReportShareOut,
)
from tracker.api.security import AuthedRequest
from tracker.errors import NotFound
from tracker.pages import page_link
from tracker.selectors import report as selectors
from tracker.services import sharing as services

router = Router(tags=["report"])


@router.get("", response={200: ReportOut, 422: ErrorOut})
def report(request: AuthedRequest, filters: Query[ReportFilters]) -> object:
    return selectors.report(user=request.auth, weeks=filters.weeks)


@router.get("/shares", response=list[ReportShareOut])
def share_list(request: AuthedRequest) -> object:
    return selectors.report_shares(user=request.auth)


@router.post("/shares", response={201: ReportShareCreatedOut, 422: ErrorOut})
def share_create(request: AuthedRequest, payload: ReportShareIn) -> Status[ReportShareCreatedOut]:
    """A new read-only link; the token in it is shown only in this answer."""
    share, token = services.report_share_create(
        user=request.auth, weeks=payload.weeks, days=payload.days
    )
    url = page_link("report_shared", fragment=token)
    created = ReportShareCreatedOut(
        **ReportShareOut.model_validate(share).model_dump(), url=url, token=token
    )
    return Status(201, created)


@router.delete("/shares/{share_id}", response={204: None, 404: ErrorOut})
def share_revoke(request: AuthedRequest, share_id: int) -> Status[None]:
    services.report_share_revoke(user=request.auth, share_id=share_id)
    return Status(204, None)


@router.get("/shared/{token}", response={200: ReportOut, 404: ErrorOut}, auth=None)
def shared(request: HttpRequest, token: str) -> object:
    """The report behind a share link, read-only, without signing in: the weeks its owner
    chose when creating the link (a ``weeks`` in the query is not read)."""
    share = selectors.report_share_live(token=token)
    if share is None:
        raise NotFound("This link has expired or was revoked.", {"token": "not valid"})
    return selectors.report(user=share.user, weeks=share.weeks)
