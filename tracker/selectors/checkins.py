"""Check-ins, newest first, scoped to one user."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    QuerySet,
)

from tracker.access import owned
from tracker.models import (
    CheckIn,
    User,
)


def checkin_list(
    *, user: User, start: date | None = None, end: date | None = None
) -> QuerySet[CheckIn]:
    checkins = CheckIn.objects.filter(user=user)
    if start is not None:
        checkins = checkins.filter(date__gte=start)
    if end is not None:
        checkins = checkins.filter(date__lte=end)
    return checkins.order_by("-date")


def checkin_get(*, user: User, checkin_id: int) -> CheckIn:
    return owned(CheckIn.objects, user=user, pk=checkin_id, what="check-in")
