"""The session engine (``SESSION_ENGINE``): Django's database sessions, each row marked with the
signed-in user, as Django's documentation shows for extending the database-backed engine."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore

from tracker.models import BrowserSession


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls) -> type[BrowserSession]:
        return BrowserSession

    def create_model_instance(self, data: dict[str, Any]) -> BrowserSession:
        session = super().create_model_instance(data)
        assert isinstance(session, BrowserSession)
        try:
            session.user_id = int(data[SESSION_KEY])
        except (KeyError, TypeError, ValueError):
            session.user_id = None
        return session
