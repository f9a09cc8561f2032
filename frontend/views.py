"""Pages of the PWA. They carry no user data: the ES modules fetch it from /api/v1."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/home.html")
