"""``sitemap.xml``'s events: every published event's page, with ``updated_at`` as ``lastmod``.

Each app lists its own pages (``sessions.sitemaps``, ``speakers.sitemaps``); the project's
``urls.py`` puts them in one sitemap. Each lists exactly what an anonymous visitor may open.
"""

from django.contrib.sitemaps import Sitemap

from .models import Event


class EventSitemap(Sitemap):
    def items(self):
        return Event.objects.published().order_by("pk")

    def lastmod(self, event):
        return event.updated_at
