"""python manage.py seed_demo: a demo account with eight weeks of history (sessions, sets,
check-ins with pain falling and one flare), so the charts are full at once."""

from typing import Any

from django.core.management.base import BaseCommand

from tracker.demo import DEMO_EMAIL, DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Creates (or tops up) the demo account with eight weeks of believable history."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--email", default=DEMO_EMAIL)
        parser.add_argument("--password", default=DEMO_PASSWORD)

    def handle(self, *args: Any, email: str, password: str, **options: Any) -> None:
        user, counts = seed_demo(email=email, password=password)
        self.stdout.write(
            f"Demo account {user.email} (password: {password}): "
            f"{counts['sessions']} sessions and {counts['checkins']} check-ins added."
        )
