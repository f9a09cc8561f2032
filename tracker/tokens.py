"""Personal API tokens: long random strings, stored only as a SHA-256 digest.

A fast digest is right here (unlike passwords): the token has 256 bits of entropy, so there is
nothing to brute-force, and the lookup must stay cheap on every request.
"""

from __future__ import annotations

import hashlib
import secrets

PREFIX = "h2k_"


def token_generate() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()
