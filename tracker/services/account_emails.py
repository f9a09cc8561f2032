"""The account's emails, as a Celery worker sends them (``tracker/tasks.py``): a password-reset
link, and the two mails of a change of email.

A request only hands the address over: it looks no one up and never waits on the mail server, so
a reset request is answered the same, in the same time, whether or not the address has an
account. Who gets a mail is decided here, on the worker, from the rows as they are when it runs.
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tracker import mail
from tracker.models import User
from tracker.pages import page_link

EMAIL_CHANGE_SALT = "tracker.email-change"
logger = logging.getLogger(__name__)


def password_reset_email_send(*, email: str) -> None:
    """Emails a link to the page that sets a new password when ``email`` is an active account's
    with a password (Django's token generator: it works once, within ``PASSWORD_RESET_TIMEOUT``);
    any other address gets nothing."""
    address = email.strip().lower()
    user = User.objects.filter(email__iexact=address, is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    link = page_link(
        "password_reset_confirm",
        uidb64=urlsafe_base64_encode(force_bytes(user.pk)),
        token=default_token_generator.make_token(user),
    )
    _send(
        mail.account_message(
            to=user.email,
            subject="Reset your Hip2Knee password",
            template="password_reset_email",
            context={
                "email": user.email,
                "link": link,
                "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
            },
        )
    )


def _email_change_context(*, user_id: int, old_email: str, new_email: str) -> dict[str, object]:
    # signed, and naming the address it changes from: spent once the address has changed
    asked = {"user": user_id, "from": old_email, "to": new_email}
    token = signing.dumps(asked, salt=EMAIL_CHANGE_SALT)
    return {
        "old_email": old_email,
        "new_email": new_email,
        "link": page_link("email_confirm", fragment=token),
        "hours": settings.EMAIL_CHANGE_TIMEOUT // 3600,
        "account_link": page_link("account"),
    }


def email_change_link_send(*, user_id: int, old_email: str, new_email: str) -> bool:
    """Sends the link that makes the change to ``new_email``; whether it was sent. Nothing is
    sent when the account no longer has ``old_email`` (its link would already be spent), or when
    the mail server refuses the address for good (a retry would not help)."""
    if not User.objects.filter(pk=user_id, email=old_email).exists():
        return False
    context = _email_change_context(user_id=user_id, old_email=old_email, new_email=new_email)
    return _send(
        mail.account_message(
            to=new_email,
            subject="Confirm your new email for Hip2Knee",
            template="email_change_link",
            context=context,
        )
    )


def email_change_notice_send(*, user_id: int, old_email: str, new_email: str) -> bool:
    """Tells ``old_email`` that a change to ``new_email`` was asked for (sent after the link, by
    a task of its own, so a failure here never sends the link twice)."""
    context = _email_change_context(user_id=user_id, old_email=old_email, new_email=new_email)
    return _send(
        mail.account_message(
            to=old_email,
            subject="A change of your Hip2Knee email was asked for",
            template="email_change_notice",
            context=context,
        )
    )


def _send(message: EmailMultiAlternatives) -> bool:
    """Sends ``message``; False when the mail server refused it for good (a 5xx answer, or every
    recipient refused), which is logged and not tried again. A refusal for now (4xx, or no
    connection) raises, for the task to try again later."""
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused:
        logger.warning("account email refused for good: every recipient refused")
        return False
    except smtplib.SMTPResponseException as exc:
        if exc.smtp_code < 500:
            raise
        logger.warning("account email refused for good: %s", exc.smtp_code)
        return False
    return True
