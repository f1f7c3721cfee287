"""Public pages of sessions: one session within its event, and sessions by tag."""

from django.urls import path

from . import views

app_name = "talks"

urlpatterns = [
    path(
        "events/<slug:event_slug>/sessions/<slug:slug>/",
        views.SessionDetailView.as_view(),
        name="session_detail",
    ),
    path("tags/<slug:slug>/", views.TagDetailView.as_view(), name="tag_detail"),
    path("search/", views.search_results, name="search"),
]
