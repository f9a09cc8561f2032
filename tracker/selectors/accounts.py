"""The account's reads: who a bearer token belongs to, the tokens, the profile, whose a
password-reset link is, and the password rules in words."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.db.models import (
    QuerySet,
)
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

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


def password_reset_user(*, uidb64: str, token: str) -> User | None:
    """The user a password-reset link is for, while the link still works: within
    ``PASSWORD_RESET_TIMEOUT`` and before it is used (the token covers the password's hash and
    the last sign-in, so setting a password or signing in spends it); else None."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


# What each of Django's password validators asks, in a few words (any other: its own help text).
_RULE_WORDS = {
    "UserAttributeSimilarityValidator": "not too like your email",
    "CommonPasswordValidator": "not a common password",
    "NumericPasswordValidator": "not all digits",
}


def password_rules() -> str:
    """The configured password validators as one sentence, for the forms that set a password:
    "At least 8 characters, not too like your email, not a common password, not all digits." """
    words = []
    for validator in password_validation.get_default_password_validators():
        kind = type(validator).__name__
        if isinstance(validator, password_validation.MinimumLengthValidator):
            words.append(f"at least {validator.min_length} characters")
        elif kind in _RULE_WORDS:
            words.append(_RULE_WORDS[kind])
        else:
            words.append(validator.get_help_text().rstrip(".").lower())
    # the length first: it is the rule people meet first
    words.sort(key=lambda w: not w.startswith("at least"))
    return (", ".join(words) + ".").capitalize() if words else ""
