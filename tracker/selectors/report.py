"""The physiotherapist report: progress and the loads used per exercise; its share links."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import (
    Count,
    Max,
    Min,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Greatest
from django.utils import timezone

from tracker.models import (
    CheckIn,
    ReportShare,
    RoutineItem,
    SessionSet,
    User,
    WorkoutSession,
)
from tracker.rules import vocabulary as vocab
from tracker.selectors.progress import weekly_progress
from tracker.tokens import token_digest


def exercise_loads(*, user: User) -> list[dict[str, Any]]:
    """Per exercise, from one query: how many sets, when first and last, the heaviest band and
    load used, and the most reps or seconds in a set.

    A set of an exercise done on each side is one left and one right, so each side is counted
    once: the sets are those of the side done more often (a set on both sides counts on each),
    and a clamshell done 3 x each side is 3 sets, as a glute bridge done 3 times is."""
    both = Q(side="both")
    rows = (
        SessionSet.objects.filter(session__user=user)
        .values("exercise_id", "exercise__name")
        .annotate(
            sets=Greatest(
                Count("id", filter=both | Q(side="left")),
                Count("id", filter=both | Q(side="right")),
            ),
            first=Min("session__started_at"),
            last=Max("session__started_at"),
            top_band=Max("band"),
            top_load=Max("load_kg"),
            top_reps=Max("reps"),
            top_seconds=Max("seconds"),
        )
        .order_by("-last", "exercise_id")
    )
    return [
        {
            "exercise": row["exercise_id"],
            "name": row["exercise__name"],
            "sets": row["sets"],
            "first_done": row["first"],
            "last_done": row["last"],
            "top_band": None if row["top_band"] is None else vocab.band_name(row["top_band"]),
            "top_load_kg": None if row["top_load"] is None else float(row["top_load"]),
            "top_reps": row["top_reps"],
            "top_seconds": row["top_seconds"],
        }
        for row in rows
    ]


ROUTINE_ITEM_FIELDS = (
    "routine__name", "exercise_id", "exercise__name", "exercise__unit",
    "sets", "target", "per_side",
)  # fmt: skip


def current_routine(*, user: User) -> dict[str, Any] | None:
    """The routine of the user's latest session that followed one (theirs or a starter), with
    its exercises as planned; None when no session followed a routine. One query."""
    latest = (
        WorkoutSession.objects.filter(user=user, routine__isnull=False)
        .order_by("-started_at", "-id")
        .values("routine_id")[:1]
    )
    items = list(
        RoutineItem.objects.filter(routine_id=Subquery(latest))
        .order_by("position")
        .values(*ROUTINE_ITEM_FIELDS)
    )
    if not items:
        return None
    return {
        "name": items[0]["routine__name"],
        "items": [
            {
                "exercise": item["exercise_id"],
                "name": item["exercise__name"],
                "unit": item["exercise__unit"],
                "sets": item["sets"],
                "target": item["target"],
                "per_side": item["per_side"],
            }
            for item in items
        ],
    }


def red_flags_reported(*, user: User, since: date) -> list[dict[str, Any]]:
    """The check-ins from ``since`` on that reported a red flag, oldest first, each with its
    flags in words: a physiotherapist sees them even once they are cleared. One query."""
    rows = (
        CheckIn.objects.filter(user=user, date__gte=since)
        .exclude(red_flags=[])
        .order_by("date")
        .values_list("date", "red_flags")
    )
    return [
        {"date": day, "red_flags": list(codes), "words": [vocab.RED_FLAGS.get(c, c) for c in codes]}
        for day, codes in rows
    ]


def report(*, user: User, weeks: int, now: datetime | None = None) -> dict[str, Any]:
    """The progress figures, the red flags reported in the weeks shown and the loads per
    exercise: what a physiotherapist reads."""
    now = now or timezone.now()
    progress = weekly_progress(user=user, weeks=weeks, now=now)
    return {
        "generated_at": now,
        "progress": progress,
        "red_flags": red_flags_reported(user=user, since=progress["weeks"][0]["week_start"]),
        "loads": exercise_loads(user=user),
        "routine": current_routine(user=user),
    }


def report_shares(*, user: User) -> QuerySet[ReportShare]:
    return ReportShare.objects.filter(user=user)


def report_share_live(*, token: str, now: datetime | None = None) -> ReportShare | None:
    """The share behind this link (with its ``user``), while it is neither expired nor
    revoked."""
    now = now or timezone.now()
    share = (
        ReportShare.objects.select_related("user")
        .filter(
            digest=token_digest(token),
            expires_at__gt=now,
            revoked_at__isnull=True,
            user__is_active=True,
        )
        .first()
    )
    return share if share and token else None
