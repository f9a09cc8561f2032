"""Knee check-ins: one per local date, idempotent on ``client_id``."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from tracker.access import delete_owned, owned
from tracker.errors import Conflict
from tracker.models import (
    CheckIn,
    Profile,
    User,
)
from tracker.rules.weeks import local_date
from tracker.services.checks import check_local_date, check_not_future

CHECKIN_FIELDS = ("pain", "stairs", "sitting", "squatting", "walking", "rest_day", "red_flags")


def checkin_save(
    *, user: User, client_id: uuid.UUID, day: date, answers: Mapping[str, Any]
) -> tuple[CheckIn, bool]:
    """One check-in per local date: a new one for a date already answered updates that one.

    Only the answers sent are changed, so a later, partial check-in never erases earlier ones,
    and red flags add up: a second check-in of the day without the red flag of the first keeps
    it (only an edit of that check-in, ``checkin_update``, takes one away). A check-in that
    reports a red flag, even one reported earlier that day, is a new report: it stands against
    a confirmation given before it. Returns ``(checkin, created)``.
    """
    for _attempt in range(2):
        try:
            with transaction.atomic():
                # one locked read finds both a replay (this client_id) and this date's check-in
                found = list(
                    CheckIn.objects.select_for_update()
                    .filter(user=user)
                    .filter(Q(client_id=client_id) | Q(date=day))
                )
                replay = next((c for c in found if c.client_id == client_id), None)
                if replay is not None:
                    return replay, False
                check_local_date(user.profile.timezone, day)
                if not found:
                    checkin = CheckIn(user=user, client_id=client_id, date=day)
                    _apply(checkin, answers)
                    if checkin.red_flags:
                        checkin.red_flags_at = timezone.now()
                    checkin.save(force_insert=True)
                    return checkin, True
                checkin = found[0]
                kept = list(checkin.red_flags)
                _apply(checkin, answers)
                checkin.red_flags = sorted({*kept, *checkin.red_flags})
                if answers.get("red_flags"):
                    checkin.red_flags_at = timezone.now()
                checkin.save()
                return checkin, False
        except IntegrityError:
            # Another request created this date or this client_id just now; read it and go on.
            replay = CheckIn.objects.filter(user=user, client_id=client_id).first()
            if replay is not None:
                return replay, False
    raise Conflict("This check-in is being saved by another request; try again.")


def _apply(checkin: CheckIn, answers: Mapping[str, Any]) -> None:
    for field in CHECKIN_FIELDS:
        if field in answers and not (field in ("pain", "rest_day") and answers[field] is None):
            value = answers[field]
            if field == "red_flags":
                value = sorted(set(value or []))
            setattr(checkin, field, value)


def _note_new_red_flags(checkin: CheckIn, before: list[str]) -> None:
    """An edit that adds a red flag stamps the moment (``rules.safety``: a confirmation that a
    clinician has seen the knee clears those added before it); one that keeps or removes them
    does not."""
    if set(checkin.red_flags) - set(before):
        checkin.red_flags_at = timezone.now()


def checkin_update(*, user: User, checkin_id: int, changes: Mapping[str, Any]) -> CheckIn:
    with transaction.atomic():
        checkin = owned(
            CheckIn.objects.select_for_update(), user=user, pk=checkin_id, what="check-in"
        )
        if changes.get("date") is not None and changes["date"] != checkin.date:
            check_local_date(user.profile.timezone, changes["date"])
            checkin.date = changes["date"]
        before = list(checkin.red_flags)
        _apply(checkin, changes)
        _note_new_red_flags(checkin, before)
        try:
            with transaction.atomic():
                checkin.save()
        except IntegrityError:  # one check-in per date: that date is taken
            raise Conflict(
                "There is already a check-in for that date.", {"date": "already checked in"}
            ) from None
    return checkin


def checkin_delete(*, user: User, checkin_id: int) -> None:
    delete_owned(CheckIn.objects, user=user, pk=checkin_id, what="check-in")


def clinician_seen_confirm(
    *, user: User, client_id: uuid.UUID, seen_at: datetime | None = None
) -> tuple[Profile, bool]:
    """The person confirms "A clinician has seen my knee and I may exercise": the red flags
    reported before that moment are cleared (``rules.safety.red_flag``). ``seen_at``: when they
    confirmed it (on a phone that was offline, earlier than now; never later than now). Sending
    the same ``client_id`` again changes nothing, so a replay never clears a red flag reported
    since. Returns ``(profile, recorded)``.
    """
    now = timezone.now()
    if seen_at is not None:
        check_not_future(seen_at, field="seen_at")
    moment = now if seen_at is None else min(seen_at, now)
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(user=user)
        if profile.clinician_seen_client_id == client_id:
            return profile, False
        profile.clinician_seen_at = moment
        profile.clinician_seen_on = local_date(moment, profile.timezone)
        profile.clinician_seen_client_id = client_id
        profile.save(
            update_fields=["clinician_seen_at", "clinician_seen_on", "clinician_seen_client_id"]
        )
    user.profile = profile  # the caller's user reads the new state (the progress answer's key)
    return profile, True
