"""factory_boy factories for rows the tests need without going through the API."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import factory

from tracker.models import CheckIn, Routine, RoutineItem, SessionSet, User, WorkoutSession


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        return model_class.objects.create_user(*args, password="knee-friendly-Hips-2024", **kwargs)


class WorkoutSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkoutSession

    user = factory.SubFactory(UserFactory)
    client_id = factory.LazyFunction(uuid.uuid4)
    started_at = factory.LazyFunction(lambda: datetime.now(UTC) - timedelta(days=1))
    pain_during = 2


class SessionSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionSet

    session = factory.SubFactory(WorkoutSessionFactory)
    position = factory.Sequence(lambda n: n)
    exercise_id = "glute-bridge"
    side = "both"
    reps = 10


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    user = factory.SubFactory(UserFactory)
    client_id = factory.LazyFunction(uuid.uuid4)
    date = factory.Sequence(lambda n: (datetime.now(UTC) - timedelta(days=n + 1)).date())
    pain = 3


class RoutineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Routine

    user = factory.SubFactory(UserFactory)
    name = "My hips"


class RoutineItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoutineItem

    routine = factory.SubFactory(RoutineFactory)
    position = factory.Sequence(lambda n: n)
    exercise_id = "clamshell"
    sets = 3
    target = 12
