from django.urls import path

from tracker import views

app_name = "tracker"
urlpatterns = [
    path("reminders/off/<str:token>", views.reminder_off, name="reminder-off"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]
