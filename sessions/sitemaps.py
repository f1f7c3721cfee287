"""``sitemap.xml``'s programme pages: every published session's page (drafts never), with
``updated_at`` as ``lastmod``, and the day pages of the events too big for one page."""

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from operator import itemgetter

from django.contrib.sitemaps import Sitemap
from django.db.models import Count, Max

from .models import Session
from .programme import day_url, is_big, part_sizes


class SessionSitemap(Sitemap):
    def items(self):
        return Session.objects.published().select_related("event").order_by("pk")

    def lastmod(self, session):
        return session.updated_at


@dataclass(frozen=True)
class DayPageEntry:
    href: str
    updated_at: datetime


class ProgrammeDaySitemap(Sitemap):
    """Every part of every day page of each published event too big for one page
    (``programme.is_big``), with its day's latest change as ``lastmod``. A smaller event's
    day pages repeat its event page (their canonical link names it): they are not listed."""

    def items(self):
        days = (
            Session.objects.published()
            .order_by()
            .values_list("event__slug", "day")
            .annotate(count=Count("pk"), updated_at=Max("updated_at"))
            .order_by("event__slug", "day")
        )
        entries = []
        for slug, event_days in groupby(days, key=itemgetter(0)):
            event_days = list(event_days)
            if not is_big(sum(count for _, _, count, _ in event_days)):
                continue
            for _, day, count, updated_at in event_days:
                entries += [
                    DayPageEntry(day_url(slug, day, part), updated_at)
                    for part in range(1, len(part_sizes(count)) + 1)
                ]
        return entries

    def location(self, entry):
        return entry.href

    def lastmod(self, entry):
        return entry.updated_at
