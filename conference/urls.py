"""Root URL configuration: the admin and each app's public pages (project wiring: it may name
every app)."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView
from django.views.static import serve

from sessions.feeds import RecordingsAtomFeed, RecordingsFeed
from sessions.sitemaps import ProgrammeDaySitemap, SessionSitemap
from sessions.urls import event_patterns as programme_patterns
from speakers.sitemaps import SpeakerSitemap

from . import event_urls
from .caching import cache_for_visitors
from .sitemaps import EventSitemap

SITEMAPS = {
    "events": EventSitemap,
    "days": ProgrammeDaySitemap,
    "sessions": SessionSitemap,
    "speakers": SpeakerSitemap,
}

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
    # The event list and exports (conference) and the event page, which is its programme
    # (sessions), share the "conference" namespace: conference:event_detail.
    path("", include((event_urls.urlpatterns + programme_patterns, event_urls.app_name))),
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
