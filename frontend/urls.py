from django.urls import path

from frontend import views

app_name = "frontend"
urlpatterns = [
    path("", views.home, name="home"),
    path("checkin/morning", views.morning_check, name="morning-check"),
]
