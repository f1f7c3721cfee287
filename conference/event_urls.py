"""Public pages of the conference app: the list of events and each event's exports.

The event page itself is the programme, in ``sessions.urls.event_patterns``; the project's
``urls.py`` puts both in the ``conference`` namespace."""

from django.urls import path

from . import exports, views
from .caching import cache_for_visitors

app_name = "conference"

urlpatterns = [
    path("", cache_for_visitors(views.EventListView.as_view()), name="event_list"),
    path(
        "events/<slug:slug>/roundup.md",
        exports.event_export_markdown,
        name="event_export_markdown",
    ),
    path(
        "events/<slug:slug>/export.json",
        cache_for_visitors(exports.event_export_json),
        name="event_export_json",
    ),
    path(
        "events/<slug:slug>/sessions.ics",
        cache_for_visitors(exports.event_ical),
        name="event_ical",
    ),
]
