"""The app's URLs plus ``bench/floor``: a bare JSON view, same middleware and token auth."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from tracker.api.security import BearerTokenAuth

_bearer = BearerTokenAuth()


def floor(request: HttpRequest) -> JsonResponse:
    user = _bearer(request)
    if user is None:
        return JsonResponse({"detail": "unauthenticated"}, status=401)
    return JsonResponse({"ok": True, "user": user.id})


urlpatterns = [path("bench/floor", floor), path("", include("config.urls"))]
