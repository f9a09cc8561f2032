from django.urls import path

from frontend import views

app_name = "frontend"
urlpatterns = [
    path("", views.page, {"name": "today"}, name="today"),
    path("log", views.page, {"name": "log"}, name="log"),
    path("progress", views.page, {"name": "progress"}, name="progress"),
    path("reminders", views.page, {"name": "reminders"}, name="reminders"),
    path("history", views.page, {"name": "history"}, name="history"),
    path("exercises", views.page, {"name": "exercises"}, name="exercises"),
    path("account", views.page, {"name": "account"}, name="account"),
    path("checkin", views.page, {"name": "checkin"}, name="checkin"),
    path("report", views.page, {"name": "report"}, name="report"),
    path("report/shared", views.page, {"name": "shared"}, name="report-shared"),
    path("signin", views.page, {"name": "signin"}, name="signin"),
    path("signup", views.page, {"name": "signup"}, name="signup"),
    path("checkin/morning", views.morning_check, name="morning-check"),
]
