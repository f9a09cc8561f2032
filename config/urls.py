from django.contrib import admin
from django.urls import include, path

from tracker.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("tracker.urls")),
    path("", include("pwa.urls")),
    path("", include("frontend.urls")),
]
