"""Public pages of the conference app: the list of events.

The event page itself is the programme, in ``sessions.urls.event_patterns``; the project's
``urls.py`` puts both in the ``conference`` namespace."""

from django.urls import path

from . import views
from .caching import cache_for_visitors

app_name = "conference"

urlpatterns = [
    path("", cache_for_visitors(views.EventListView.as_view()), name="event_list"),
]
