"""Public pages of the conference app: the list of events and each event's roundup."""

from django.urls import path

from . import views
from .caching import cache_for_visitors

app_name = "conference"

urlpatterns = [
    path("", cache_for_visitors(views.EventListView.as_view()), name="event_list"),
    path(
        "events/<slug:slug>/",
        cache_for_visitors(views.EventDetailView.as_view(), query=["kind", "tag"]),
        name="event_detail",
    ),
]
