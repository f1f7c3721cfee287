"""``{% session_cards sessions %}``: session cards, each rendered once per version of what it
shows and kept in the cache, so a page after one edit re-renders one card, not all of them;
``{% programme_rows sessions %}`` does the same for the one-line rows of a big event's page.

A card's key is ``Session.card_version()``: every row the card is drawn from (the session, its
speakers, tags, recordings, decks, room, its event's slug and zone) and what shapes every card (the
markdown rules, the provider table and its settings, the card's templates). Nothing of the
request is in a card (no user, no query string): the agenda star is filled in by the page's
script. One ``get_many`` fetches the cards of the page, one ``set_many`` stores those that
were missing. A draft's card is never stored: only staff see it, so its unpublished text stays
out of the shared cache (and its key would die at publication anyway).
"""

import logging

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import mark_safe

from conference.fragments import SHARED_MACROS, render_fragment
from sessions.models import card_rendering_fingerprint
from sessions.templatetags.embeds import media_embed

logger = logging.getLogger(__name__)
register = template.Library()

CARD_TEMPLATE = "_session_card.html"  # fragments (conference/fragments.py)
ROW_TEMPLATE = "_programme_row.html"
KEY_PREFIX = "session-card"
ROW_KEY_PREFIX = "session-row"


def card_key(session, rendering, prefix=KEY_PREFIX):
    return f"{prefix}:{session.card_version(rendering)}"


def render_card(session):
    """The HTML of one card, drawn from ``session`` alone."""
    return render_fragment(CARD_TEMPLATE, {"session": session, "media_embed": media_embed})


def render_row(session):
    """The HTML of one line of a big event's programme, drawn from ``session`` alone."""
    return render_fragment(ROW_TEMPLATE, {"session": session})


@register.simple_tag
def session_cards(sessions):
    """The cards of ``sessions`` (fetched with ``for_cards()``), one after the other."""
    return cached_fragments(sessions, KEY_PREFIX, render_card)


@register.simple_tag
def programme_rows(sessions):
    """The programme lines of ``sessions`` (fetched with ``for_card_pages()``), cached as
    the cards are, under the same version of each session."""
    return cached_fragments(sessions, ROW_KEY_PREFIX, render_row)


def cached_fragments(sessions, prefix, render):
    """``render(session)`` of each of ``sessions``, taken from the cache where stored under
    ``prefix`` and the session's version, the others rendered and stored (drafts never)."""
    sessions = list(sessions)
    rendering = card_rendering_fingerprint()
    keys = {
        session.pk: card_key(session, rendering, prefix)
        for session in sessions
        if session.is_published
    }
    cached = stored_cards(keys.values()) if keys else {}
    fragments, missing = [], {}
    for session in sessions:
        key = keys.get(session.pk)
        fragment = cached.get(key) if key else None
        if not isinstance(fragment, str):  # missing, or not a fragment (a corrupt cache)
            fragment = render(session)
            if key:
                missing[key] = fragment
        fragments.append(fragment)
    if missing:
        store_cards(missing)
    return mark_safe("".join(fragments))  # each is the output of an autoescaping template


def stored_cards(keys):
    """The cards stored under ``keys``; none when the cache fails (the page renders them)."""
    try:
        return cache.get_many(keys)
    except Exception:
        logger.warning("Cache unavailable: session cards rendered without it", exc_info=True)
        return {}


def store_cards(cards):
    try:
        cache.set_many(cards, settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.warning("Cache unavailable: session cards not stored", exc_info=True)


@register.simple_tag
def kind_badge(session):
    """The session's kind (Keynote, Panel...), drawn for every kind but a talk."""
    return SHARED_MACROS["kind_badge"](session)


@register.simple_tag
def agenda_star(session):
    """The button that adds a timed session to the visitor's agenda (shown by site.js)."""
    return SHARED_MACROS["agenda_star"](session)
