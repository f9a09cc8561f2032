"""A private, revocable iCal feed of the user's reminder slots."""

from django.conf import settings
from django.urls import reverse
from ninja import Router, Status

from tracker.api.schemas.reminders import CalendarOut
from tracker.api.security import AuthedRequest
from tracker.services import sharing as services

router = Router(tags=["calendar"])


@router.post("", response={201: CalendarOut})
def calendar_create(request: AuthedRequest) -> Status[dict[str, str]]:
    """A new private feed URL; any earlier URL stops working."""
    token = services.calendar_token_create(user=request.auth)
    return Status(201, {"url": settings.SITE_URL + reverse("tracker:calendar-feed", args=[token])})


@router.delete("", response={204: None})
def calendar_revoke(request: AuthedRequest) -> Status[None]:
    services.calendar_token_revoke(user=request.auth)
    return Status(204, None)
