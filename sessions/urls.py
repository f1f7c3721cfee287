"""Public pages of the programme: one session within its event, an event's day pages (a big
event's full cards, day by day), schedule grid and personal agenda, sessions by tag, search,
and each event's programme in other formats (roundup post, JSON, iCalendar, frab schedule XML
and JSON, CSV; a session's and an agenda's calendar).

``event_patterns`` is the event page (its programme): the project's ``urls.py`` names it in the
``conference`` namespace, beside the event list, as ``conference:event_detail``.
"""

from django.urls import path

from conference.caching import cache_for_visitors

from . import exports, views

app_name = "talks"

event_patterns = [
    path(
        "events/<slug:slug>/",
        cache_for_visitors(
            views.EventDetailView.as_view(), query=["kind", "tag"], event_from="slug"
        ),
        name="event_detail",
    ),
]

urlpatterns = [
    path(
        "events/<slug:event_slug>/sessions/<slug:slug>/",
        cache_for_visitors(views.SessionDetailView.as_view(), event_from="event_slug"),
        name="session_detail",
    ),
    path(
        "events/<slug:event_slug>/sessions/<slug:slug>/session.ics",
        cache_for_visitors(exports.session_ical, event_from="event_slug"),
        name="session_ical",
    ),
    path(
        "events/<slug:slug>/schedule/",
        cache_for_visitors(
            views.event_schedule, query=["day", "room", "track", "kind", "tag"], event_from="slug"
        ),
        name="event_schedule",
    ),
    path(
        "events/<slug:slug>/day/<int:day>/",
        cache_for_visitors(views.event_day, event_from="slug"),
        name="event_day",
    ),
    path(
        "events/<slug:slug>/day/<int:day>/part/<int:part>/",
        cache_for_visitors(views.event_day, event_from="slug"),
        name="event_day_part",
    ),
    path(
        "events/<slug:slug>/tracks.css",
        cache_for_visitors(views.event_track_styles, event_from="slug"),
        name="event_track_styles",
    ),
    path(
        "events/<slug:slug>/agenda/",
        cache_for_visitors(views.event_agenda, event_from="slug"),
        name="event_agenda",
    ),
    path(
        "events/<slug:slug>/agenda.ics",
        cache_for_visitors(exports.event_agenda_ical, query=["s"], event_from="slug"),
        name="event_agenda_ical",
    ),
    path(
        "tags/<slug:slug>/",
        cache_for_visitors(views.TagDetailView.as_view()),
        name="tag_detail",
    ),
    path("search/", cache_for_visitors(views.search_results, query=["q"]), name="search"),
    path(
        "events/<slug:slug>/roundup.md",
        exports.event_export_markdown,
        name="event_export_markdown",
    ),
    path(
        "events/<slug:slug>/export.json",
        cache_for_visitors(exports.event_export_json, event_from="slug"),
        name="event_export_json",
    ),
    path(
        "events/<slug:slug>/sessions.ics",
        cache_for_visitors(exports.event_ical, event_from="slug"),
        name="event_ical",
    ),
    path(
        "events/<slug:slug>/schedule.xml",
        cache_for_visitors(exports.event_schedule_xml, event_from="slug"),
        name="event_schedule_xml",
    ),
    path(
        "events/<slug:slug>/schedule.json",
        cache_for_visitors(exports.event_schedule_json, event_from="slug"),
        name="event_schedule_json",
    ),
    path(
        "events/<slug:slug>/schedule.csv",
        cache_for_visitors(exports.event_schedule_csv, event_from="slug"),
        name="event_schedule_csv",
    ),
]
