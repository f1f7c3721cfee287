"""Root URL configuration: the admin and each app's public pages."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView
from django.views.static import serve

from .caching import cache_for_visitors
from .feeds import RecordingsAtomFeed, RecordingsFeed
from .sitemaps import SITEMAPS

# Feeds and the sitemap are plain callables, which would answer any method: GET and HEAD only
# (a POST gets 405, like the class-based pages).
feed_patterns = [
    path(
        "recordings.rss",
        cache_for_visitors(require_safe(RecordingsFeed())),
        name="recordings_rss",
    ),
    path(
        "recordings.atom",
        cache_for_visitors(require_safe(RecordingsAtomFeed())),
        name="recordings_atom",
    ),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "sitemap.xml",
        cache_for_visitors(require_safe(sitemap), query=["p"]),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("speakers/", include("speakers.urls")),
    path("feeds/", include((feed_patterns, "feeds"))),
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
