"""The speakers' pages mounted elsewhere (tests/conference/test_paths.py)."""

from django.urls import include, path

urlpatterns = [path("people/", include("speakers.urls"))]
