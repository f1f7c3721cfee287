"""Fragments the public pages repeat: dates, avatars, sponsor strip, media embeds.

Recordings and slide decks are drawn through one template per provider (``EMBED_TEMPLATES``),
so only the iframes written there can reach a page, and changing how one provider is shown
(say, a click-to-load poster) means editing one small template.
"""

import datetime
from itertools import groupby

from django import template
from django.template.loader import get_template
from django.utils.dateformat import format as format_date

register = template.Library()

EMBED_TEMPLATES = {
    "youtube": "includes/_embed_youtube.html",
    "slideshare": "includes/_embed_slideshare.html",
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
    return event.start_date + datetime.timedelta(days=int(number) - 1)


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
    """Draw a recording or slide deck with its provider's template, or as a plain link.

    ``title`` is the session's title: iframes are labelled with it for screen readers.
    """
    template_name = EMBED_TEMPLATES.get(media.provider, MEDIA_LINK_TEMPLATE)
    if not media.embed_url:
        template_name = MEDIA_LINK_TEMPLATE
    context = {"media": media, "title": title, "kind": media._meta.model_name}
    return get_template(template_name).render(context)
