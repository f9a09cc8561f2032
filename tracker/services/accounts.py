"""Accounts: sign-up, the profile (time zone, weekly target, units) and deleting it all."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tracker.errors import Conflict, Forbidden, InvalidInput
from tracker.models import (
    Profile,
    User,
)
from tracker.services.reminders import reminders_follow_timezone


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


def account_delete(*, user: User, password: str) -> None:
    """The user and everything of theirs: their data, their browser sessions (which go with the
    user) and the sign-in records django-axes kept under their email."""
    if not user.check_password(password):
        raise Forbidden("That password is not right.", {"password": "does not match"})
    with transaction.atomic():
        for records in (AccessAttempt, AccessFailureLog, AccessLog):
            records.objects.filter(username__iexact=user.email).delete()
        user.delete()
