"""Pages of the PWA. They carry no user data: the ES modules fetch it from /api/v1."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/home.html")


def morning_check(request: HttpRequest) -> HttpResponse:
    """Opened from the next-morning notification; the ES module records the answer via the API."""
    return render(request, "frontend/morning.html", {"scale": range(11)})
