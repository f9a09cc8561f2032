"""The profile: time zone, weekly target, units."""

from __future__ import annotations

from ninja import Schema

from tracker.api.schemas.common import In, TimeZoneName, Units, WeeklyTarget


class ProfileOut(Schema):
    timezone: str
    weekly_target: int
    units: str


class ProfilePatch(In):
    timezone: TimeZoneName | None = None
    weekly_target: WeeklyTarget | None = None
    units: Units | None = None
