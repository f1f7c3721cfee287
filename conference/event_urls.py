"""Public pages of the conference app: the list of events and each event's roundup."""

from django.urls import path

from . import views

app_name = "conference"

urlpatterns = [
    path("", views.EventListView.as_view(), name="event_list"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event_detail"),
]
