"""Every write Hip2Knee makes: one function per action, keyword-only, one transaction each.

Writes from the PWA carry a client-generated ``client_id``; sending one again returns what the
first request created and creates nothing, even when both arrive at the same moment (the unique
constraint decides, and the loser reads the winner's row).
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from tracker import push, selectors
from tracker.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from tracker.models import (
    ApiToken,
    CheckIn,
    Profile,
    PushSubscription,
    Reminder,
    ReportShare,
    Routine,
    RoutineItem,
    SessionSet,
    User,
    WorkoutSession,
)
from tracker.push import b64url_decode, endpoint_allowed
from tracker.rules import vocabulary as vocab
from tracker.rules.reminders import next_slot, weekdays_from_mask, weekdays_mask
from tracker.rules.timezones import local_date
from tracker.selectors import exercise_facts
from tracker.tokens import token_digest, token_generate

EARLIEST_DATE = date(2000, 1, 1)
# Clocks on phones drift and zones run ahead of UTC: a day of slack before "the future" starts.
FUTURE_SLACK = timedelta(days=1)


# --- Users, profile, tokens -----------------------------------------------------------------
def user_signup(*, email: str, password: str, tz_name: str = "UTC") -> User:
    email = email.strip().lower()
    candidate = User(email=email)
    try:
        password_validation.validate_password(password, user=candidate)
    except ValidationError as exc:
        raise InvalidInput(
            "Choose a stronger password.", {"password": " ".join(exc.messages)}
        ) from None
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict("That email already has an account.", {"email": "already registered"})
    try:
        with transaction.atomic():
            user = User.objects.create_user(email, password)
            Profile.objects.filter(user=user).update(timezone=tz_name)
    except IntegrityError:
        raise Conflict(
            "That email already has an account.", {"email": "already registered"}
        ) from None
    return user


def profile_update(*, user: User, changes: Mapping[str, Any]) -> Profile:
    """Change time zone, weekly target or units; reminders move with a new time zone."""
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(user=user)
        moved = changes.get("timezone") not in (None, profile.timezone)
        for field in ("timezone", "weekly_target", "units"):
            if field in changes and changes[field] is not None:
                setattr(profile, field, changes[field])
        profile.save()
        if moved:
            reminders_follow_timezone(user=user, tz_name=profile.timezone)
    return profile


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token row and the raw token, which is never stored and shown only now."""
    raw = token_generate()
    token = ApiToken.objects.create(user=user, name=name, digest=token_digest(raw), prefix=raw[:12])
    return token, raw


def token_delete(*, user: User, token_id: int) -> None:
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    if not deleted:
        raise NotFound("No such token.")


