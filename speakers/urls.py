"""Public pages of speakers: the A to Z index and one page per speaker."""

from django.urls import path

from conference.caching import cache_for_visitors

from . import views

app_name = "speakers"

urlpatterns = [
    path("", cache_for_visitors(views.SpeakerListView.as_view()), name="list"),
    path("<slug:slug>/", cache_for_visitors(views.SpeakerDetailView.as_view()), name="detail"),
]
