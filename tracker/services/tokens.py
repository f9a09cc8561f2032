"""Personal API tokens for scripts: created (shown once), used, revoked."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import OperationalError, transaction

from tracker.access import delete_owned
from tracker.busy import database_busy
from tracker.models import (
    ApiToken,
    User,
)
from tracker.tokens import token_digest, token_generate


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token row and the raw token, which is never stored and shown only now."""
    raw = token_generate()
    token = ApiToken.objects.create(user=user, name=name, digest=token_digest(raw), prefix=raw[:12])
    return token, raw


def token_delete(*, user: User, token_id: int) -> None:
    delete_owned(ApiToken.objects, user=user, pk=token_id, what="token")


def token_touch(*, token: ApiToken, now: datetime) -> None:
    """Record use at most once an hour, so authenticating stays a read; and never fail a
    request for it: when the database is busy with another write, the hour's stamp waits for
    the next request."""
    if token.last_used_at is None or now - token.last_used_at > timedelta(hours=1):
        try:
            with transaction.atomic():
                ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        except OperationalError as exc:
            if not database_busy(exc):
                raise
