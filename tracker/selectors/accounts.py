"""The account's reads: who a bearer token belongs to, the tokens, the profile."""

from __future__ import annotations

from django.db.models import (
    QuerySet,
)

from tracker.models import (
    ApiToken,
    Profile,
    User,
)
from tracker.tokens import token_digest


def token_user(raw: str) -> tuple[ApiToken, User] | None:
    """The token row and its user (with the profile and data versions) for a raw bearer token,
    or None; one query."""
    token = (
        ApiToken.objects.select_related("user__profile", "user__data_version")
        .filter(digest=token_digest(raw), user__is_active=True)
        .first()
    )
    return (token, token.user) if token else None


def token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def profile_get(*, user: User) -> Profile:
    return Profile.objects.get(user=user)
