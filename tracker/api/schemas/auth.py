"""Sign-up, sign-in, who is signed in, and personal API tokens."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator

from tracker.api.schemas.common import (
    NO_NUL,
    In,
    LoginEmail,
    Name,
    Password,
    TimeZoneName,
    _email,
    _no_nul,
)


class SignupIn(In):
    email: Annotated[
        str,
        Field(max_length=254, json_schema_extra={"format": "email", **NO_NUL}),
        AfterValidator(_no_nul),
        AfterValidator(_email),
    ]
    password: Annotated[
        str,
        Field(
            min_length=8,
            max_length=128,
            description="At least 8 characters, not all digits, not a common password.",
            json_schema_extra=NO_NUL,
        ),
        AfterValidator(_no_nul),
    ]
    timezone: TimeZoneName = "UTC"


class LoginIn(In):
    email: LoginEmail
    password: Password


class UserOut(Schema):
    id: int
    email: str


class MeOut(Schema):
    id: int
    email: str
    timezone: str
    weekly_target: int
    units: str


class CsrfOut(Schema):
    csrftoken: str


class TokenIn(In):
    name: Name


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None


class TokenCreatedOut(TokenOut):
    token: str = Field(description="Shown only in this answer; store it now.")
