"""What search engines and link previews read: absolute URLs, plain text and JSON-LD.

JSON-LD sits inside ``<script type="application/ld+json">``, where the HTML parser looks only
for ``</script>``: entities are not decoded there, so HTML escaping would corrupt the JSON and
is no protection. Instead ``<``, ``>`` and ``&`` are written as JSON's ``\\u003c`` escapes
(as Django's ``json_script`` does), so no text an organiser typed can close the element, and
the JSON still parses to exactly what they typed.
"""

import json
from functools import lru_cache
from html import unescape

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import prefetch_related_objects
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from conference.markup import render_markdown, rules_fingerprint

register = template.Library()

SCHEMA_ORG = "https://schema.org"
DESCRIPTION_WORDS = 60
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


@register.filter
def plain_text(markdown):
    """Markdown as the plain text a reader sees: no tags, entities decoded (not safe HTML)."""
    return _plain_text(markdown or "", rules_fingerprint())


# A page asks for the same text two or three times (meta description, link preview, JSON-LD)
# and every page of an event for its summary: the text and the markdown rules decide the
# result, so the last few are kept under both.
@lru_cache(maxsize=256)
def _plain_text(markdown, rules):
    return " ".join(unescape(strip_tags(render_markdown(markdown))).split())


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The absolute URL of this page, without its query string."""
    request = context["request"]
    return request.build_absolute_uri(request.path)


@register.simple_tag(takes_context=True)
def absolute_url(context, location):
    """``location`` (a path, a URL or a file such as ``event.banner``) as an absolute URL."""
    if not location:
        return ""
    return context["request"].build_absolute_uri(getattr(location, "url", location))


def json_ld_script(data):
    """``data`` serialised into a ``<script type="application/ld+json">`` element."""
    serialised = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(  # every <, > and & of the data is a JSON escape: nothing can end the script
        f'<script type="application/ld+json">{serialised.translate(JSON_SCRIPT_ESCAPES)}</script>'
    )


def _description(markdown):
    return Truncator(plain_text(markdown)).words(DESCRIPTION_WORDS)


def _without_empty(data):
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _person(request, speaker):
    return _without_empty(
        {
            "@type": "Person",
            "name": speaker.name,
            "url": request.build_absolute_uri(speaker.get_absolute_url()),
            "image": request.build_absolute_uri(speaker.photo.url) if speaker.photo else None,
            "worksFor": {"@type": "Organization", "name": speaker.company}
            if speaker.company
            else None,
            "sameAs": [link.url for link in speaker.links.all()],
        }
    )


def _video(recording, session, session_url):
    # The provider's thumbnail, as on the poster: only when the site shows thumbnails.
    thumbnail = recording.thumbnail_url if getattr(settings, "EMBED_THUMBNAILS", False) else None
    return _without_empty(
        {
            "@type": "VideoObject",
            "name": recording.title or session.title,
            "description": _description(session.description) or session.title,
            "url": recording.url,
            # A video file is the content itself; any other recording plays in its player.
            "contentUrl": recording.content_url,
            "embedUrl": None if recording.content_url else recording.embed_url,
            "thumbnailUrl": thumbnail,
            "uploadDate": recording.created_at,
            "isPartOf": {"@type": "WebPage", "url": session_url},
        }
    )


@register.simple_tag(takes_context=True)
def event_json_ld(context, event):
    """A schema.org ``Event`` for the event page."""
    request = context["request"]
    address = _without_empty(
        {"@type": "PostalAddress", "addressLocality": event.city, "addressCountry": event.country}
    )
    location = None
    if event.venue or len(address) > 1:
        location = _without_empty(
            {"@type": "Place", "name": event.venue or event.location, "address": address}
        )
    return json_ld_script(
        _without_empty(
            {
                "@context": SCHEMA_ORG,
                "@type": "Event",
                "name": event.name,
                "description": _description(event.summary),
                "url": request.build_absolute_uri(event.get_absolute_url()),
                "startDate": event.start_date,
                "endDate": event.end_date or event.start_date,
                "eventAttendanceMode": f"{SCHEMA_ORG}/OfflineEventAttendanceMode",
                "eventStatus": f"{SCHEMA_ORG}/EventScheduled",
                "location": location,
                "image": request.build_absolute_uri(event.banner.url) if event.banner else None,
                "sameAs": event.website,
            }
        )
    )


@register.simple_tag(takes_context=True)
def session_json_ld(context, session, speakers):
    """A ``VideoObject`` per recording of the session and a ``Person`` per speaker."""
    request = context["request"]
    prefetch_related_objects(speakers, "links")  # one query for every speaker's profiles
    session_url = request.build_absolute_uri(session.get_absolute_url())
    graph = [_video(recording, session, session_url) for recording in session.recordings.all()]
    graph += [_person(request, speaker) for speaker in speakers]
    if not graph:
        return ""
    return json_ld_script({"@context": SCHEMA_ORG, "@graph": graph})


@register.simple_tag(takes_context=True)
def speaker_json_ld(context, speaker):
    """A schema.org ``Person`` for the speaker's page."""
    return json_ld_script({"@context": SCHEMA_ORG, **_person(context["request"], speaker)})
