"""Hip2Knee's data and its invariants.

Every invariant a user depends on is a database constraint, not only a validation: one session
per ``client_id`` per user, one check-in per local date, pain within 0-10, starter routines owned
by nobody. Business rules live in ``rules/`` and ``services/``, never here.
"""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from tracker.rules import vocabulary as vocab


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v.replace("_", " ")) for v in values]


def _pain_check(model: str, field: str, *, nullable: bool) -> models.CheckConstraint:
    """Pain and the plain questions use the 0-10 numeric rating scale."""
    in_range = Q(**{f"{field}__gte": vocab.PAIN_MIN, f"{field}__lte": vocab.PAIN_MAX})
    condition = in_range | Q(**{f"{field}__isnull": True}) if nullable else in_range
    return models.CheckConstraint(condition=condition, name=f"{model}_{field}_0_10")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        user = self.model(email=email.strip().lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        Profile.objects.create(user=user)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        return self.create_user(email, password, is_staff=True, is_superuser=True, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person using Hip2Knee, known by email address (stored lower-case)."""

    email = models.EmailField(max_length=254, unique=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.email


class Profile(models.Model):
    """What the user chose: time zone (IANA), weekly session target and weight units."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    timezone = models.CharField(max_length=64, default="UTC")
    weekly_target = models.PositiveSmallIntegerField(default=vocab.WEEKLY_TARGET_DEFAULT)
    units = models.CharField(max_length=2, choices=_choices(vocab.WEIGHT_UNITS), default="kg")
    calendar_token_digest = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        help_text="SHA-256 of the private calendar-feed token; empty when revoked.",
    )
    # "A clinician has seen my knee and I may exercise": the person's latest confirmation clears
    # the red flags reported before it (and a replay of the same confirmation changes nothing).
    clinician_seen_at = models.DateTimeField(null=True, blank=True)
    clinician_seen_on = models.DateField(null=True, blank=True, help_text="Their local date.")
    clinician_seen_client_id = models.UUIDField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(weekly_target__gte=vocab.WEEKLY_TARGET_MIN)
                & Q(weekly_target__lte=vocab.WEEKLY_TARGET_MAX),
                name="profile_weekly_target_1_7",
            ),
            models.CheckConstraint(condition=Q(units__in=vocab.WEIGHT_UNITS), name="profile_units"),
        ]

    def __str__(self) -> str:
        return f"profile of {self.user}"


class DataVersion(models.Model):
    """How many times each kind of a user's data has changed, written only by the database.

    Triggers on every table a kept answer reads (sessions, their sets, check-ins, routines and
    their items) raise the count in the statement that changes a row, and a trigger on the user
    table creates the row (migrations 0007 and 0008): no writer can forget, whether a service,
    the admin, an import or a fix made in SQL. The kept answers (``tracker/api/answers.py``) are
    keyed on these counts.
    """

    user = models.OneToOneField(
        User, primary_key=True, on_delete=models.CASCADE, related_name="data_version"
    )
    sessions = models.PositiveBigIntegerField(default=0, editable=False)
    checkins = models.PositiveBigIntegerField(default=0, editable=False)
    routines = models.PositiveBigIntegerField(db_default=0, editable=False)

    def __str__(self) -> str:
        return f"data versions of {self.user}"


class ApiToken(models.Model):
    """A personal API token for scripts: only its SHA-256 digest is stored; shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12, help_text="The first characters, to recognise it.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class BrowserSession(AbstractBaseSession):
    """A signed-in browser's server-side session (Django's database sessions, plus whose it is),
    so that all of one person's sessions can be ended at once: after a password change or reset,
    on "sign out everywhere", and when the account is deleted (the rows go with the user).

    No database foreign key: a request still finishing on another phone may save its session
    just after the account is gone, and must not fail for that (the row is then nobody's)."""

    user = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="browser_sessions",
    )

    @classmethod
    def get_session_store_class(cls) -> type:
        from tracker.browser_sessions import SessionStore

        return SessionStore


