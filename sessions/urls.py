"""Public page of one session, addressed within its event."""

from django.urls import path

from . import views

app_name = "talks"

urlpatterns = [
    path(
        "events/<slug:event_slug>/sessions/<slug:slug>/",
        views.SessionDetailView.as_view(),
        name="session_detail",
    ),
]