def token_touch(*, token: ApiToken, now: datetime) -> None:
    """Record use at most once an hour, so authenticating stays a read."""
    if token.last_used_at is None or now - token.last_used_at > timedelta(hours=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


def account_delete(*, user: User, password: str) -> None:
    if not user.check_password(password):
        raise Forbidden("That password is not right.", {"password": "does not match"})
    user.delete()


# --- Shared checks --------------------------------------------------------------------------
def _visible_routine(user: User, routine_id: int, *, field: str = "routine") -> Routine:
    routine = Routine.objects.filter(Q(user=user) | Q(starter=True), pk=routine_id).first()
    if routine is None:
        raise NotFound("No such routine.", {field: "not found"})
    return routine


def _check_not_future(moment: datetime, *, field: str) -> None:
    if moment > timezone.now() + FUTURE_SLACK:
        raise InvalidInput("That is in the future.", {field: "must not be in the future"})
    if moment.date() < EARLIEST_DATE:
        raise InvalidInput("That is too long ago.", {field: "must be in 2000 or later"})


def _check_local_date(user_tz: str, day: date, *, field: str = "date") -> None:
    today = local_date(timezone.now(), user_tz)
    if day > today + FUTURE_SLACK:
        raise InvalidInput("That date is in the future.", {field: "must not be in the future"})
    if day < EARLIEST_DATE:
        raise InvalidInput("That date is too long ago.", {field: "must be in 2000 or later"})


def _build_sets(sets: list[Mapping[str, Any]]) -> list[SessionSet]:
    """Validates every set against the library before anything is written."""
    library = exercise_facts()
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


# --- The history cache ----------------------------------------------------------------------
def history_touched(*, user: User, days: Sequence[date | datetime | None]) -> None:
    """Progress keeps facts older than its boundary in a cache (``selectors._older_facts``);
    a change dated before the boundary, or on the day after it (a write that spans local
    midnight), makes that stale: raise the user's history version, in the caller's
    transaction. Changes to the last weeks need nothing: those are read fresh every time."""
    profile = user.profile
    tz = ZoneInfo(profile.timezone)
    edge = selectors.history_boundary(tz, timezone.now()) + timedelta(days=1)
    local = [d.astimezone(tz).date() if isinstance(d, datetime) else d for d in days]
    if any(d is not None and d <= edge for d in local):
        Profile.objects.filter(user=user).update(history_version=F("history_version") + 1)
        user._state.fields_cache.pop("profile", None)  # read the new version if asked again


def history_forget(*, user_ids: Sequence[int]) -> None:
    """For changes that bypass the services (the admin): raise the history version outright."""
    Profile.objects.filter(user_id__in=user_ids).update(history_version=F("history_version") + 1)


# --- Sessions -------------------------------------------------------------------------------
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
        _check_not_future(started_at, field="started_at")
        routine = _visible_routine(user, routine_id) if routine_id is not None else None
        built = _build_sets(list(sets))
    except DomainError:
        earlier = _session_by_client_id(user, client_id)
        if earlier is None:
            raise
        return earlier, False
    session = WorkoutSession(
        user=user,
        client_id=client_id,
        started_at=started_at.astimezone(UTC),
        routine=routine,
        pain_during=pain_during,
        pain_next_morning=pain_next_morning,
        notes=notes or "",
    )
    try:
        with transaction.atomic():
            session.save(force_insert=True)
            for s in built:
                s.session = session
            SessionSet.objects.bulk_create(built)
            history_touched(user=user, days=[session.started_at])
    except IntegrityError:
        # Sent before, or by a twin request a moment ago: answer with what that one stored.
        earlier = _session_by_client_id(user, client_id)
        if earlier is None:
            raise
        return earlier, False
    session._prefetched_objects_cache = {"sets": built}  # answer without reading back
    return session, True


def _session_by_client_id(user: User, client_id: uuid.UUID) -> WorkoutSession | None:
    return WorkoutSession.objects.filter(user=user, client_id=client_id).order_by().first()


def session_update(*, user: User, session_id: int, changes: Mapping[str, Any]) -> WorkoutSession:
    """Change what was sent; ``sets``, when sent, replaces all the session's sets."""
    with transaction.atomic():
        session = (
            WorkoutSession.objects.select_for_update().filter(user=user, pk=session_id).first()
        )
        if session is None:
            raise NotFound("No such session.")
        was = session.started_at
        if changes.get("started_at") is not None:
            _check_not_future(changes["started_at"], field="started_at")
            session.started_at = changes["started_at"].astimezone(UTC)
        if "routine" in changes:
            rid = changes["routine"]
            session.routine = _visible_routine(user, rid) if rid is not None else None
        for field in ("pain_during", "pain_next_morning"):
            if field in changes:
                setattr(session, field, changes[field])
        if "notes" in changes:
            session.notes = changes["notes"] or ""
        session.save()
        if changes.get("sets") is not None:
            built = _build_sets(list(changes["sets"]))
            session.sets.all().delete()
            for s in built:
                s.session = session
            SessionSet.objects.bulk_create(built)
        history_touched(user=user, days=[was, session.started_at])
    return session


def session_delete(*, user: User, session_id: int) -> None:
    with transaction.atomic():
        mine = WorkoutSession.objects.filter(user=user, pk=session_id)
        started = mine.values_list("started_at", flat=True).first()
        if started is None or not mine.delete()[0]:
            raise NotFound("No such session.")
        history_touched(user=user, days=[started])


# --- Check-ins ------------------------------------------------------------------------------
CHECKIN_FIELDS = ("pain", "stairs", "sitting", "squatting", "walking", "rest_day", "red_flags")


def checkin_save(
    *, user: User, client_id: uuid.UUID, day: date, answers: Mapping[str, Any]
) -> tuple[CheckIn, bool]:
    """One check-in per local date: a new one for a date already answered updates that one.

    Only the answers sent are changed, so a later, partial check-in never erases earlier ones.
    Returns ``(checkin, created)``.
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
                _check_local_date(user.profile.timezone, day)
                history_touched(user=user, days=[day])
                if not found:
                    checkin = CheckIn(user=user, client_id=client_id, date=day)
                    _apply(checkin, answers)
                    checkin.save(force_insert=True)
                    return checkin, True
                checkin = found[0]
                _apply(checkin, answers)
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


def checkin_update(*, user: User, checkin_id: int, changes: Mapping[str, Any]) -> CheckIn:
    with transaction.atomic():
        checkin = CheckIn.objects.select_for_update().filter(user=user, pk=checkin_id).first()
        if checkin is None:
            raise NotFound("No such check-in.")
        history_touched(user=user, days=[checkin.date, changes.get("date")])
        if changes.get("date") is not None and changes["date"] != checkin.date:
            _check_local_date(user.profile.timezone, changes["date"])
            checkin.date = changes["date"]
        _apply(checkin, changes)
        try:
            with transaction.atomic():
                checkin.save()
        except IntegrityError:  # one check-in per date: that date is taken
            raise Conflict(
                "There is already a check-in for that date.", {"date": "already checked in"}
            ) from None
    return checkin


def checkin_delete(*, user: User, checkin_id: int) -> None:
    with transaction.atomic():
        mine = CheckIn.objects.filter(user=user, pk=checkin_id)
        day = mine.values_list("date", flat=True).first()
        if day is None or not mine.delete()[0]:
            raise NotFound("No such check-in.")
        history_touched(user=user, days=[day])


# --- Routines -------------------------------------------------------------------------------
def _build_items(items: list[Mapping[str, Any]]) -> list[RoutineItem]:
    library = exercise_facts()
    errors = {
        f"items.{n}.exercise": f"unknown exercise '{item['exercise']}'"
        for n, item in enumerate(items)
        if item["exercise"] not in library
    }
    if errors:
        raise InvalidInput("Some routine items are not valid.", errors)
    return [
        RoutineItem(
            position=n,
            exercise_id=item["exercise"],
            sets=item["sets"],
            target=item["target"],
            per_side=(
                library[item["exercise"]].per_side
                if item.get("per_side") is None
                else item["per_side"]
            ),
        )
        for n, item in enumerate(items)
    ]


def routine_create(*, user: User, name: str, items: list[Mapping[str, Any]]) -> Routine:
    built = _build_items(items)
    with transaction.atomic():
        routine = Routine.objects.create(user=user, name=name, starter=False)
        for item in built:
            item.routine = routine
        RoutineItem.objects.bulk_create(built)
    return routine


def routine_copy(*, user: User, source_id: int, name: str | None = None) -> Routine:
    """Copy a starter (or one's own) routine into an editable routine of the user's."""
    source = _visible_routine(user, source_id, field="copy_of")
    with transaction.atomic():
        routine = Routine.objects.create(
            user=user, name=name or source.name, starter=False, copied_from=source
        )
        RoutineItem.objects.bulk_create(
            RoutineItem(
                routine=routine,
                position=item.position,
                exercise_id=item.exercise_id,
                sets=item.sets,
                target=item.target,
                per_side=item.per_side,
            )
            for item in source.items.all()
        )
    return routine


def _own_routine_for_change(user: User, routine_id: int) -> Routine:
    routine = _visible_routine(user, routine_id, field="id")
    if routine.starter:
        raise Forbidden(
            "Starter routines cannot be changed: copy one with "
            'POST {"copy_of": id} and edit the copy.'
        )
    return routine


def routine_update(*, user: User, routine_id: int, changes: Mapping[str, Any]) -> Routine:
    with transaction.atomic():
        routine = _own_routine_for_change(user, routine_id)
        if changes.get("name") is not None:
            routine.name = changes["name"]
        routine.save()
        if changes.get("items") is not None:
            built = _build_items(list(changes["items"]))
            routine.items.all().delete()
            for item in built:
                item.routine = routine
            RoutineItem.objects.bulk_create(built)
    return routine


def routine_delete(*, user: User, routine_id: int) -> None:
    routine = _own_routine_for_change(user, routine_id)
    routine.delete()


# --- Reminders ------------------------------------------------------------------------------
MORNING_CHECK_DEFAULT = time(8, 0)


def reminder_next_fire(reminder: Reminder, tz_name: str, after: datetime) -> datetime:
    """The reminder's next slot after ``after`` in that zone (the rule: rules/reminders.py)."""
    return next_slot(
        weekdays=weekdays_from_mask(reminder.weekdays),
        at=reminder.time,
        tz_name=tz_name,
        after=after,
    )


def _schedule(reminder: Reminder, tz_name: str, now: datetime) -> None:
    reminder.next_fire_at = reminder_next_fire(reminder, tz_name, now) if reminder.enabled else None


def reminder_create(*, user: User, fields: Mapping[str, Any]) -> Reminder:
    kind = fields.get("kind") or "session"
    weekdays = fields.get("weekdays")
    at = fields.get("time")
    if kind == "morning_check":
        weekdays = weekdays or list(range(7))
        at = at or MORNING_CHECK_DEFAULT
    errors = {}
    if not weekdays:
        errors["weekdays"] = "choose at least one weekday"
    if at is None:
        errors["time"] = "give a local time as HH:MM"
    if errors:
        raise InvalidInput("Some fields are not valid.", errors)
    reminder = Reminder(
        user=user,
        kind=kind,
        weekdays=weekdays_mask(weekdays),
        time=at,
        channel=fields.get("channel") or "push",
        enabled=fields.get("enabled", True),
        skip_if_done=fields.get("skip_if_done", True),
    )
    _schedule(reminder, user.profile.timezone, timezone.now())
    try:
        with transaction.atomic():
            reminder.save(force_insert=True)
    except IntegrityError:
        raise Conflict(
            "You already have a next-morning knee check; change that one instead.",
            {"kind": "only one morning check"},
        ) from None
    return reminder


def reminder_update(*, user: User, reminder_id: int, changes: Mapping[str, Any]) -> Reminder:
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update().filter(user=user, pk=reminder_id).first()
        if reminder is None:
            raise NotFound("No such reminder.")
        if changes.get("weekdays") is not None:
            reminder.weekdays = weekdays_mask(changes["weekdays"])
        for field in ("time", "channel", "enabled", "skip_if_done"):
            if changes.get(field) is not None:
                setattr(reminder, field, changes[field])
        _schedule(reminder, user.profile.timezone, timezone.now())
        reminder.save()
    return reminder


def reminder_delete(*, user: User, reminder_id: int) -> None:
    deleted, _ = Reminder.objects.filter(user=user, pk=reminder_id).delete()
    if not deleted:
        raise NotFound("No such reminder.")


def reminder_snooze(*, user: User, reminder_id: int, minutes: int) -> Reminder:
    """The notification's Snooze action: remind again in ``minutes`` (one extra slot)."""
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update().filter(user=user, pk=reminder_id).first()
        if reminder is None:
            raise NotFound("No such reminder.")
        reminder.enabled = True
        reminder.next_fire_at = (timezone.now() + timedelta(minutes=minutes)).replace(
            second=0, microsecond=0
        )
        reminder.save(update_fields=["enabled", "next_fire_at", "updated_at"])
    return reminder


def reminder_turn_off(*, reminder: Reminder) -> None:
    Reminder.objects.filter(pk=reminder.pk).update(enabled=False, next_fire_at=None)


def reminders_follow_timezone(*, user: User, tz_name: str) -> None:
    """A new time zone moves every reminder with it: the same local time in the new zone."""
    now = timezone.now()
    reminders = list(Reminder.objects.filter(user=user, enabled=True))
    for reminder in reminders:
        _schedule(reminder, tz_name, now)
    Reminder.objects.bulk_update(reminders, ["next_fire_at"])


# --- Push subscriptions ---------------------------------------------------------------------
def push_subscribe(
    *, user: User, endpoint: str, p256dh: str, auth: str, expiration_time: int | None
) -> tuple[PushSubscription, bool]:
    """Store the browser's subscription; the same endpoint again updates it (200, not 201)."""
    if not endpoint_allowed(endpoint, settings.PUSH_ENDPOINT_ALLOW):
        raise InvalidInput(
            "That push endpoint is not on a known push service.",
            {"endpoint": "must be an https endpoint of a known push service"},
        )
    errors = {}
    try:
        point = b64url_decode(p256dh)
        if len(point) != 65 or point[0] != 4:
            errors["keys.p256dh"] = "must be an uncompressed P-256 public key"
    except (ValueError, TypeError):
        errors["keys.p256dh"] = "must be base64url"
    try:
        if len(b64url_decode(auth)) != 16:
            errors["keys.auth"] = "must be 16 bytes, base64url"
    except (ValueError, TypeError):
        errors["keys.auth"] = "must be base64url"
    if errors:
        raise InvalidInput("The subscription's keys are not valid.", errors)
    fields = {"user": user, "p256dh": p256dh, "auth": auth, "expiration_time": expiration_time}
    with transaction.atomic():
        subscription, created = PushSubscription.objects.update_or_create(
            endpoint=endpoint, defaults=fields
        )
    return subscription, created


def push_unsubscribe(*, user: User, subscription_id: int) -> None:
    deleted, _ = PushSubscription.objects.filter(user=user, pk=subscription_id).delete()
    if not deleted:
        raise NotFound("No such subscription.")


def push_test(*, user: User) -> dict[str, Any]:
    """Sends a test notification to each of the user's subscriptions at once (not via the
    queue: the person is looking at the screen waiting for it). Expired ones are removed."""
    subscriptions = list(PushSubscription.objects.filter(user=user))
    if not subscriptions:
        raise NotFound("No device has push turned on for this account yet.")
    payload = {
        "title": "Hip2Knee test",
        "body": "Push works on this device. Reminders will arrive like this.",
        "url": "/reminders",
        "tag": "hip2knee-test",
    }
    sent, problems = 0, []
    for subscription in subscriptions:
        result = push.send(
            endpoint=subscription.endpoint,
            p256dh=subscription.p256dh,
            auth=subscription.auth,
            payload=payload,
            topic="hip2knee-test",
        )
        if result.outcome == "sent":
            sent += 1
            subscription.last_success_at = timezone.now()
            subscription.save(update_fields=["last_success_at"])
        else:
            if result.outcome == "gone":
                subscription.delete()
            problems.append(result.detail or result.outcome)
    return {"sent": sent, "failed": len(problems), "detail": "; ".join(problems)[:500]}


# --- Calendar feed --------------------------------------------------------------------------
def calendar_token_create(*, user: User) -> str:
    """A new private feed URL token; any earlier one stops working."""
    raw = secrets.token_urlsafe(24)
    Profile.objects.filter(user=user).update(calendar_token_digest=token_digest(raw))
    return raw


def calendar_token_revoke(*, user: User) -> None:
    Profile.objects.filter(user=user).update(calendar_token_digest=None)


# --- Report shares ------------------------------------------------------------------------
REPORT_SHARE_DAYS = 30


def report_share_create(*, user: User, days: int = REPORT_SHARE_DAYS) -> tuple[ReportShare, str]:
    """A read-only link to the report; the token is returned once and only its digest kept."""
    raw = secrets.token_urlsafe(24)
    share = ReportShare.objects.create(
        user=user, digest=token_digest(raw), expires_at=timezone.now() + timedelta(days=days)
    )
    return share, raw


def report_share_revoke(*, user: User, share_id: int) -> None:
    updated = ReportShare.objects.filter(user=user, pk=share_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not updated and not ReportShare.objects.filter(user=user, pk=share_id).exists():
        raise NotFound("No such share link.")


# --- Import ---------------------------------------------------------------------------------
def account_import(
    *, user: User, sessions: Sequence[Mapping[str, Any]], checkins: Sequence[Mapping[str, Any]]
) -> dict[str, dict[str, int]]:
    """A JSON export into this account: the same sessions, sets and check-ins, all or nothing.

    Idempotent by ``client_id``: importing the same file twice changes nothing. A routine id that
    is not this user's (or a starter) is dropped, since ids belong to the exporting account.
    """
    counts = {"sessions": {"created": 0, "existing": 0}, "checkins": {"created": 0, "existing": 0}}
    with transaction.atomic():
        for i, s in enumerate(sessions):
            routine_id = s.get("routine")
            if (
                routine_id is not None
                and not Routine.objects.filter(
                    Q(user=user) | Q(starter=True), pk=routine_id
                ).exists()
            ):
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
    return counts


def _nested(prefix: str, exc: DomainError) -> dict[str, str]:
    return {f"{prefix}.{k}": v for k, v in exc.errors.items()} or {prefix: exc.message}
