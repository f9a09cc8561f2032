"""Everything a user owns, as JSON (which ``import`` reads back) and as CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import (
    Prefetch,
)
from django.utils import timezone

from tracker.models import (
    CheckIn,
    PushSubscription,
    Reminder,
    Routine,
    RoutineItem,
    User,
    WorkoutSession,
)
from tracker.rules import vocabulary as vocab
from tracker.rules.reminders import weekdays_from_mask
from tracker.rules.safety import CLEARANCE_WORDS as CLINICIAN_SEEN_WORDS
from tracker.rules.weeks import local_date
from tracker.selectors.sets import SET_ROWS, in_order, set_dict

EXPORT_FORMAT = "hip2knee-export"

EXPORT_VERSION = 1


def export_data(*, user: User) -> dict[str, Any]:
    """Everything the user owns, in the shape ``import`` reads back."""
    profile = user.profile
    routines = Routine.objects.filter(user=user).prefetch_related(
        Prefetch("items", queryset=RoutineItem.objects.order_by("position"))
    )
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "account": {"email": user.email, "date_joined": user.date_joined.isoformat()},
        "profile": {
            "timezone": profile.timezone,
            "weekly_target": profile.weekly_target,
            "units": profile.units,
            # "A clinician has seen my knee and I may exercise", the latest time it was confirmed
            "clinician_seen_at": None
            if profile.clinician_seen_at is None
            else profile.clinician_seen_at.isoformat(),
            "clinician_seen_on": None
            if profile.clinician_seen_on is None
            else profile.clinician_seen_on.isoformat(),
        },
        "routines": [
            {
                "id": r.id,
                "name": r.name,
                "items": [
                    {
                        "exercise": i.exercise_id,
                        "sets": i.sets,
                        "target": i.target,
                        "per_side": i.per_side,
                        "warmup": i.warmup,
                        "band": None if i.band is None else vocab.band_name(i.band),
                    }
                    for i in r.items.all()
                ],
            }
            for r in routines
        ],
        "sessions": [
            {
                "client_id": str(s.client_id),
                "started_at": s.started_at.isoformat(),
                "routine": s.routine_id,
                "pain_during": s.pain_during,
                "pain_next_morning": s.pain_next_morning,
                "notes": s.notes,
                "sets": [set_dict(row) for row in in_order(s.set_rows)],
            }
            for s in WorkoutSession.objects.filter(user=user)
            .annotate(set_rows=SET_ROWS)
            .order_by("started_at", "id")
        ],
        "checkins": [
            {
                "client_id": str(c.client_id),
                "date": c.date.isoformat(),
                "pain": c.pain,
                "stairs": c.stairs,
                "sitting": c.sitting,
                "squatting": c.squatting,
                "walking": c.walking,
                "rest_day": c.rest_day,
                "red_flags": c.red_flags,
            }
            for c in CheckIn.objects.filter(user=user).order_by("date")
        ],
        "reminders": [
            {
                "kind": r.kind,
                "weekdays": weekdays_from_mask(r.weekdays),
                "time": r.time.strftime("%H:%M"),
                "channel": r.channel,
                "enabled": r.enabled,
                "skip_if_done": r.skip_if_done,
            }
            for r in Reminder.objects.filter(user=user).order_by("id")
        ],
        "push_subscriptions": [
            {"endpoint": p.endpoint, "created_at": p.created_at.isoformat()}
            for p in PushSubscription.objects.filter(user=user).order_by("id")
        ],
    }


CSV_COLUMNS = [
    "record",
    "client_id",
    "date",
    "started_at",
    "routine",
    "set_number",
    "exercise",
    "side",
    "reps",
    "seconds",
    "load_kg",
    "band",
    "felt_in_knee",
    "pain_during",
    "pain_next_morning",
    "pain",
    "stairs",
    "sitting",
    "squatting",
    "walking",
    "rest_day",
    "red_flags",
    "notes",
]


# A line of a cell that starts with one of these is read as a formula by spreadsheets (OWASP,
# "CSV Injection"); a line starts the cell or follows a carriage return or a newline inside it.
_FORMULA_LINE = re.compile(r"(?:^|(?<=[\r\n]))(?=[=+\-@\t\r])")


def _cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text the user typed (CSV injection): an apostrophe
    before every line that would start one, the first and any after a line break."""
    if isinstance(value, str):
        return _FORMULA_LINE.sub("'", value)
    return value


def export_csv(*, user: User) -> str:
    """One row per set (session columns repeated), per set-less session and per check-in."""
    data = export_data(user=user)
    tz = ZoneInfo(data["profile"]["timezone"])
    out = io.StringIO()
    # RFC 4180's line break: the writer quotes every field holding a character of it, so a lone
    # carriage return inside a note is quoted too, never read as the end of a row.
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for s in data["sessions"]:
        started = datetime.fromisoformat(s["started_at"])
        base = {
            "client_id": s["client_id"],
            "date": local_date(started, tz).isoformat(),
            "started_at": s["started_at"],
            "routine": s["routine"],
            "pain_during": s["pain_during"],
            "pain_next_morning": s["pain_next_morning"],
            "notes": s["notes"],
        }
        if not s["sets"]:
            writer.writerow({k: _cell(v) for k, v in {"record": "session", **base}.items()})
        for n, x in enumerate(s["sets"], start=1):
            row = {"record": "set", **base, "set_number": n, **x}
            writer.writerow({k: _cell(v) for k, v in row.items()})
    for c in data["checkins"]:
        row = {**c, "record": "checkin", "red_flags": " ".join(c["red_flags"])}
        writer.writerow({k: _cell(v) for k, v in row.items()})
    if data["profile"]["clinician_seen_at"]:
        writer.writerow(
            {
                "record": "clinician_seen",
                "date": data["profile"]["clinician_seen_on"],
                "started_at": data["profile"]["clinician_seen_at"],
                "notes": CLINICIAN_SEEN_WORDS,
            }
        )
    return out.getvalue()
