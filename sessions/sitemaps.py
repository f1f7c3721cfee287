"""``sitemap.xml``'s sessions: every published session's page (drafts never), with
``updated_at`` as ``lastmod``."""

from django.contrib.sitemaps import Sitemap

from .models import Session


class SessionSitemap(Sitemap):
    def items(self):
        return Session.objects.published().select_related("event").order_by("pk")

    def lastmod(self, session):
        return session.updated_at
