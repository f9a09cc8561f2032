"""Headers for static files: WhiteNoise answers them before any middleware runs, so it adds
the same security headers the middleware adds to pages and API answers."""

from __future__ import annotations

from typing import Any


def static_file_headers(headers: Any, path: str, url: str) -> None:
    from csp.utils import build_policy
    from django.conf import settings

    headers["Content-Security-Policy"] = build_policy()
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = settings.SECURE_REFERRER_POLICY
    headers["Permissions-Policy"] = settings.PERMISSIONS_POLICY
    headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
