"""API v1 (DESIGN §5): routers per resource, mounted at /api/v1/."""

from ninja import NinjaAPI

from tracker.api import (
    account,
    auth,
    calendar,
    checkins,
    errors,
    library,
    profile,
    progress,
    push,
    reminders,
    routines,
    sessions,
)
from tracker.api.rendering import ExactJSONRenderer
from tracker.api.security import AUTH

api = NinjaAPI(
    title="Hip2Knee API",
    version="1",
    description="Log hip sessions and knee pain; see weekly progress. Times are ISO 8601.",
    auth=AUTH,
    urls_namespace="api-v1",
    renderer=ExactJSONRenderer(),
)
errors.install(api)
api.add_router("/auth", auth.router)
api.add_router("/profile", profile.router)
api.add_router("/exercises", library.router)
api.add_router("/routines", routines.router)
api.add_router("/sessions", sessions.router)
api.add_router("/checkins", checkins.router)
api.add_router("/progress", progress.router)
api.add_router("/reminders", reminders.router)
api.add_router("/push", push.router)
api.add_router("/calendar", calendar.router)
api.add_router("/", account.router)
