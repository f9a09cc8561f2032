"""Sessions and their sets: logged (idempotent on ``client_id``), changed, deleted.

Writes from the PWA carry a client-generated ``client_id``; sending one again returns what the
first request created and creates nothing, even when both arrive at the same moment (the unique
constraint decides, and the loser reads the winner's row).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from tracker.access import delete_owned, owned, visible_routine
from tracker.errors import DomainError, InvalidInput
from tracker.models import (
    SessionSet,
    User,
    WorkoutSession,
)
from tracker.rules import vocabulary as vocab
from tracker.selectors.library import ExerciseFacts, exercise_facts
from tracker.selectors.sets import set_dict, set_row
from tracker.services.checks import check_not_future
from tracker.services.children import children_replace


def build_sets(
    sets: list[Mapping[str, Any]],
    *,
    session: WorkoutSession,
    library: Mapping[str, ExerciseFacts] | None = None,
) -> list[SessionSet]:
    """The session's sets, each checked against the library before anything is written (also
    by an import, which checks a whole file first and reads the library once for it)."""
    library = exercise_facts() if library is None else library
    errors: dict[str, str] = {}
    built: list[SessionSet] = []
    for i, s in enumerate(sets):
        exercise = library.get(s["exercise"])
        if exercise is None:
            errors[f"sets.{i}.exercise"] = f"unknown exercise '{s['exercise']}'"
            continue
        if exercise.unit == "seconds" and s.get("seconds") is None:
            errors[f"sets.{i}.seconds"] = f"{exercise.name} is timed: give seconds"
        elif exercise.unit != "seconds" and s.get("reps") is None:
            errors[f"sets.{i}.reps"] = f"{exercise.name} is counted in {exercise.unit}: give reps"
        band = s.get("band")
        load = s.get("load_kg")
        built.append(
            SessionSet(
                session=session,
                position=i,
                exercise_id=exercise.slug,
                side=s.get("side") or "both",
                reps=s.get("reps"),
                seconds=s.get("seconds"),
                load_kg=None if load is None else Decimal(str(load)).quantize(Decimal("0.01")),
                band=None if band is None else vocab.band_level(band),
                felt_in_knee=bool(s.get("felt_in_knee")),
            )
        )
    if errors:
        raise InvalidInput("Some sets are not valid.", errors)
    return built


def session_log(
    *,
    user: User,
    client_id: uuid.UUID,
    started_at: datetime,
    routine_id: int | None = None,
    sets: Sequence[Mapping[str, Any]] = (),
    pain_during: int | None = None,
    pain_next_morning: int | None = None,
    notes: str = "",
) -> tuple[WorkoutSession, bool]:
    """Store a session and its sets, all or nothing. Returns ``(session, created)``.

    The insert comes first and the unique ``(user, client_id)`` constraint detects a repeat, so
    the common case costs no extra read. A repeat returns the first session unchanged, even when
    its body would no longer pass (say the routine it named was deleted since).
    """
    try:
        check_not_future(started_at, field="started_at")
        session = WorkoutSession(
            user=user,
            client_id=client_id,
            started_at=started_at.astimezone(UTC),
            routine=visible_routine(user, routine_id) if routine_id is not None else None,
            pain_during=pain_during,
            pain_next_morning=pain_next_morning,
            notes=notes or "",
        )
        built = build_sets(list(sets), session=session)
    except DomainError:
        earlier = _session_by_client_id(user, client_id)
        if earlier is None:
            raise
        return earlier, False
    try:
        with transaction.atomic():
            session.save(force_insert=True)
            SessionSet.objects.bulk_create(built)
    except IntegrityError:
        # Sent before, or by a twin request a moment ago: answer with what that one stored.
        earlier = _session_by_client_id(user, client_id)
        if earlier is None:
            raise
        return earlier, False
    session.set_dicts = [set_dict(set_row(s)) for s in built]  # type: ignore[attr-defined]
    return session, True


def _session_by_client_id(user: User, client_id: uuid.UUID) -> WorkoutSession | None:
    return WorkoutSession.objects.filter(user=user, client_id=client_id).order_by().first()


def session_update(*, user: User, session_id: int, changes: Mapping[str, Any]) -> WorkoutSession:
    """Change what was sent; ``sets``, when sent, replaces all the session's sets."""
    with transaction.atomic():
        session = owned(
            WorkoutSession.objects.select_for_update(), user=user, pk=session_id, what="session"
        )
        if changes.get("started_at") is not None:
            check_not_future(changes["started_at"], field="started_at")
            session.started_at = changes["started_at"].astimezone(UTC)
        if "routine" in changes:
            rid = changes["routine"]
            session.routine = visible_routine(user, rid) if rid is not None else None
        for field in ("pain_during", "pain_next_morning"):
            if field in changes:
                setattr(session, field, changes[field])
        if "notes" in changes:
            session.notes = changes["notes"] or ""
        session.save()
        if changes.get("sets") is not None:
            children_replace(session.sets, build_sets(list(changes["sets"]), session=session))
    return session


def session_delete(*, user: User, session_id: int) -> None:
    delete_owned(WorkoutSession.objects, user=user, pk=session_id, what="session")
