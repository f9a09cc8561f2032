"""The one place that answers "is this the user's object?": another user's id is a 404.

Every read and write that names an object by id goes through here, so no endpoint can show or
change another user's data by forgetting a filter; the same answer comes for an id that does not
exist at all, so ids reveal nothing about other accounts.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Manager, Model, Q, QuerySet

from tracker.errors import NotFound
from tracker.models import Routine, User

M = TypeVar("M", bound=Model)


def owned(
    objects: QuerySet[M] | Manager[M], *, user: User, pk: int, what: str, field: str | None = None
) -> M:
    """The user's object ``pk`` from ``objects`` (lock it with ``select_for_update()`` first
    where the caller will change it), or ``NotFound("No such <what>.")``, with ``field`` named
    in the errors when the id came inside a body."""
    found = objects.filter(user=user, pk=pk).first()
    if found is None:
        raise NotFound(f"No such {what}.", {field: "not found"} if field else {})
    return found


def visible_routines(user: User) -> QuerySet[Routine]:
    """The routines the user may use: their own and the starters (which everyone sees)."""
    return Routine.objects.filter(Q(user=user) | Q(starter=True))


def visible_routine(user: User, routine_id: int, *, field: str = "routine") -> Routine:
    """A routine the user may use: their own or a starter (which everyone sees)."""
    routine = visible_routines(user).filter(pk=routine_id).first()
    if routine is None:
        raise NotFound("No such routine.", {field: "not found"})
    return routine


def delete_owned(objects: QuerySet[M] | Manager[M], *, user: User, pk: int, what: str) -> None:
    """Delete the user's object ``pk``, or ``NotFound("No such <what>.")``."""
    deleted, _ = objects.filter(user=user, pk=pk).delete()
    if not deleted:
        raise NotFound(f"No such {what}.")
