"""Email through Django's email backend (SMTP in production, console under make run): reminders,
and the account's messages (a password-reset link, a change of email). Each is plain text with
an HTML alternative, from the templates in tracker/templates/tracker/."""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

OFF_SALT = "tracker.reminder-off"


def off_token(reminder_id: int) -> str:
    """A signed token for the "turn this reminder off" link in every reminder email."""
    return signing.dumps(reminder_id, salt=OFF_SALT)


def reminder_from_off_token(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=OFF_SALT, max_age=60 * 60 * 24 * 365))
    except (signing.BadSignature, ValueError, TypeError):
        return None


def send_reminder_email(*, to: str, title: str, body: str, url: str, off_url: str) -> None:
    context = {"title": title, "body": body, "url": url, "off_url": off_url}
    message = EmailMultiAlternatives(
        subject=title,
        body=render_to_string("tracker/reminder_email.txt", context),
        to=[to],
        headers={"List-Unsubscribe": f"<{off_url}>"},
    )
    message.attach_alternative(
        render_to_string("tracker/reminder_email.html", context), "text/html"
    )
    message.send()


def account_message(
    *, to: str, subject: str, template: str, context: dict[str, Any]
) -> EmailMultiAlternatives:
    """An account email, rendered and ready to send (``tracker/<template>.txt`` and ``.html``)."""
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string(f"tracker/{template}.txt", context), to=[to]
    )
    message.attach_alternative(render_to_string(f"tracker/{template}.html", context), "text/html")
    return message
