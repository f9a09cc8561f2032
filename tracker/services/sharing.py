"""Private links: the physiotherapist report's share links and the calendar feed's token.

Each token is shown once and only its digest is kept."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.utils import timezone

from tracker.access import owned
from tracker.models import (
    Profile,
    ReportShare,
    User,
)
from tracker.tokens import token_digest


def calendar_token_create(*, user: User) -> str:
    """A new private feed URL token; any earlier one stops working."""
    raw = secrets.token_urlsafe(24)
    Profile.objects.filter(user=user).update(calendar_token_digest=token_digest(raw))
    return raw


def calendar_token_revoke(*, user: User) -> None:
    Profile.objects.filter(user=user).update(calendar_token_digest=None)


REPORT_SHARE_DAYS = 30


def report_share_create(
    *, user: User, weeks: int, days: int = REPORT_SHARE_DAYS
) -> tuple[ReportShare, str]:
    """A read-only link to the report of the last ``weeks`` weeks (what the owner chose: the
    link never shows more); the token is returned once and only its digest kept."""
    raw = secrets.token_urlsafe(24)
    share = ReportShare.objects.create(
        user=user,
        digest=token_digest(raw),
        weeks=weeks,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return share, raw


def report_share_revoke(*, user: User, share_id: int) -> None:
    share = owned(ReportShare.objects, user=user, pk=share_id, what="share link")
    ReportShare.objects.filter(pk=share.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
