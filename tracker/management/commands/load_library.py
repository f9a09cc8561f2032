"""Re-sync the exercise library and starter routines after editing tracker/library.py."""

from django.core.management.base import BaseCommand
from django.db import transaction

from tracker.library import sync_library
from tracker.models import Exercise, Routine, RoutineItem


class Command(BaseCommand):
    help = "Create or update the exercise library and the starter routines."

    def handle(self, *args: object, **options: object) -> None:
        with transaction.atomic():
            sync_library(Exercise, Routine, RoutineItem)
        self.stdout.write(f"{Exercise.objects.count()} exercises, starter routines in place.")
