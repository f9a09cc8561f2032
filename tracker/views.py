"""Pages outside the JSON API: turning a reminder off from an email, and the calendar feed."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from tracker import ical, mail
from tracker.selectors import reminders as selectors
from tracker.services import reminders as services


@require_http_methods(["GET", "POST"])
def reminder_off(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks, POST does: a mail scanner following the link turns nothing off."""
    reminder_id = mail.reminder_from_off_token(token)
    reminder = selectors.reminder_for_off_link(reminder_id) if reminder_id else None
    if reminder is None:
        return render(request, "tracker/reminder_off.html", {"invalid": True}, status=404)
    if request.method == "POST":
        services.reminder_turn_off(reminder=reminder)
        return render(request, "tracker/reminder_off.html", {"done": True})
    label = f"Your {reminder.time:%H:%M} {reminder.get_channel_display()} reminder."
    return render(request, "tracker/reminder_off.html", {"reminder_label": label})


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = ical.calendar_feed(token=token)
    if feed is None:
        return HttpResponse("No such calendar.", status=404, content_type="text/plain")
    response = HttpResponse(feed, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response
