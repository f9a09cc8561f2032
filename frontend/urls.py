"""Every page of the table in tracker/pages.py, at its path (named as there)."""

from django.urls import URLPattern, path

from frontend import views
from tracker.pages import PAGES


def _route(name: str) -> URLPattern:
    route = PAGES[name].path.removeprefix("/")
    if name == "morning_check":
        return path(route, views.morning_check, name=name)
    if name == "password_reset_confirm":
        return path(route, views.password_reset_confirm, name=name)
    return path(route, views.page, {"name": name}, name=name)


app_name = "frontend"
urlpatterns = [_route(name) for name in PAGES]
