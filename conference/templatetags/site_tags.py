"""What the public pages repeat: dates, avatars and speaker chips (fragments of
conference/fragments.py), the sponsor strip.

Recordings and slide decks are drawn by ``media_embed`` of the ``embeds`` library
(sessions/templatetags/embeds.py).
"""

import datetime
from itertools import groupby
from urllib.parse import urlencode

from django import template
from django.utils.dateformat import format as format_date

from conference.fragments import SHARED_MACROS

register = template.Library()

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


@register.simple_tag
def speaker_avatar(speaker, size="small"):
    """The speaker's photo, or their initials on a colour picked from their id."""
    return SHARED_MACROS["avatar"](speaker, size)


@register.simple_tag
def speaker_chips(speakers):
    """The speakers as links to their pages, each with an avatar."""
    return SHARED_MACROS["speaker_chips"](speakers)


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
def filter_url(path, kind="", tag=""):
    """The event page narrowed to ``kind`` and ``tag`` (``?kind=panel&tag=kvm``), at its
    programme; without either, the whole programme."""
    query = urlencode([(name, value) for name, value in (("kind", kind), ("tag", tag)) if value])
    return f"{path}?{query}#programme" if query else f"{path}#programme"
