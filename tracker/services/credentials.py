"""The credentials of an account: resetting a forgotten password by email, changing the password
or the email address, and ending sign-ins (every browser session of a person at once).

A password set here ends the person's other browser sessions and nothing else: personal API
tokens (scripts) stay until removed. Reset links use Django's token generator (one hour, spent by
use); change-of-email links are signed and expire (``EMAIL_CHANGE_TIMEOUT``), and are spent once
the address has changed. Their emails are sent by a Celery worker (``account_emails``), never in
the request.
"""

from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tracker import tasks
from tracker.errors import Conflict, Forbidden, InvalidInput
from tracker.models import BrowserSession, User
from tracker.selectors import accounts as selectors
from tracker.services.account_emails import EMAIL_CHANGE_SALT

LINK_SPENT = "This link has expired or has already been used. Ask for a new one."


def password_validate(*, password: str, user: User, field: str) -> None:
    """Django's password validators (``AUTH_PASSWORD_VALIDATORS``): a sentence per failed rule."""
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        raise InvalidInput("Choose a stronger password.", {field: " ".join(exc.messages)}) from None


def browser_sessions_end(*, user: User, keep: str | None = None) -> int:
    """Ends every browser session of ``user`` but the one keyed ``keep``; how many ended."""
    ended, _ = BrowserSession.objects.filter(user=user).exclude(session_key=keep or "").delete()
    return ended


def password_reset_request(*, email: str) -> None:
    """Hands the reset email to a worker, whoever the address belongs to. The request looks no
    one up and never waits on the mail server: one enqueue, the same for an account's address and
    any other, so neither the answer nor its time tells whether the address has an account. The
    worker sends the link only to an account's address (``account_emails``)."""
    tasks.send_password_reset_email.delay(email.strip().lower())


def password_reset_confirm(
    *, uidb64: str, token: str, new_password: str, keep_session: str | None = None
) -> User:
    """Sets the password a reset link was sent for, ends the person's other sessions and lifts
    a sign-in lockout of their email (they have shown they read its inbox). The link is checked
    again on the locked row, so two uses at the same moment cannot both pass."""
    found = selectors.password_reset_user(uidb64=uidb64, token=token)
    if found is None:
        raise InvalidInput(LINK_SPENT, {"token": "expired or already used"})
    password_validate(password=new_password, user=found, field="new_password")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=found.pk)
        if not default_token_generator.check_token(user, token):
            raise InvalidInput(LINK_SPENT, {"token": "expired or already used"})
        user.set_password(new_password)
        user.save(update_fields=["password"])
        browser_sessions_end(user=user, keep=keep_session)
        AccessAttempt.objects.filter(username__iexact=user.email).delete()
    return user


def password_change(
    *, user: User, current_password: str, new_password: str, keep_session: str | None
) -> None:
    """A new password, given the current one; every other browser session ends."""
    if not user.check_password(current_password):
        raise Forbidden("That password is not right.", {"current_password": "does not match"})
    password_validate(password=new_password, user=user, field="new_password")
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        browser_sessions_end(user=user, keep=keep_session)


def _taken(email: str, *, by_other_than: User) -> bool:
    return User.objects.filter(email__iexact=email).exclude(pk=by_other_than.pk).exists()


def email_change_request(*, user: User, password: str, new_email: str) -> None:
    """Has a worker send a link to the new address (the change happens when it is opened) and
    tell the current address that a change was asked for; the request does not wait on the mail
    server."""
    if not user.check_password(password):
        raise Forbidden("That password is not right.", {"password": "does not match"})
    new = new_email.strip().lower()
    if new == user.email:
        raise InvalidInput("That is already your email.", {"new_email": "same as now"})
    if _taken(new, by_other_than=user):
        raise Conflict("That email already has an account.", {"new_email": "already registered"})
    tasks.send_email_change_emails.delay(user.pk, user.email, new)


def email_change_confirm(*, token: str) -> User:
    """Makes the change a link sent to the new address asked for. The link is spent once the
    address has changed (it names the address it changes from)."""
    try:
        asked = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=settings.EMAIL_CHANGE_TIMEOUT)
        user_id, old, new = int(asked["user"]), str(asked["from"]), str(asked["to"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InvalidInput(LINK_SPENT, {"token": "expired or already used"}) from None
    try:
        with transaction.atomic():
            user = User.objects.select_for_update().filter(pk=user_id, email=old).first()
            if user is None:
                raise InvalidInput(LINK_SPENT, {"token": "expired or already used"})
            if _taken(new, by_other_than=user):
                raise Conflict(
                    "That email already has another account.", {"new_email": "already registered"}
                )
            user.email = new
            user.save(update_fields=["email"])
    except IntegrityError:
        raise Conflict(
            "That email already has another account.", {"new_email": "already registered"}
        ) from None
    return user
