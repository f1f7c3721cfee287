"""``{% media_embed recording session.title %}``: a recording or slide deck, drawn by its provider.

Each provider of the table in :mod:`sessions.providers` has one poster fragment
(``templates/fragments/_embed_<provider>.html``, a template of the fragments engine of
:mod:`conference.fragments`), a click-to-load poster (``_embed_poster.html``):
the page itself asks nothing of the provider; the player's URL, built from the normalised
provider and key, waits in a data attribute with the provider's player hosts until the visitor
asks for it (static/js/site.js loads it only from those hosts).
"""

from urllib.parse import urlsplit

from django import template
from django.conf import settings

from conference.fragments import render_fragment

register = template.Library()

MEDIA_LINK_TEMPLATE = "_media_link.html"


@register.simple_tag
def media_embed(media, title):
    """Draw a recording or slide deck as its provider's click-to-load poster.

    ``title`` is the session's title, shown on the poster and labelling the player's iframe.
    A deck that cannot be embedded (a page URL without the player's id) gets a poster that
    links to it; a provider not in the table a plain link.
    """
    provider = media.provider_entry
    src = media.embed_url
    context = {
        "media": media,
        "title": title,
        "kind": media._meta.model_name,
        "src": src,
        "src_host": urlsplit(src).hostname or "",
        "provider": provider,
        "player_hosts": " ".join(provider.hosts()) if provider else "",
        "link": media.url or src,
        "link_host": urlsplit(media.url or src).hostname or "",
        "speakers": media.session.ordered_speakers,
        # Provider thumbnails are fetched from the provider's host: only when a site opts in.
        "thumbnails": settings.EMBED_THUMBNAILS,
        "thumbnail": media.thumbnail_url,
    }
    template_name = provider.template if provider else MEDIA_LINK_TEMPLATE
    return render_fragment(template_name, context)
