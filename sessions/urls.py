"""Public pages of the programme: one session within its event, sessions by tag, search.

``event_patterns`` is the event page (its programme): the project's ``urls.py`` names it in the
``conference`` namespace, beside the event list, as ``conference:event_detail``.
"""

from django.urls import path

from conference.caching import cache_for_visitors

from . import views

app_name = "talks"

event_patterns = [
    path(
        "events/<slug:slug>/",
        cache_for_visitors(views.EventDetailView.as_view(), query=["kind", "tag"]),
        name="event_detail",
    ),
]

urlpatterns = [
    path(
        "events/<slug:event_slug>/sessions/<slug:slug>/",
        cache_for_visitors(views.SessionDetailView.as_view()),
        name="session_detail",
    ),
    path(
        "tags/<slug:slug>/",
        cache_for_visitors(views.TagDetailView.as_view()),
        name="tag_detail",
    ),
    path("search/", cache_for_visitors(views.search_results, query=["q"]), name="search"),
]
