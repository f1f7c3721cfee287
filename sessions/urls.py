"""Public pages of sessions: one session within its event, and sessions by tag."""

from django.urls import path

from conference.caching import cache_for_visitors

from . import views

app_name = "talks"

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
