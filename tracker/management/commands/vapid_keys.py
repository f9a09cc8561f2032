"""Print a new VAPID key pair as environment lines, for a production deploy."""

from django.core.management.base import BaseCommand

from tracker.vapid_keys import new_keypair


class Command(BaseCommand):
    help = "Generate VAPID keys for Web Push (keep the private key secret; generate once)."

    def handle(self, *args: object, **options: object) -> None:
        pem, public = new_keypair()
        escaped = pem.strip().replace("\n", "\\n")
        self.stdout.write(f'VAPID_PRIVATE_KEY="{escaped}"\nVAPID_PUBLIC_KEY={public}\n')
