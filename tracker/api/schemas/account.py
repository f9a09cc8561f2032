"""The whole account: export, import, deletion."""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AwareDatetime

from tracker.api.schemas.checkins import CheckInIn
from tracker.api.schemas.common import In, Password
from tracker.api.schemas.sessions import SessionIn


class AccountDeleteIn(In):
    password: Password


class ImportProfileIn(In):
    """Of the export's profile, what import reads back; its other keys are ignored."""

    clinician_seen_at: AwareDatetime | None = None


class ImportIn(In):
    """A JSON export (``GET export?format=json``); other keys in it are ignored."""

    format: Literal["hip2knee-export"]
    version: Literal[1]
    sessions: Annotated[list[SessionIn], Field(max_length=20_000)] = []
    checkins: Annotated[list[CheckInIn], Field(max_length=20_000)] = []
    profile: ImportProfileIn | None = None


class ImportCountOut(Schema):
    created: int
    existing: int


class ImportOut(Schema):
    sessions: ImportCountOut
    checkins: ImportCountOut
