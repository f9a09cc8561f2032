"""The cache as every read uses it: a saving, never a dependency.

With ``CACHE_URL=redis://...`` a Redis that cannot be reached would otherwise turn every read that
keeps something (the read answers of ``api/answers.py``) into a 500. Here a
miss is what an unreachable cache gives, and a value not kept is logged.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache import cache

from tracker.models import User

logger = logging.getLogger(__name__)


def cache_get(key: str) -> Any:
    """The value kept under ``key``; None when there is none or the cache cannot be reached."""
    try:
        return cache.get(key)
    except Exception:  # the cache backend's own errors (redis.ConnectionError, ...)
        logger.warning("cache unreachable: reading %s without it", key, exc_info=True)
        return None


def cache_set(key: str, value: Any, seconds: int) -> None:
    try:
        cache.set(key, value, seconds)
    except Exception:
        logger.warning("cache unreachable: %s not kept", key, exc_info=True)


def user_part(user: User) -> str:
    """A user's part of a cache key: the id and when they joined, so that an id a database hands
    out again (SQLite reuses one after a rollback) never reaches another person's values."""
    return f"{user.pk}:{user.date_joined.timestamp()}"
