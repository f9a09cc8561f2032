"""Print a new VAPID key pair as environment lines, for a production deploy."""

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Generate VAPID keys for Web Push (keep the private key secret; generate once)."

    def handle(self, *args: object, **options: object) -> None:
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        point = key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        public = base64.urlsafe_b64encode(point).decode().rstrip("=")
        escaped = pem.strip().replace("\n", "\\n")
        self.stdout.write(f'VAPID_PRIVATE_KEY="{escaped}"\nVAPID_PUBLIC_KEY={public}\n')
