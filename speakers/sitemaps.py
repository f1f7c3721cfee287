"""``sitemap.xml``'s speakers: every speaker an anonymous visitor may open (one with a
published session), with ``updated_at`` as ``lastmod``."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap

from .models import Speaker


class SpeakerSitemap(Sitemap):
    def items(self):
        return Speaker.objects.visible_to(AnonymousUser()).order_by("pk")

    def lastmod(self, speaker):
        return speaker.updated_at
