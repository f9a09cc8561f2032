"""A local Web Push service for tests and `make bench`: it records what arrives (when, and on which
connection), decrypts it with the subscription's private key (RFC 8291 aes128gcm, via http_ece)
and checks the VAPID header (RFC 8292). It keeps connections alive (HTTP/1.1), as push services
do."""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from tracker.vapid_keys import new_keypair


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def vapid_keypair() -> tuple[str, str]:
    """(private PEM, public key base64url) for the server side."""
    return new_keypair()


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float = 0.0  # time.time() on arrival
    peer: tuple[str, int] = ("", 0)  # the client's address and port: one per connection


@dataclass
class PushReceiver:
    answers: dict[str, list[int]] = field(default_factory=dict)  # per path, in order; then 201
    received: list[Received] = field(default_factory=list)
    keys: dict[str, tuple[ec.EllipticCurvePrivateKey, bytes]] = field(default_factory=dict)
    delays: dict[str, float] = field(default_factory=dict)  # seconds to wait before answering
    holds: dict[str, threading.Event] = field(default_factory=dict)  # answer once it is set

    def hold(self, path: str) -> threading.Event:
        """Requests to ``path`` wait, unanswered, until the returned event is set."""
        gate = self.holds[path] = threading.Event()
        return gate

    def start(self) -> PushReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real push services

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                peer = (str(self.client_address[0]), int(self.client_address[1]))
                receiver.received.append(Received(self.path, headers, body, time.time(), peer))
                time.sleep(receiver.delays.pop(self.path, 0))
                gate = receiver.holds.get(self.path)
                if gate is not None:
                    gate.wait(120)
                queued = receiver.answers.get(self.path) or []
                status = queued.pop(0) if queued else 201
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", f"{receiver.origin}/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def subscription(self, name: str) -> dict[str, Any]:
        """What a browser's ``PushSubscription.toJSON()`` would give for a new device."""
        private = ec.generate_private_key(ec.SECP256R1())
        auth = os.urandom(16)
        self.keys[f"/push/{name}"] = (private, auth)
        point = private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": f"{self.origin}/push/{name}",
            "expirationTime": None,
            "keys": {"p256dh": b64url(point), "auth": b64url(auth)},
        }

    def wait_for(self, count: int, timeout: float = 30) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.received

    def decrypt(self, message: Received) -> dict[str, Any]:
        private, auth = self.keys[message.path]
        assert message.headers.get("content-encoding") == "aes128gcm"
        plain = http_ece.decrypt(
            message.body, private_key=private, auth_secret=auth, version="aes128gcm"
        )
        return json.loads(plain)

    def vapid_claims(self, message: Received, public_key: str) -> dict[str, Any]:
        """Checks the ``vapid t=..., k=...`` header: the key is the server's, the JWT's ES256
        signature is valid, and returns its claims."""
        scheme, _, params = message.headers["authorization"].partition(" ")
        assert scheme == "vapid"
        fields = dict(p.strip().split("=", 1) for p in params.split(","))
        assert fields["k"] == public_key
        header_b64, claims_b64, signature_b64 = fields["t"].split(".")
        signature = unb64url(signature_b64)
        der = encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        )
        key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(fields["k"]))
        key.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
        assert json.loads(unb64url(header_b64))["alg"] == "ES256"
        return json.loads(unb64url(claims_b64))
