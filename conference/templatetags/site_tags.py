"""Fragments the public pages repeat: dates, avatars, sponsor strip, media embeds.

Recordings and slide decks are drawn through one template per provider (``EMBED_TEMPLATES``),
each a click-to-load poster (``includes/_embed_poster.html``): the page itself asks nothing of
the provider; the player's URL, built from the normalised provider and key, waits in a data
attribute until the visitor asks for it (static/js/site.js).
"""

import datetime
from itertools import groupby
from urllib.parse import urlencode, urlsplit

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.utils.dateformat import format as format_date

register = template.Library()

EMBED_TEMPLATES = {
    "youtube": "includes/_embed_youtube.html",
    "vimeo": "includes/_embed_vimeo.html",
    "peertube": "includes/_embed_peertube.html",
    "slideshare": "includes/_embed_slideshare.html",
    "speakerdeck": "includes/_embed_speakerdeck.html",
    "pdf": "includes/_embed_pdf.html",
}
MEDIA_LINK_TEMPLATE = "includes/_media_link.html"
AVATAR_TONES = 6
EN_DASH = "\N{EN DASH}"


@register.filter
def date_range(event):
    """``23-24 November 2023`` (with an en dash); months or years only where they differ."""
    start, end = event.start_date, event.end_date
    if start is None:
        return ""
    if end is None or end == start:
        return format_date(start, "j F Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}{EN_DASH}{format_date(end, 'j F Y')}"
    if start.year == end.year:
        return f"{format_date(start, 'j F')} {EN_DASH} {format_date(end, 'j F Y')}"
    return f"{format_date(start, 'j F Y')} {EN_DASH} {format_date(end, 'j F Y')}"


@register.filter
def date_of_day(event, number):
    """The date of day ``number`` (1 for the first) of ``event``, or ``None`` when unknown."""
    if event.start_date is None:
        return None
    try:
        return event.start_date + datetime.timedelta(days=int(number) - 1)
    except OverflowError:  # past year 9999: the model refuses such dates, old rows may hold one
        return None


@register.filter
def initials(name):
    """``Rohit Yadav`` -> ``RY``: the placeholder drawn where a speaker has no photo."""
    words = name.split()
    if not words:
        return ""
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][:1] + words[-1][:1]).upper()


@register.inclusion_tag("includes/_avatar.html")
def speaker_avatar(speaker, size="small"):
    """The speaker's photo, or their initials on a colour picked from their id."""
    return {"speaker": speaker, "size": size, "tone": (speaker.pk or 0) % AVATAR_TONES}


@register.inclusion_tag("includes/_speaker_chips.html")
def speaker_chips(speakers):
    return {"speakers": speakers}


@register.inclusion_tag("includes/_sponsor_strip.html")
def sponsor_strip(event):
    """The event's sponsors by tier; tier names are shown only when there is more than one."""
    sponsorships = list(event.sponsorships.for_event_page())
    tiers = [
        (label, list(group))
        for label, group in groupby(sponsorships, key=lambda s: s.get_tier_display())
    ]
    return {"sponsorships": sponsorships, "tiers": tiers, "show_tiers": len(tiers) > 1}


@register.simple_tag
def media_embed(media, title):
    """Draw a recording or slide deck as its provider's click-to-load poster.

    ``title`` is the session's title, shown on the poster and labelling the player's iframe.
    A deck that cannot be embedded (a page URL without the player's id) gets a poster that
    links to it; an unknown provider a plain link.
    """
    template_name = EMBED_TEMPLATES.get(media.provider, MEDIA_LINK_TEMPLATE)
    src = media.embed_url
    context = {
        "media": media,
        "title": title,
        "kind": media._meta.model_name,
        "src": src,
        "src_host": urlsplit(src).hostname or "",
        "link": media.url or src,
        "link_host": urlsplit(media.url or src).hostname or "",
        "speakers": media.session.ordered_speakers,
        # Provider thumbnails are fetched from the provider's host: only when a site opts in.
        "thumbnails": settings.EMBED_THUMBNAILS,
    }
    return get_template(template_name).render(context)


@register.simple_tag
def peertube_instances():
    """The configured PeerTube hosts, space-separated: the page's script loads PeerTube players
    only from these (its allow-list of the other providers' hosts is fixed)."""
    return " ".join(host.lower().rstrip(".") for host in settings.PEERTUBE_INSTANCES)


@register.simple_tag
def filter_url(path, kind="", tag=""):
    """The event page narrowed to ``kind`` and ``tag`` (``?kind=panel&tag=kvm``), at its
    programme; without either, the whole programme."""
    query = urlencode([(name, value) for name, value in (("kind", kind), ("tag", tag)) if value])
    return f"{path}?{query}#programme" if query else f"{path}#programme"
