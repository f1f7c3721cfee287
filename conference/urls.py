"""Root URL configuration: the admin and each app's public pages."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

urlpatterns = [
    path("admin/", admin.site.urls),
    path("speakers/", include("speakers.urls")),
    path("", include("conference.event_urls")),
    path("", include("sessions.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    )
