"""``sitemap.xml``: every public page of an event, a session or a speaker, for search engines.

Like ``conference/urls.py`` this is project wiring, so it names the other apps' models; it lists
exactly what an anonymous visitor may open (drafts never), with ``updated_at`` as ``lastmod``.
"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap

from sessions.models import Session
from speakers.models import Speaker

from .models import Event


class EventSitemap(Sitemap):
    def items(self):
        return Event.objects.published().order_by("pk")

    def lastmod(self, event):
        return event.updated_at


class SessionSitemap(Sitemap):
    def items(self):
        return Session.objects.published().select_related("event").order_by("pk")

    def lastmod(self, session):
        return session.updated_at


class SpeakerSitemap(Sitemap):
    def items(self):
        return Speaker.objects.visible_to(AnonymousUser()).order_by("pk")

    def lastmod(self, speaker):
        return speaker.updated_at


SITEMAPS = {"events": EventSitemap, "sessions": SessionSitemap, "speakers": SpeakerSitemap}
