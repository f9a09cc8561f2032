"""The credentials of an account: resetting a forgotten password by email, changing the password
or the email address, and ending sign-ins (every browser session of a person at once).

A password set here ends the person's other browser sessions and nothing else: personal API
tokens (scripts) stay until removed. Reset links use Django's token generator (one hour, spent by
use); change-of-email links are signed and expire (``EMAIL_CHANGE_TIMEOUT``), and are spent once
the address has changed.
"""

from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tracker import mail
from tracker.errors import Conflict, Forbidden, InvalidInput
from tracker.models import BrowserSession, User
from tracker.pages import page_link
from tracker.selectors import accounts as selectors

EMAIL_CHANGE_SALT = "tracker.email-change"
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
    """Emails a reset link when ``email`` is an account's; otherwise does the same work (finds no
    one, makes a link, renders the email) and sends nothing, so the answer and its time are the
    same either way and the address's owner is not revealed."""
    address = email.strip().lower()
    user = User.objects.filter(email__iexact=address, is_active=True).first()
    known = user is not None and user.has_usable_password()
    stand_in = User(pk=0, email=address)
    stand_in.set_unusable_password()  # no hashing: a stand-in costs what a known user does
    target = user if user is not None and known else stand_in
    link = page_link(
        "password_reset_confirm",
        uidb64=urlsafe_base64_encode(force_bytes(target.pk)),
        token=default_token_generator.make_token(target),
    )
    message = mail.account_message(
        to=address,
        subject="Reset your Hip2Knee password",
        template="password_reset_email",
        context={"email": address, "link": link, "hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
    )
    if known:
        message.send()


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
    """Sends a link to the new address (the change happens when it is opened) and tells the
    current address that a change was asked for."""
    if not user.check_password(password):
        raise Forbidden("That password is not right.", {"password": "does not match"})
    new = new_email.strip().lower()
    if new == user.email:
        raise InvalidInput("That is already your email.", {"new_email": "same as now"})
    if _taken(new, by_other_than=user):
        raise Conflict("That email already has an account.", {"new_email": "already registered"})
    token = signing.dumps({"user": user.pk, "from": user.email, "to": new}, salt=EMAIL_CHANGE_SALT)
    context = {
        "old_email": user.email,
        "new_email": new,
        "link": page_link("email_confirm", fragment=token),
        "hours": settings.EMAIL_CHANGE_TIMEOUT // 3600,
        "account_link": page_link("account"),
    }
    subject = "Confirm your new email for Hip2Knee"
    mail.account_message(
        to=new, subject=subject, template="email_change_link", context=context
    ).send()
    mail.account_message(
        to=user.email,
        subject="A change of your Hip2Knee email was asked for",
        template="email_change_notice",
        context=context,
    ).send()


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
