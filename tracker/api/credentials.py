"""A forgotten password reset by email, a change of password or email, and signing out
everywhere (under /auth, beside sign-in)."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY, logout, update_session_auth_hash
from django.http import HttpRequest
from ninja import Router, Status

from tracker.api import throttles
from tracker.api.schemas.auth import UserOut
from tracker.api.schemas.common import ErrorOut
from tracker.api.schemas.credentials import (
    AcceptedOut,
    EmailChangeIn,
    EmailConfirmIn,
    PasswordChangeIn,
    PasswordResetConfirmIn,
    PasswordResetIn,
)
from tracker.api.security import AUTH, AuthedRequest, require_csrf
from tracker.models import User
from tracker.services import credentials

router = Router(tags=["auth"])

RESET_SENT = (
    "If that email has an account, a link to choose a new password is on its way. "
    "It works once, within an hour."
)


def _own_session(request: HttpRequest, user: User) -> str | None:
    """The key of this request's browser session when it is ``user``'s (a cookie sign-in), so
    ending "every other session" keeps it; None for a token."""
    if str(request.session.get(SESSION_KEY)) == str(user.pk):
        return request.session.session_key
    return None


@router.post(
    "/password-reset",
    response={202: AcceptedOut, 422: ErrorOut, 429: ErrorOut},
    auth=None,
    throttle=[throttles.RESET, throttles.RESET_EMAIL],
    summary="Email a password-reset link",
)
def password_reset(request: HttpRequest, payload: PasswordResetIn) -> Status[dict[str, str]]:
    """Emails a link to the page ``/password-reset/<uid>/<token>`` when the address has an
    account. The answer is the same, in about the same time, for any address. Throttled per
    client address and per email address."""
    require_csrf(request)
    credentials.password_reset_request(email=payload.email)
    return Status(202, {"detail": RESET_SENT})


@router.post(
    "/password-reset/confirm",
    response={204: None, 422: ErrorOut},
    auth=None,
    summary="Set a new password from a reset link",
)
def password_reset_confirm(request: HttpRequest, payload: PasswordResetConfirmIn) -> Status[None]:
    """Sets the new password and ends the person's other browser sessions; API tokens stay. The
    link works once, within ``PASSWORD_RESET_TIMEOUT`` (an hour): a used or expired one answers
    422 with ``errors.token``; a password the rules refuse, 422 with ``errors.new_password``."""
    require_csrf(request)
    credentials.password_reset_confirm(
        uidb64=payload.uid,
        token=payload.token,
        new_password=payload.new_password,
        keep_session=request.session.session_key,
    )
    return Status(204, None)


@router.post(
    "/password",
    response={204: None, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    auth=AUTH,
    throttle=[throttles.PASSWORD],
    summary="Change the password",
)
def password_change(request: AuthedRequest, payload: PasswordChangeIn) -> Status[None]:
    """Needs the current password (403 when wrong). Ends every other browser session of the
    user and keeps this one; API tokens stay."""
    user = request.auth
    credentials.password_change(
        user=user,
        current_password=payload.current_password,
        new_password=payload.new_password,
        keep_session=_own_session(request, user),
    )
    if _own_session(request, user):
        update_session_auth_hash(request, user)  # this session stays signed in
    return Status(204, None)


@router.post(
    "/email",
    response={202: AcceptedOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    auth=AUTH,
    throttle=[throttles.PASSWORD],
    summary="Change the email address (after its confirmation)",
)
def email_change(request: AuthedRequest, payload: EmailChangeIn) -> Status[dict[str, str]]:
    """Needs the password (403 when wrong). Sends a link to the new address, valid for a day;
    the address changes only when it is opened (``auth/email/confirm``). The current address is
    told that a change was asked for."""
    credentials.email_change_request(
        user=request.auth, password=payload.password, new_email=payload.new_email
    )
    detail = f"We sent a link to {payload.new_email.strip().lower()}. Open it to make the change."
    return Status(202, {"detail": detail})


@router.post(
    "/email/confirm",
    response={200: UserOut, 409: ErrorOut, 422: ErrorOut},
    auth=None,
    summary="Confirm a new email address from its link",
)
def email_confirm(request: HttpRequest, payload: EmailConfirmIn) -> User:
    """The token from the link sent to the new address (the page ``/account/email#<token>``
    sends it). A used or expired link answers 422 with ``errors.token``."""
    require_csrf(request)
    return credentials.email_change_confirm(token=payload.token)


@router.post("/logout-all", response={204: None}, auth=AUTH, summary="Sign out everywhere")
def logout_all(request: AuthedRequest) -> Status[None]:
    """Ends every browser session of the user, this one included; API tokens stay (remove them
    with ``DELETE auth/tokens/{id}``)."""
    credentials.browser_sessions_end(user=request.auth)
    if _own_session(request, request.auth):
        logout(request)
    return Status(204, None)
