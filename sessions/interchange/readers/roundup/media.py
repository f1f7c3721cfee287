"""The recordings and slide decks of a post: embed codes and links, whose provider we support
or not, and the embeds that sit outside every session.

Providers are recognised through :mod:`sessions.providers` only (never a second list of them).
"""

from bisect import bisect_right
from html import unescape

from django.core.exceptions import ValidationError

from sessions.interchange.document import MediaItem, Note
from sessions.providers import parse_slides, parse_video

from . import inline


def media_spans(body, start, end):
    """``(offset, kind, value, title)`` for embed codes and URLs from ``start`` to ``end``."""
    region = body.mask[start:end]
    codes = inline.embed_codes(region)
    spans = [(start + code.start, "embed", code.src, code.title) for code in codes]
    region = inline.without_embed_codes(region, lambda code: " " * len(code), codes)
    for match in inline.BARE_URL.finditer(region):
        url = match[0].rstrip(".,;:!?")
        spans.append((start + match.start(), "url", url.replace("&amp;", "&"), ""))
    return sorted(spans)


def has_media(body, start, end):
    return any(
        kind == "embed" or inline.is_media_url(value)
        for _offset, kind, value, _title in media_spans(body, start, end)
    )


def collect_media(body, document, session, start, end):
    """Add the recordings and decks between two offsets to ``session``; note unsupported ones."""
    for offset, kind, value, title in media_spans(body, start, end):
        origin = body.origin_at(offset)
        if kind == "embed":
            if not add_media(session, value, origin, title):
                document.unsupported_embeds.append(unsupported(value, origin))
        else:
            add_media(session, value, origin)


def add_media(session, url, origin, title=""):
    """Add the video or deck at ``url`` to ``session`` once; ``False`` if no provider fits."""
    found = inline.classify_media_url(url)
    if found is None:
        return False
    kind, ref = found
    media = MediaItem(ref.provider, ref.key, ref.url, origin, title)
    target = session.recordings if kind == "video" else session.slide_decks
    for index, known in enumerate(target):
        if known.is_same(media):
            target[index] = known.merged(media)
            return True
    target.append(media)
    return True


def unsupported(src, origin):
    """The note for an embed no provider of ours can show."""
    src = unescape(src or "").strip()
    if not src:
        return Note(origin, "unsupported embed without a src address")
    message = f"unsupported embed from {_site(src) or 'an unreadable address'}"
    reason = _media_error(src)
    return Note(origin, f"{message}: {reason}" if reason else message)


def stray_embeds(body, document, session_ranges):
    """Embeds outside every session: refuse unknown providers, report the others."""
    starts = [start for start, _end in session_ranges]
    for offset, kind, value, _title in media_spans(body, body.body_start, len(body.text)):
        index = bisect_right(starts, offset) - 1
        if kind != "embed" or (index >= 0 and offset < session_ranges[index][1]):
            continue
        origin = body.origin_at(offset)
        if inline.classify_media_url(value) is None:
            document.unsupported_embeds.append(unsupported(value, origin))
        else:
            document.notes.append(
                Note(origin, f"embed outside any session, not imported: {unescape(value)}")
            )


def _site(url):
    """ "player.vimeo.com" -> "vimeo.com"; "www.example.co.uk" -> "example.co.uk"."""
    labels = inline.host_of(url).split(".")
    keep = 3 if len(labels) > 2 and len(labels[-1]) == 2 and len(labels[-2]) <= 3 else 2
    return ".".join(labels[-keep:])


def _media_error(url):
    """Why a YouTube/SlideShare URL cannot be used ("" when the host is simply unknown)."""
    for parse in (parse_video, parse_slides):
        try:
            parse(url)
        except ValidationError as error:
            if error.code != "unsupported":
                return " ".join(error.messages)
        except ValueError:
            return "the address cannot be read"
    return ""
