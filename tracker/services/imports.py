"""A JSON export read back into an account: the same sessions, sets and check-ins.

An import may hold tens of thousands of rows. It is checked whole before anything is written,
then written in chunks that each commit, so no one transaction holds the database for long: on
the embedded database (SQLite, one writer at a time) another user's write waits for one chunk,
not for the whole file. Each session and check-in is written all or nothing and is known by its
``client_id``, so an import cut off half-way (the database busy past its timeout answers 503)
is completed by sending the same file again, without a row twice.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from django.db import IntegrityError, connection, transaction
from django.db.models import Q

from tracker.errors import DomainError, InvalidInput
from tracker.models import (
    CheckIn,
    Routine,
    SessionSet,
    User,
    WorkoutSession,
)
from tracker.selectors.library import exercise_facts
from tracker.services.checkins import CHECKIN_FIELDS, checkin_save, clinician_seen_confirm
from tracker.services.checks import check_local_date, check_not_future
from tracker.services.sessions import build_sets, session_log

# Rows (sessions plus their sets, or check-ins) written in one transaction.
CHUNK_ROWS = 500
# SQLite lets one writer in at a time, and a writer waiting for the lock looks again every
# 100 ms at the longest (its busy handler): after each SQLITE_WRITE_SECONDS of writing the
# import leaves the lock free for SQLITE_PAUSE_SECONDS, so a waiting writer always gets a turn.
SQLITE_WRITE_SECONDS = 0.25
SQLITE_PAUSE_SECONDS = 0.12
MAX_ERRORS = 100  # fields named in one refusal; a file wrong throughout need not list them all

T = TypeVar("T")


@dataclass
class _NewSession:
    index: int
    source: Mapping[str, Any]
    session: WorkoutSession
    sets: list[SessionSet]


@dataclass
class _Plan:
    sessions: list[_NewSession] = field(default_factory=list)
    checkins: list[Mapping[str, Any]] = field(default_factory=list)
    existing_sessions: int = 0
    errors: dict[str, str] = field(default_factory=dict)


def account_import(
    *,
    user: User,
    sessions: Sequence[Mapping[str, Any]],
    checkins: Sequence[Mapping[str, Any]],
    clinician_seen_at: datetime | None = None,
) -> dict[str, dict[str, int]]:
    """A JSON export into this account: the same sessions, sets and check-ins, and the
    confirmation that a clinician has seen the knee when it is later than this account's own (so
    the red flags it cleared stay cleared).

    Everything is checked first; any fault refuses the whole file and nothing is written. Then
    it is written in chunks that each commit (a file of one chunk is one transaction).
    Idempotent by ``client_id``: importing the same file twice changes nothing, and sending it
    again after an interruption adds only what is missing. A routine id that is not this user's
    (or a starter) is dropped, since ids belong to the exporting account.
    """
    plan = _plan(user, sessions, checkins)
    if clinician_seen_at is not None:
        try:
            check_not_future(clinician_seen_at, field="clinician_seen_at")
        except DomainError as exc:
            _refuse(plan, "profile", exc)
    if plan.errors:
        raise InvalidInput("Some of the file is not valid; nothing was imported.", plan.errors)
    counts = {
        "sessions": {"created": 0, "existing": plan.existing_sessions},
        "checkins": {"created": 0, "existing": 0},
    }
    rows = sum(1 + len(new.sets) for new in plan.sessions) + len(plan.checkins)
    # a file that fits one chunk is one transaction: all of it or nothing, whatever fails
    with transaction.atomic() if rows <= CHUNK_ROWS else nullcontext():
        _write(user, plan, counts)
        _clinician_seen(user, clinician_seen_at)
    return counts


def _clinician_seen(user: User, seen_at: datetime | None) -> None:
    """The file's confirmation, after its check-ins, when it is later than the account's own."""
    current = user.profile.clinician_seen_at
    if seen_at is None or (current is not None and seen_at <= current):
        return
    # the same confirmation always has the same client_id: a second import is a replay
    client_id = uuid.uuid5(uuid.NAMESPACE_URL, f"clinician-seen:{seen_at}")
    try:
        with transaction.atomic():
            clinician_seen_confirm(user=user, client_id=client_id, seen_at=seen_at)
    except DomainError as exc:
        # the file names the field clinician_seen_at (as the export writes it)
        message = next(iter(exc.errors.values()), exc.message)
        nested = {"profile.clinician_seen_at": message}
        raise InvalidInput(exc.message, nested) from None


def _write(user: User, plan: _Plan, counts: dict[str, dict[str, int]]) -> None:
    pacer = _Pacer()
    for chunk in _chunks(plan.sessions, lambda new: 1 + len(new.sets)):
        created = _sessions_write(user, chunk)
        counts["sessions"]["created"] += created
        counts["sessions"]["existing"] += len(chunk) - created
        pacer.chunk_written()
    for checkin_chunk in _chunks(plan.checkins, lambda _: 1):
        with transaction.atomic():
            for c in checkin_chunk:
                answers = {k: c[k] for k in CHECKIN_FIELDS if k in c}
                _, was_created = checkin_save(
                    user=user, client_id=c["client_id"], day=c["date"], answers=answers
                )
                counts["checkins"]["created" if was_created else "existing"] += 1
        pacer.chunk_written()


def _plan(
    user: User, sessions: Sequence[Mapping[str, Any]], checkins: Sequence[Mapping[str, Any]]
) -> _Plan:
    """What is new, built and checked as ``session_log`` and ``checkin_save`` check it, with
    every fault found (up to MAX_ERRORS), before anything is written."""
    plan = _Plan()
    known = _client_ids(WorkoutSession, user, [s["client_id"] for s in sessions])
    routines = set(
        Routine.objects.filter(Q(user=user) | Q(starter=True)).values_list("id", flat=True)
    )
    library = exercise_facts()
    for i, s in enumerate(sessions):
        if s["client_id"] in known:  # imported before (or twice in this file): kept as it is
            plan.existing_sessions += 1
            continue
        known.add(s["client_id"])
        routine_id = s.get("routine")
        try:
            check_not_future(s["started_at"], field="started_at")
            session = WorkoutSession(
                user=user,
                client_id=s["client_id"],
                started_at=s["started_at"].astimezone(UTC),
                routine_id=routine_id if routine_id in routines else None,
                pain_during=s.get("pain_during"),
                pain_next_morning=s.get("pain_next_morning"),
                notes=s.get("notes") or "",
            )
            built = build_sets(list(s.get("sets") or []), session=session, library=library)
        except DomainError as exc:
            _refuse(plan, f"sessions.{i}", exc)
            continue
        plan.sessions.append(_NewSession(i, s, session, built))
    answered = _client_ids(CheckIn, user, [c["client_id"] for c in checkins])
    for i, c in enumerate(checkins):
        if c["client_id"] not in answered:
            try:
                check_local_date(user.profile.timezone, c["date"])
            except DomainError as exc:
                _refuse(plan, f"checkins.{i}", exc)
                continue
        plan.checkins.append(c)
    return plan


def _refuse(plan: _Plan, prefix: str, exc: DomainError) -> None:
    """Records the item's faults, each under its path in the file (``sessions.3.sets.0.reps``)."""
    nested = {f"{prefix}.{k}": v for k, v in exc.errors.items()} or {prefix: exc.message}
    for key, message in nested.items():
        if len(plan.errors) < MAX_ERRORS:
            plan.errors.setdefault(key, message)


