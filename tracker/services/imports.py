"""A JSON export read back into an account: the same sessions, sets and check-ins."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import transaction

from tracker.access import visible_routine
from tracker.errors import DomainError, InvalidInput, NotFound
from tracker.models import (
    User,
)
from tracker.services.checkins import CHECKIN_FIELDS, checkin_save, clinician_seen_confirm
from tracker.services.sessions import session_log


def account_import(
    *,
    user: User,
    sessions: Sequence[Mapping[str, Any]],
    checkins: Sequence[Mapping[str, Any]],
    clinician_seen_at: datetime | None = None,
) -> dict[str, dict[str, int]]:
    """A JSON export into this account: the same sessions, sets and check-ins, all or nothing,
    and the confirmation that a clinician has seen the knee when it is later than this account's
    own (so the red flags it cleared stay cleared).

    Idempotent by ``client_id``: importing the same file twice changes nothing. A routine id that
    is not this user's (or a starter) is dropped, since ids belong to the exporting account.
    """
    counts = {"sessions": {"created": 0, "existing": 0}, "checkins": {"created": 0, "existing": 0}}
    with transaction.atomic():
        for i, s in enumerate(sessions):
            routine_id = s.get("routine")
            if routine_id is not None and not _usable_routine(user, routine_id):
                routine_id = None
            try:
                _, created = session_log(
                    user=user,
                    client_id=s["client_id"],
                    started_at=s["started_at"],
                    routine_id=routine_id,
                    sets=s.get("sets") or [],
                    pain_during=s.get("pain_during"),
                    pain_next_morning=s.get("pain_next_morning"),
                    notes=s.get("notes") or "",
                )
            except DomainError as exc:
                raise InvalidInput(exc.message, _nested(f"sessions.{i}", exc)) from None
            counts["sessions"]["created" if created else "existing"] += 1
        for i, c in enumerate(checkins):
            answers = {k: c[k] for k in CHECKIN_FIELDS if k in c}
            try:
                _, created = checkin_save(
                    user=user, client_id=c["client_id"], day=c["date"], answers=answers
                )
            except DomainError as exc:
                raise InvalidInput(exc.message, _nested(f"checkins.{i}", exc)) from None
            counts["checkins"]["created" if created else "existing"] += 1
        current = user.profile.clinician_seen_at
        if clinician_seen_at is not None and (current is None or clinician_seen_at > current):
            # the same confirmation always has the same client_id: a second import is a replay
            client_id = uuid.uuid5(uuid.NAMESPACE_URL, f"clinician-seen:{clinician_seen_at}")
            try:
                clinician_seen_confirm(user=user, client_id=client_id, seen_at=clinician_seen_at)
            except DomainError as exc:
                raise InvalidInput(exc.message, _nested("profile", exc)) from None
    return counts


def _nested(prefix: str, exc: DomainError) -> dict[str, str]:
    return {f"{prefix}.{k}": v for k, v in exc.errors.items()} or {prefix: exc.message}


def _usable_routine(user: User, routine_id: int) -> bool:
    try:
        visible_routine(user, routine_id)
    except NotFound:
        return False
    return True
