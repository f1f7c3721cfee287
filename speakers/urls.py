"""Public pages of speakers: the A to Z index and one page per speaker."""

from django.urls import path

from . import views

app_name = "speakers"

urlpatterns = [
    path("", views.SpeakerListView.as_view(), name="list"),
    path("<slug:slug>/", views.SpeakerDetailView.as_view(), name="detail"),
]
