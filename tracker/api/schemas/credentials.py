"""Password reset, change of password or email, and signing out everywhere."""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator

from tracker.api.schemas.common import NO_NUL, In, LoginEmail, Password, _email, _no_nul
from tracker.selectors.accounts import password_rules

NewPassword = Annotated[
    str,
    Field(
        min_length=1,
        max_length=128,
        description=f"{password_rules()} Checked by the server: a sentence per rule not met.",
        json_schema_extra=NO_NUL,
    ),
    AfterValidator(_no_nul),
]
NewEmail = Annotated[
    str,
    Field(max_length=254, json_schema_extra={"format": "email", **NO_NUL}),
    AfterValidator(_no_nul),
    AfterValidator(_email),
]
# a link's parts, as the emailed link carries them
LinkPart = Annotated[
    str,
    Field(min_length=1, max_length=500, pattern=r"^[A-Za-z0-9_\-:.]+$"),
]


class PasswordResetIn(In):
    email: LoginEmail


class PasswordResetConfirmIn(In):
    uid: LinkPart = Field(description="The first part of the link after /password-reset/.")
    token: LinkPart = Field(description="The second part of the link after /password-reset/.")
    new_password: NewPassword


class PasswordChangeIn(In):
    current_password: Password
    new_password: NewPassword


class EmailChangeIn(In):
    password: Password
    new_email: NewEmail


class EmailConfirmIn(In):
    token: LinkPart = Field(description="What follows '#' in the link sent to the new address.")


class AcceptedOut(Schema):
    detail: str