def _client_ids(
    model: type[WorkoutSession] | type[CheckIn], user: User, client_ids: list[uuid.UUID]
) -> set[uuid.UUID]:
    """Those of ``client_ids`` the user already has, a bounded number per query."""
    found: set[uuid.UUID] = set()
    for chunk in _chunks(client_ids, lambda _: 1):
        rows = model.objects.filter(user=user, client_id__in=chunk).values_list(
            "client_id", flat=True
        )
        found.update(rows)
    return found


def _sessions_write(user: User, chunk: list[_NewSession]) -> int:
    """One chunk of new sessions and their sets, in one transaction; how many were created.

    A session that another request stored meanwhile under the same ``client_id`` (the PWA's
    outbox sending it while the file is imported) makes the chunk's insert fail: the chunk is
    then written one session at a time, and that one counts as existing."""
    try:
        with transaction.atomic():
            WorkoutSession.objects.bulk_create([new.session for new in chunk])
            SessionSet.objects.bulk_create([s for new in chunk for s in new.sets])
        return len(chunk)
    except IntegrityError:
        pass
    created = 0
    with transaction.atomic():
        for new in chunk:
            s = new.source
            _, was_created = session_log(
                user=user,
                client_id=s["client_id"],
                started_at=s["started_at"],
                routine_id=new.session.routine_id,
                sets=s.get("sets") or [],
                pain_during=s.get("pain_during"),
                pain_next_morning=s.get("pain_next_morning"),
                notes=s.get("notes") or "",
            )
            created += was_created
    return created


def _chunks(items: Sequence[T], rows: Callable[[T], int]) -> Iterator[list[T]]:
    """``items`` in runs of about CHUNK_ROWS rows, ``rows(item)`` counting an item's rows."""
    chunk: list[T] = []
    size = 0
    for item in items:
        chunk.append(item)
        size += rows(item)
        if size >= CHUNK_ROWS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


class _Pacer:
    """On SQLite, leaves the write lock free between chunks now and then (SQLITE_PAUSE_SECONDS)."""

    def __init__(self) -> None:
        self.since = time.monotonic()

    def chunk_written(self) -> None:
        if connection.vendor != "sqlite":
            return
        if time.monotonic() - self.since >= SQLITE_WRITE_SECONDS:
            time.sleep(SQLITE_PAUSE_SECONDS)
            self.since = time.monotonic()