class Exercise(models.Model):
    """One entry of the exercise library, loaded by a data migration; public to everyone."""

    slug = models.SlugField(max_length=50, primary_key=True)
    name = models.CharField(max_length=100)
    category = models.CharField(max_length=20, choices=_choices(vocab.CATEGORIES))
    muscles = models.JSONField(default=list)
    unit = models.CharField(max_length=10, choices=_choices(vocab.UNITS))
    per_side = models.BooleanField(default=False)
    default_sets = models.PositiveSmallIntegerField()
    default_target = models.PositiveSmallIntegerField(help_text="Reps, seconds or steps per set.")
    cues = models.JSONField(default=list)
    cautions = models.JSONField(default=list)
    tempo = models.CharField(
        max_length=80, blank=True, default="", help_text="How a rep is paced; empty for holds."
    )
    rest_seconds = models.PositiveSmallIntegerField(
        default=60, help_text="Rest between sets; none between the two sides of one set."
    )
    starting_band = models.CharField(
        max_length=10,
        blank=True,
        default="",
        choices=_choices(vocab.BANDS),
        help_text="The band to start with, where a band is used (empty where none is).",
    )
    easier = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    harder = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the library.")

    class Meta:
        ordering = ["position", "slug"]
        constraints = [
            models.CheckConstraint(condition=Q(unit__in=vocab.UNITS), name="exercise_unit"),
            models.CheckConstraint(
                condition=Q(category__in=vocab.CATEGORIES), name="exercise_category"
            ),
            models.CheckConstraint(
                condition=Q(default_sets__gte=1) & Q(default_target__gte=1),
                name="exercise_default_dose_positive",
            ),
            models.CheckConstraint(
                condition=Q(rest_seconds__lte=vocab.REST_SECONDS_MAX), name="exercise_rest_seconds"
            ),
            models.CheckConstraint(
                condition=Q(starting_band="") | Q(starting_band__in=vocab.BANDS),
                name="exercise_starting_band",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Routine(models.Model):
    """An ordered list of exercises. Starter routines belong to nobody and are read-only."""

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="routines"
    )
    name = models.CharField(max_length=100)
    starter = models.BooleanField(default=False)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starter", "id"]
        constraints = [
            # A starter has no owner; every other routine has exactly one.
            models.CheckConstraint(
                condition=Q(starter=True, user__isnull=True) | Q(starter=False, user__isnull=False),
                name="routine_starter_xor_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RoutineItem(models.Model):
    """One exercise of a routine with its dose; warm-up items are done first, as a block."""

    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    sets = models.PositiveSmallIntegerField()
    target = models.PositiveSmallIntegerField(help_text="Reps, seconds or steps per set.")
    per_side = models.BooleanField(default=False)
    warmup = models.BooleanField(default=False, help_text="Part of the warm-up, done first.")
    band = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=[(i + 1, name) for i, name in enumerate(vocab.BANDS)],
        help_text="The band to use (Log prefills it), lightest (1) to heaviest (5).",
    )

    class Meta:
        ordering = ["routine", "position"]
        constraints = [
            models.UniqueConstraint(fields=["routine", "position"], name="routine_item_position"),
            models.CheckConstraint(
                condition=Q(sets__gte=1) & Q(sets__lte=20), name="routine_item_sets_1_20"
            ),
            models.CheckConstraint(
                condition=Q(target__gte=1) & Q(target__lte=3600), name="routine_item_target"
            ),
            models.CheckConstraint(
                condition=Q(band__isnull=True) | (Q(band__gte=1) & Q(band__lte=len(vocab.BANDS))),
                name="routine_item_band_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sets}×{self.target} {self.exercise_id}"


class WorkoutSession(models.Model):
    """One hip session as logged, with its sets; ``client_id`` makes writes idempotent."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="workout_sessions")
    client_id = models.UUIDField()
    started_at = models.DateTimeField()
    routine = models.ForeignKey(
        Routine, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pain_during = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_next_morning = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "client_id"], name="session_client_id_per_user"
            ),
            _pain_check("session", "pain_during", nullable=True),
            _pain_check("session", "pain_next_morning", nullable=True),
        ]
        indexes = [models.Index(fields=["user", "started_at"], name="session_user_started")]

    def __str__(self) -> str:
        return f"session {self.started_at:%Y-%m-%d %H:%M} of {self.user_id}"


class SessionSet(models.Model):
    """One set: what was done, on which side, how much and against what resistance."""

    session = models.ForeignKey(WorkoutSession, on_delete=models.CASCADE, related_name="sets")
    position = models.PositiveSmallIntegerField()
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=5, choices=_choices(vocab.SIDES), default="both")
    reps = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Reps or steps.")
    seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    load_kg = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    band = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=[(i + 1, name) for i, name in enumerate(vocab.BANDS)],
        help_text="Band level, lightest (1, yellow) to heaviest (5, black).",
    )
    felt_in_knee = models.BooleanField(default=False)

    class Meta:
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="set_position"),
            models.CheckConstraint(condition=Q(side__in=vocab.SIDES), name="set_side"),
            models.CheckConstraint(
                condition=Q(reps__isnull=False) | Q(seconds__isnull=False),
                name="set_has_reps_or_seconds",
            ),
            models.CheckConstraint(
                condition=Q(load_kg__isnull=True) | (Q(load_kg__gte=0) & Q(load_kg__lte=500)),
                name="set_load_kg_range",
            ),
            models.CheckConstraint(
                condition=Q(band__isnull=True) | (Q(band__gte=1) & Q(band__lte=len(vocab.BANDS))),
                name="set_band_level",
            ),
        ]

    def __str__(self) -> str:
        return f"set {self.position + 1}: {self.exercise_id} ({self.side})"


class CheckIn(models.Model):
    """How the knee was on one local date: worst pain in the last 24 h and the plain questions."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="checkins")
    client_id = models.UUIDField()
    date = models.DateField(help_text="The user's local date.")
    pain = models.PositiveSmallIntegerField(help_text="Worst knee pain in the last 24 h, 0-10.")
    stairs = models.PositiveSmallIntegerField(null=True, blank=True)
    sitting = models.PositiveSmallIntegerField(null=True, blank=True)
    squatting = models.PositiveSmallIntegerField(null=True, blank=True)
    walking = models.PositiveSmallIntegerField(null=True, blank=True)
    rest_day = models.BooleanField(default=False, help_text="A planned rest or flare day.")
    red_flags = models.JSONField(default=list, blank=True)
    red_flags_at = models.DateTimeField(
        null=True, blank=True, help_text="When a red flag was last added to this check-in."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="checkin_one_per_date"),
            models.UniqueConstraint(
                fields=["user", "client_id"], name="checkin_client_id_per_user"
            ),
            _pain_check("checkin", "pain", nullable=False),
            _pain_check("checkin", "stairs", nullable=True),
            _pain_check("checkin", "sitting", nullable=True),
            _pain_check("checkin", "squatting", nullable=True),
            _pain_check("checkin", "walking", nullable=True),
        ]

    def __str__(self) -> str:
        return f"check-in {self.date} of {self.user_id}"


class Reminder(models.Model):
    """When to remind: local weekdays and time in the user's zone, and by which channel.

    ``next_fire_at`` is the next slot as a UTC instant, kept current by the dispatcher and by every
    change to the reminder or the user's time zone; the dispatcher reads only what is due.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(
        max_length=16, choices=_choices(vocab.REMINDER_KINDS), default="session"
    )
    weekdays = models.PositiveSmallIntegerField(help_text="Bit 0 = Monday ... bit 6 = Sunday.")
    time = models.TimeField(help_text="Local wall-clock time.")
    channel = models.CharField(max_length=8, choices=_choices(vocab.CHANNELS), default="push")
    enabled = models.BooleanField(default=True)
    skip_if_done = models.BooleanField(default=True)
    next_fire_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["time", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekdays__gte=1) & Q(weekdays__lte=127), name="reminder_weekdays"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=vocab.CHANNELS), name="reminder_channel"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=vocab.REMINDER_KINDS), name="reminder_kind"
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(kind="morning_check"), name="one_morning_check"
            ),
        ]
        indexes = [
            models.Index(fields=["next_fire_at"], condition=Q(enabled=True), name="reminder_due"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder {self.time:%H:%M} of {self.user_id}"


class Delivery(models.Model):
    """One reminder slot, claimed once: the database, not the broker, is the source of truth."""

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="deliveries")
    slot = models.DateTimeField(help_text="The slot's instant (UTC).")
    status = models.CharField(
        max_length=8, choices=_choices(vocab.DELIVERY_STATES), default="claimed"
    )
    claimed_at = models.DateTimeField()
    claimed_by = models.CharField(max_length=32, blank=True, default="", help_text="The tick.")
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_to = models.JSONField(default=list, blank=True, help_text="Subscriptions already sent.")
    detail = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["-slot"]
        constraints = [
            models.UniqueConstraint(fields=["reminder", "slot"], name="one_delivery_per_slot"),
            models.CheckConstraint(
                condition=Q(status__in=vocab.DELIVERY_STATES), name="delivery_status"
            ),
        ]
        indexes = [
            models.Index(
                fields=["claimed_at"],
                condition=Q(status__in=["claimed", "sending"]),
                name="delivery_unfinished",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reminder_id} @ {self.slot:%Y-%m-%d %H:%M} ({self.status})"


class PushSubscription(models.Model):
    """A browser's push subscription, as ``PushSubscription.toJSON()`` gives it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=2048, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    expiration_time = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(
        default=0, help_text="Permanent failures in a row; dropped after a few."
    )
    last_error = models.CharField(max_length=200, blank=True, default="")
    last_error_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"push to {self.endpoint[:40]}… for {self.user_id}"


class ReportShare(models.Model):
    """A read-only link to the physiotherapist report of the last ``weeks`` weeks: only its
    SHA-256 digest is stored; the link is shown once, expires (30 days by default) and can be
    revoked."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="report_shares")
    digest = models.CharField(max_length=64, unique=True)
    # how many weeks up to the current one the link shows: what its owner chose, never more
    weeks = models.PositiveSmallIntegerField(default=12)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weeks__gte=1, weeks__lte=52), name="report_share_weeks"
            )
        ]

    def __str__(self) -> str:
        return f"report share {self.pk} for {self.user_id} until {self.expires_at:%Y-%m-%d}"


class Passkey(models.Model):
    """A passkey (a WebAuthn discoverable credential) that signs its user in without a password.

    Only the public key is stored; the private key never leaves the phone or security key. The
    authenticator counts its signatures: a count that does not go up means a cloned key, and the
    sign-in is refused (W3C Web Authentication, level 2, section 6.1.1, "Signature Counter").
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="passkeys")
    name = models.CharField(max_length=100)
    credential_id = models.CharField(
        max_length=1400,
        unique=True,
        help_text="The credential's id, base64url, as browsers send it.",
    )
    public_key = models.BinaryField(help_text="COSE-encoded public key.")
    sign_count = models.PositiveBigIntegerField(default=0)
    user_handle = models.CharField(
        max_length=128,
        help_text="The random WebAuthn user id (base64url), the same for a user's passkeys.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"passkey {self.name} of {self.user_id}"


class PasskeyChallenge(models.Model):
    """A challenge handed out for one passkey ceremony (adding one, or signing in with one).

    Kept on the server and used at most once, within minutes: only its SHA-256 digest is stored,
    and the row is deleted by the request that answers it, whether the answer is good or not.
    """

    REGISTER = "register"
    LOGIN = "login"

    digest = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=8, choices=[(REGISTER, REGISTER), (LOGIN, LOGIN)])
    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who is adding a passkey; empty for a sign-in.",
    )
    user_handle = models.CharField(max_length=128, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose="login", user__isnull=True)
                | Q(purpose="register", user__isnull=False),
                name="passkeychallenge_register_has_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.purpose} challenge until {self.expires_at:%H:%M:%S}"
