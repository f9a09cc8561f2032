"""A session's sets, read with the session in the same query as one JSON array, then named.

A page of 20 sessions holds hundreds of sets: read with the page instead of after it, and kept
as plain rows, which cost a twentieth of model instances.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypedDict, TypeVar, cast

from django.db.models import Aggregate, JSONField, OuterRef, Subquery
from django.db.models.functions import JSONArray

from tracker.models import SessionSet, WorkoutSession
from tracker.rules import vocabulary as vocab


class SetRow(TypedDict):
    """One set as stored: the band as its level (1 = lightest), the load as a number."""

    position: int
    exercise: str
    side: str
    reps: int | None
    seconds: int | None
    load_kg: Decimal | float | None
    band: int | None
    felt_in_knee: bool | int  # SQLite's JSON gives 0 or 1


class JSONArrayAgg(Aggregate):
    """The group's values as one JSON array: ``jsonb_agg`` on PostgreSQL, ``json_group_array``
    on SQLite (Django 5.2 has no portable one)."""

    function = "JSONB_AGG"  # jsonb: Django reads it back as a JSONField, not psycopg
    output_field = JSONField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra)


# Each field of ``SetRow`` and the column it is read from, in the order the database sends them.
SET_COLUMNS = {
    "position": "position",
    "exercise": "exercise_id",
    "side": "side",
    "reps": "reps",
    "seconds": "seconds",
    "load_kg": "load_kg",
    "band": "band",
    "felt_in_knee": "felt_in_knee",
}


def _set_rows() -> Subquery:
    """A session's sets as one JSON array of arrays, in ``SET_COLUMNS``' order (null for none):
    arrays, not objects, since the keys would be most of the bytes; ``in_order`` names them."""
    return Subquery(
        SessionSet.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(rows=JSONArrayAgg(JSONArray(*SET_COLUMNS.values())))
        .values("rows"),
        output_field=JSONField(),
    )


SET_ROWS = _set_rows()  # built once: each query that uses it resolves its own copy


def in_order(set_rows: list[list[Any]] | None) -> list[SetRow]:
    """``SET_ROWS``' array as named rows, in the sets' order (an aggregate keeps none)."""
    rows = [cast(SetRow, dict(zip(SET_COLUMNS, values, strict=True))) for values in set_rows or ()]
    rows.sort(key=lambda row: row["position"])
    return rows


def set_dict(row: SetRow) -> dict[str, Any]:
    """A set as the API and the export give it: the band by name, the load as a float."""
    load_kg, band = row["load_kg"], row["band"]
    return {
        "exercise": row["exercise"],
        "side": row["side"],
        "reps": row["reps"],
        "seconds": row["seconds"],
        "load_kg": None if load_kg is None else float(load_kg),
        "band": None if band is None else vocab.band_name(band),
        "felt_in_knee": bool(row["felt_in_knee"]),
    }


def set_row(s: SessionSet) -> SetRow:
    """A set model instance as the row ``SET_ROWS`` would have read."""
    return SetRow(
        position=s.position,
        exercise=s.exercise_id,
        side=s.side,
        reps=s.reps,
        seconds=s.seconds,
        load_kg=s.load_kg,
        band=s.band,
        felt_in_knee=s.felt_in_knee,
    )


S = TypeVar("S", bound=WorkoutSession)


def with_set_dicts(sessions: list[S]) -> list[S]:
    """Turns each session's ``set_rows`` (annotated with ``SET_ROWS``) into its sets as API
    dicts (``set_dicts``), in their order."""
    for session in sessions:
        session.set_dicts = [  # type: ignore[attr-defined]
            set_dict(row)
            for row in in_order(session.set_rows)  # type: ignore[attr-defined]
        ]
    return sessions
