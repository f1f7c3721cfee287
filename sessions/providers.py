"""Every video and slides provider the site accepts, in one table: :data:`PROVIDERS`.

An organiser may paste a share link, a watch page, an embed URL or a whole ``<iframe>``
snippet. Everything is reduced to a :class:`MediaRef`: the provider, the provider's id or
key, and a canonical URL. Embed HTML is never stored: the player's URL is built from the
provider and key, so only hosts listed here can ever end up in a page.

A provider is one :class:`Provider` entry in :data:`PROVIDERS` and one poster template,
``templates/fragments/_embed_<value>.html``. The model choices, the models' field validators,
the importer, the poster templates and the page script (through the poster's data
attributes), the Content-Security-Policy, the JSON-LD and the roundup writer all read the
entry. This module imports no models: ``conference/settings.py`` imports it to build the CSP.

Most players are another site's page in an iframe (the CSP's ``frame-src``). A video file is
played by our own ``<video>`` element instead, from a host listed in ``VIDEO_FILE_HOSTS`` (the
CSP's ``media-src``); a file on any other host is refused with a message naming the setting.
A link to a file is a file whoever serves it, so the file providers come first in the table.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qs, quote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

VIDEO = "video"
SLIDES = "slides"

# Where a provider's player runs, and so which CSP directive its hosts are added to.
IFRAME = "iframe"  # the provider's player page in an <iframe>: frame-src
VIDEO_ELEMENT = "video"  # the file itself in our own <video controls>: media-src


@dataclass(frozen=True)
class MediaRef:
    """A pasted video or slides link, recognised: provider value, key and canonical URL."""

    provider: str
    key: str
    url: str


@dataclass(frozen=True)
class Provider:
    """Everything the site knows about one video or slides host.

    ``parse(url)`` recognises a link (after :func:`extract_src`): ``(key, canonical_url)``,
    ``None`` when the link is not this provider's, ``ValidationError`` when it is but names no
    single video or deck; ``None`` for a provider nobody pastes a link of (an uploaded PDF).
    The other functions take the stored key: ``embed`` gives the player's URL (``""`` when
    that key cannot be embedded), ``thumbnail`` a poster image, ``post_embed`` the iframe
    src a roundup post writes (``""``: the post writes a link instead). ``plays_in`` says
    whether ``embed`` URLs are a player page for an iframe or the file for our own ``<video>``.
    """

    value: str  # stored in the models' ``provider`` field
    label: str
    medium: str  # VIDEO or SLIDES
    parse: Callable[[str], tuple[str, str] | None] | None = None
    embed: Callable[[str], str] | None = None
    # The hosts ``embed`` URLs are on: the page script and the CSP allow only these.
    embed_hosts: tuple[str, ...] = ()
    # A federated provider: links and players only on the hosts this list setting names.
    instances_setting: str = ""
    thumbnail: Callable[[str], str] | None = None
    thumbnail_hosts: tuple[str, ...] = ()
    post_embed: Callable[[str], str] | None = None
    # False: roundup posts leave it out (an uploaded file has no address a post could name).
    in_posts: bool = True
    plays_in: str = IFRAME  # or VIDEO_ELEMENT

    @property
    def template(self):
        """The poster template that draws this provider's recordings or decks."""
        return f"_embed_{self.value}.html"

    def hosts(self, config=None):
        """The player's hosts, lower-case; a federated provider's from ``config`` (a mapping
        of setting names, as ``conference/settings.py`` passes) or else from the settings."""
        if not self.instances_setting:
            return self.embed_hosts
        if config is None:
            instances = getattr(settings, self.instances_setting, [])
        else:
            instances = config.get(self.instances_setting, [])
        return (*self.embed_hosts, *(host.lower().rstrip(".") for host in instances))

    def embed_url(self, key):
        """The player's URL for ``key``, or ``""``: not embeddable, or not on :meth:`hosts`
        (a PeerTube video whose instance is no longer configured is shown as a link)."""
        url = self.embed(key) if self.embed else ""
        if url and (urlsplit(url).hostname or "") not in self.hosts():
            return ""
        return url

    def thumbnail_url(self, key):
        return self.thumbnail(key) if self.thumbnail else ""

    def post_embed_src(self, key):
        """The src of the iframe a roundup post embeds, or ``None``: the post writes a link."""
        return (self.post_embed(key) if self.post_embed else "") or None


YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "music.youtube.com",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
}
YOUTUBE_PATH_PREFIXES = ("embed", "shorts", "live", "v", "e")

SLIDESHARE_HOST = re.compile(r"^(?:(?:www|[a-z]{2})\.)?slideshare\.net$")
SLIDESHARE_KEY = re.compile(r"^[A-Za-z0-9]{8,32}$")
SLIDESHARE_NUMERIC_ID = re.compile(r"^[0-9]{4,15}$")
SLIDESHARE_SLUG = re.compile(r"^[A-Za-z0-9_.%-]+$")
# Pages under these first path segments are never a single slideshow.
SLIDESHARE_RESERVED = {"slideshow", "search", "login", "upload", "category", "featured", "api"}

VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
VIMEO_ID = re.compile(r"^[0-9]{1,12}$")
VIMEO_HASH = re.compile(r"^[0-9a-f]{6,20}$")

# PeerTube video ids: a UUID (``/videos/watch/``) or its short base58 form (``/w/``).
PEERTUBE_ID = re.compile(
    r"^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"|[1-9A-HJ-NP-Za-km-z]{16,24})$"
)

SPEAKERDECK_HOSTS = {"speakerdeck.com", "www.speakerdeck.com"}
SPEAKERDECK_PLAYER_ID = re.compile(r"^[0-9a-f]{32}$")
SPEAKERDECK_SLUG = re.compile(r"^[A-Za-z0-9_-]{1,100}$")
# Speaker Deck pages under these first segments are never a user's deck.
SPEAKERDECK_RESERVED = {"player", "p", "c", "search", "signin", "signup", "features", "pro"}

MEDIA_CCC_HOST = "media.ccc.de"
# A talk's slug on media.ccc.de (``38c3-12345-the_talk``): URL-safe characters, percent escapes.
MEDIA_CCC_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~%-]{0,199}$")
# What may follow the slug: the embeddable player; anything else is not one talk.
MEDIA_CCC_SUBPAGES = {"oembed"}

# Video files browsers play in a <video> element, by extension, with the type the <source>
# states (so a browser skips one it cannot play without fetching it). Not .mkv or .avi: most
# browsers cannot play Matroska or AVI, so such links stay plain links.
VIDEO_FILE_TYPES = {
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".webm": "video/webm",
    ".ogv": "video/ogg",
}
# Further sources of one recording (the .webm beside the .mp4): a few containers, not a list.
MAX_ALTERNATE_SOURCES = 4
# A PDF linked from anywhere is a slide deck, opened by a link (never framed from its host).
PDF_EXTENSION = ".pdf"
# The characters a file's path keeps as they are; anything else (a space, non-ASCII) is escaped.
PATH_SAFE = "/%:@!$&'()*+,;=-._~"

MAX_INPUT_LENGTH = 4000
# The longest provider key stored (``provider_key``): page slugs can be longer than any real one.
MAX_KEY_LENGTH = 200


SPEAKERDECK_SCRIPT_CLASS = "speakerdeck-embed"
# What SlideShare and Vimeo put after their iframe in the embed code they hand out:
# "<div><strong><a href=deck>Title</a></strong> from <strong><a href=user>User</a></strong></div>"
# and "<p><a href=video>Title</a> from <a href=user>User</a> on <a href=vimeo>Vimeo</a>.</p>".
EMBED_ATTRIBUTION = re.compile(
    r"[ \t]*\n?[ \t]*<(?P<wrap>div|p)\b[^<>]*>\s*(?:<strong>\s*)?"
    r"<a\b[^<>]*?\bhref\s*=\s*(?P<q>[\"'])(?P<url>[^\"'<>]*)(?P=q)[^<>]*>(?P<title>[^<]*)</a\s*>"
    r"\s*(?:</strong>\s*)?from\s*(?:<strong>\s*)?<a\b[^<>]*>[^<]*</a\s*>\s*(?:</strong>\s*)?"
    r"(?:on\s*<a\b[^<>]*>[^<]*</a\s*>\s*\.?\s*)?</(?P=wrap)\s*>",
    re.IGNORECASE,
)


class _EmbedCodeParser(HTMLParser):
    """The player address in an embed code: an iframe's src, or the player of Speaker Deck's
    ``<script class="speakerdeck-embed" data-id="...">``."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.src = None

    def handle_starttag(self, tag, attrs):
        if self.src is not None:
            return
        attrs = dict(attrs)
        if tag == "iframe":
            self.src = attrs.get("src") or ""
        elif tag == "script" and SPEAKERDECK_SCRIPT_CLASS in (attrs.get("class") or "").split():
            self.src = speakerdeck_script_player(attrs.get("data-id"))


def speakerdeck_script_player(data_id):
    """The player URL of Speaker Deck's script embed, whose ``data-id`` names the deck."""
    return f"https://speakerdeck.com/player/{(data_id or '').strip()}"


def extract_src(value):
    """Return the player URL inside an embed code snippet, or the trimmed value itself."""
    value = (value or "").strip()
    if len(value) > MAX_INPUT_LENGTH:
        raise ValidationError("That is too long to be a video or slide link.", code="too_long")
    if value.startswith("<"):
        parser = _EmbedCodeParser()
        parser.feed(value)
        parser.close()
        if not parser.src:
            raise ValidationError(
                "Paste a link or an <iframe> embed code with a src attribute.", code="no_src"
            )
        value = parser.src.strip()
    # A URL copied from HTML source keeps its entities ("&amp;").
    return unescape(value)


def embed_code_title(value):
    """The title SlideShare's or Vimeo's embed code names after its iframe, or ""."""
    value = (value or "").strip()
    end = re.search(r"</iframe\s*>", value, re.IGNORECASE)
    found = EMBED_ATTRIBUTION.match(value, end.end()) if end else None
    return attribution_title(found) if found else ""


def attribution_title(match):
    """The title of an :data:`EMBED_ATTRIBUTION` match, as plain text."""
    text = "".join(c for c in unescape(match["title"]) if unicodedata.category(c) != "Cc")
    return " ".join(text.split())[:300]


def _split(url):
    if url.startswith("//"):
        url = "https:" + url
    elif "://" not in url and re.match(r"^[\w.-]+\.[a-z]{2,}/", url, re.IGNORECASE):
        url = "https://" + url
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:  # e.g. "https://[x" or a port that is not a number
        raise ValidationError("That link is malformed.", code="malformed") from error
    if parts.scheme and parts.scheme not in ("http", "https"):
        raise ValidationError("Only http and https links are accepted.", code="scheme")
    if not parts.scheme or not parts.netloc:
        raise ValidationError(
            "Enter a full link starting with https://, or an <iframe> embed code.",
            code="not_a_url",
        )
    if parts.username or parts.password or port not in (None, 80, 443):
        raise ValidationError("That link has an unusual host part.", code="host")
    return parts, (parts.hostname or "").lower().rstrip(".")


def parse_youtube(url):
    """Return ``(key, canonical URL)`` of a YouTube URL, or ``None`` if it is not YouTube."""
    parts, host = _split(url)
    segments = [s for s in parts.path.split("/") if s]
    video_id = None
    if host == "youtu.be":
        video_id = segments[0] if segments else None
    elif host in YOUTUBE_HOSTS:
        if segments[:1] == ["watch"] or parts.path in ("", "/"):
            video_id = (parse_qs(parts.query).get("v") or [None])[0]
        elif len(segments) >= 2 and segments[0] in YOUTUBE_PATH_PREFIXES:
            video_id = segments[1]
    else:
        return None
    if not video_id or not YOUTUBE_ID.match(video_id):
        raise ValidationError(
            "This YouTube link does not name a single video (expected an 11-character id).",
            code="youtube_id",
        )
    return video_id, f"https://www.youtube.com/watch?v={video_id}"


def parse_vimeo(url):
    """Return ``(key, canonical URL)`` of a Vimeo URL, or ``None`` if it is not Vimeo.

    The key is the numeric video id, followed by ``/<hash>`` for an unlisted video (whose
    player needs that hash).
    """
    parts, host = _split(url)
    if host not in VIMEO_HOSTS:
        return None
    segments = [s for s in parts.path.split("/") if s]
    video_id = video_hash = None
    if host == "player.vimeo.com":
        if len(segments) == 2 and segments[0] == "video":
            video_id = segments[1]
            video_hash = (parse_qs(parts.query).get("h") or [None])[0]
    elif segments[:1] == ["channels"] and len(segments) == 3:
        video_id = segments[2]
    elif len(segments) in (1, 2):
        video_id, video_hash = segments[0], (segments[1:] or [None])[0]
    if (
        not video_id
        or not VIMEO_ID.match(video_id)
        or not (video_hash is None or VIMEO_HASH.match(video_hash))
    ):
        raise ValidationError(
            "This Vimeo link does not name a single video (expected a numeric id).",
            code="vimeo_id",
        )
    key = f"{video_id}/{video_hash}" if video_hash else video_id
    return key, f"https://vimeo.com/{key}"


def peertube_instances():
    """The PeerTube hosts this site accepts videos from (``PEERTUBE_INSTANCES``), lower-case."""
    return set(PROVIDERS["peertube"].hosts())


def parse_peertube(url):
    """Return ``(key, canonical URL)`` of a video on a configured PeerTube instance, or ``None``.

    PeerTube is federated: any host may run it, so only the instances listed in
    ``settings.PEERTUBE_INSTANCES`` are recognised. The key is ``<instance>/<video id>``.
    """
    parts, host = _split(url)
    if host not in peertube_instances():
        return None
    segments = [s for s in parts.path.split("/") if s]
    video_id = None
    if len(segments) == 2 and segments[0] == "w":
        video_id = segments[1]
    elif len(segments) == 3 and segments[:2] in (["videos", "watch"], ["videos", "embed"]):
        video_id = segments[2]
    if not video_id or not PEERTUBE_ID.match(video_id):
        raise ValidationError(
            "This PeerTube link does not name a single video (expected /w/<id>).",
            code="peertube_id",
        )
    return f"{host}/{video_id}", f"https://{host}/w/{video_id}"


def parse_media_ccc(url):
    """Return ``(key, canonical URL)`` of a talk on media.ccc.de, or ``None`` if it is not one.

    A talk page is ``/v/<slug>`` (a ``#t=`` start time or a query is dropped), its player
    ``/v/<slug>/oembed``. The key is the slug.
    """
    parts, host = _split(url)
    if host != MEDIA_CCC_HOST:
        return None
    segments = [s for s in parts.path.split("/") if s]
    slug = None
    if segments[:1] == ["v"] and (
        len(segments) == 2 or (len(segments) == 3 and segments[2] in MEDIA_CCC_SUBPAGES)
    ):
        slug = segments[1]
    if not slug or not MEDIA_CCC_SLUG.match(slug):
        raise ValidationError(
            "This media.ccc.de link does not name a single talk (expected /v/<talk>).",
            code="media_ccc_slug",
        )
    return slug, f"https://{MEDIA_CCC_HOST}/v/{slug}"


def video_file_hosts():
    """The hosts whose video files this site plays (``VIDEO_FILE_HOSTS``), lower-case."""
    return set(PROVIDERS["videofile"].hosts())


def video_file_type(url):
    """The MIME type of a video file browsers play (by the path's extension), or ``""``."""
    path = urlsplit(url).path.lower()
    return next((kind for ext, kind in VIDEO_FILE_TYPES.items() if path.endswith(ext)), "")


def video_file_host(url):
    """The host of a link to a video file browsers play, listed or not, else ``None``.

    For the importer, which keeps a file on a host not in ``VIDEO_FILE_HOSTS`` as a plain link
    and says once per host which setting would play them. Never raises.
    """
    try:
        parts, host = _split(extract_src(url))
    except ValidationError:
        return None
    if not host or not video_file_type(parts.path):
        return None
    return host


def _file_key(parts, host):
    """``host/path?query`` of a file link, its path escaped: the key of a file provider."""
    path = quote(parts.path, safe=PATH_SAFE)
    query = quote(parts.query, safe=PATH_SAFE + "?")
    key = f"{host}{path}" + (f"?{query}" if query else "")
    if len(key) > MAX_KEY_LENGTH:
        raise ValidationError(
            "That file's address is too long: at most %(max)d characters are kept.",
            code="too_long",
            params={"max": MAX_KEY_LENGTH},
        )
    return key


def parse_video_file(url):
    """Return ``(key, canonical URL)`` of a video file on a ``VIDEO_FILE_HOSTS`` host, or
    ``None`` if the link is not to a video file.

    A video file on any other host is refused with the setting to change. The canonical URL
    is https (a page served over https cannot play a file over http); the key is the URL
    without its scheme and fragment.
    """
    parts, host = _split(url)
    if not video_file_type(parts.path):
        return None
    if host not in video_file_hosts():
        raise ValidationError(
            "Video files on %(host)s are not played here: add the host to VIDEO_FILE_HOSTS.",
            code="video_file_host",
            params={"host": host},
        )
    key = _file_key(parts, host)
    return key, f"https://{key}"


def video_file_player(key):
    return f"https://{key}"


def parse_alternate_sources(ref, urls):
    """The canonical URLs of the further sources of the video ``ref`` (a :class:`MediaRef`).

    Only a video file has further sources, and each must be a video file this site plays
    (the same host rules as the recording's own link). The recording's own URL and repeats
    are dropped. Raises ``ValidationError`` naming the first bad link.
    """
    if not isinstance(urls, list | tuple) or not all(isinstance(url, str) for url in urls):
        raise ValidationError("Give further sources as a list of links.", code="invalid")
    if not urls:
        return []
    if PROVIDERS[ref.provider].plays_in != VIDEO_ELEMENT:
        raise ValidationError(
            "Only a video file has further sources (the same video in another format): "
            "%(provider)s plays its own.",
            code="alternate_not_file",
            params={"provider": PROVIDERS[ref.provider].label},
        )
    canonical = []
    for url in urls:
        try:
            found = parse_video_file(extract_src(url))
        except ValidationError as error:
            raise ValidationError(f"{url}: {error.messages[0]}", code=error.code) from error
        if found is None:
            raise ValidationError(
                "%(url)s is not a video file (%(types)s).",
                code="alternate_not_file",
                params={"url": url, "types": ", ".join(VIDEO_FILE_TYPES)},
            )
        canonical.append(found[1])
    alternates = [url for url in dict.fromkeys(canonical) if url != ref.url]
    if len(alternates) > MAX_ALTERNATE_SOURCES:
        raise ValidationError(
            "At most %(max)d further sources of one video.",
            code="too_many",
            params={"max": MAX_ALTERNATE_SOURCES},
        )
    return alternates


def video_sources(urls):
    """``[(url, type)]`` of the video files among ``urls`` on hosts played here, in order: the
    ``<source>`` elements of one recording's ``<video>``."""
    hosts = video_file_hosts()
    return [
        (url, video_file_type(url))
        for url in urls
        if (urlsplit(url).hostname or "") in hosts and video_file_type(url)
    ]


def parse_pdf_link(url):
    """Return ``(key, canonical URL)`` of a link to a PDF file on any host, or ``None``.

    The deck is opened by a link, never framed, so no host needs trusting. The key is the URL
    without its scheme and fragment; the canonical URL keeps the scheme given.
    """
    parts, host = _split(url)
    if not parts.path.lower().endswith(PDF_EXTENSION):
        return None
    key = _file_key(parts, host)
    return key, f"{parts.scheme}://{key}"


def parse_slideshare(url):
    """Return ``(key, canonical URL)`` of a SlideShare URL, or ``None`` if it is not SlideShare.

    The key is one of: an embed key (``embed_code/key/<key>``), a numeric slideshow id
    (``embed_code/<id>`` or ``/slideshow/<title>/<id>``), or ``<user>/<title>`` for a classic
    slideshow page, which SlideShare cannot embed without its API and is shown as a link.
    """
    parts, host = _split(url)
    if not SLIDESHARE_HOST.match(host):
        return None
    segments = [s for s in parts.path.split("/") if s]
    key = None
    if segments[:3] == ["slideshow", "embed_code", "key"] and len(segments) >= 4:
        if SLIDESHARE_KEY.match(segments[3]):
            key = segments[3]
    elif (segments[:2] == ["slideshow", "embed_code"] and len(segments) >= 3) or (
        segments[:1] == ["slideshow"] and len(segments) == 3
    ):
        if SLIDESHARE_NUMERIC_ID.match(segments[2]):
            key = segments[2]
    elif (
        len(segments) == 2
        and segments[0].lower() not in SLIDESHARE_RESERVED
        and all(SLIDESHARE_SLUG.match(s) for s in segments)
    ):
        key = "/".join(segments)
    if key is None:
        raise ValidationError(
            "This SlideShare link does not point at one slide deck.", code="slideshare_key"
        )
    return key, slideshare_page_url(key)


def slideshare_page_url(key):
    if "/" in key:
        return f"https://www.slideshare.net/{key}"
    if key.isdigit():
        return f"https://www.slideshare.net/slideshow/embed_code/{key}"
    return f"https://www.slideshare.net/slideshow/embed_code/key/{key}"


def parse_speakerdeck(url):
    """Return ``(key, canonical URL)`` of a Speaker Deck URL, or ``None`` if it is not one.

    The key is the player id (``/player/<id>``, 32 hex digits), which can be embedded, or
    ``<user>/<slug>`` for a deck's page: its player needs the deck's data-id, which the page
    URL does not give, so such decks are shown as a link.
    """
    parts, host = _split(url)
    if host not in SPEAKERDECK_HOSTS:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if segments[:1] == ["player"] and len(segments) == 2:
        if SPEAKERDECK_PLAYER_ID.match(segments[1]):
            key = segments[1]
            return key, speakerdeck_page_url(key)
    elif (
        len(segments) == 2
        and segments[0].lower() not in SPEAKERDECK_RESERVED
        and all(SPEAKERDECK_SLUG.match(s) for s in segments)
    ):
        key = "/".join(segments)
        return key, speakerdeck_page_url(key)
    raise ValidationError(
        "This Speaker Deck link does not point at one slide deck.", code="speakerdeck_key"
    )


def speakerdeck_page_url(key):
    if "/" in key:
        return f"https://speakerdeck.com/{key}"
    return f"https://speakerdeck.com/player/{key}"


def youtube_player(key):
    return f"https://www.youtube-nocookie.com/embed/{key}"


def youtube_thumbnail(key):
    return f"https://i.ytimg.com/vi/{key}/hqdefault.jpg"


def youtube_post_embed(key):
    return f"https://www.youtube.com/embed/{key}"


def vimeo_player(key):
    video_id, _, video_hash = key.partition("/")
    hash_param = f"h={video_hash}&" if video_hash else ""
    return f"https://player.vimeo.com/video/{video_id}?{hash_param}dnt=1"


def peertube_player(key):
    host, _, video_id = key.partition("/")
    return f"https://{host}/videos/embed/{video_id}"


def media_ccc_player(key):
    return f"https://{MEDIA_CCC_HOST}/v/{key}/oembed"


def slideshare_player(key):
    """A deck named by its page (``<user>/<title>``) has no player URL: it is shown as a link."""
    return "" if "/" in key else slideshare_page_url(key)


def speakerdeck_player(key):
    """A deck named by its page (``<user>/<slug>``) has no player URL: it is shown as a link."""
    return "" if "/" in key else speakerdeck_page_url(key)


PROVIDERS = {
    provider.value: provider
    for provider in [
        # First: a link to a video file is a file on any host (a PeerTube instance's download
        # link too), played by our own <video> from the hosts listed in VIDEO_FILE_HOSTS.
        Provider(
            "videofile",
            "Video file",
            VIDEO,
            parse=parse_video_file,
            embed=video_file_player,
            instances_setting="VIDEO_FILE_HOSTS",
            plays_in=VIDEO_ELEMENT,
        ),
        Provider(
            "youtube",
            "YouTube",
            VIDEO,
            parse=parse_youtube,
            embed=youtube_player,
            embed_hosts=("www.youtube-nocookie.com",),
            thumbnail=youtube_thumbnail,
            thumbnail_hosts=("i.ytimg.com",),
            post_embed=youtube_post_embed,
        ),
        Provider(
            "vimeo",
            "Vimeo",
            VIDEO,
            parse=parse_vimeo,
            embed=vimeo_player,
            embed_hosts=("player.vimeo.com",),
        ),
        Provider(
            "peertube",
            "PeerTube",
            VIDEO,
            parse=parse_peertube,
            embed=peertube_player,
            instances_setting="PEERTUBE_INSTANCES",
        ),
        Provider(
            "mediaccc",
            "media.ccc.de",
            VIDEO,
            parse=parse_media_ccc,
            embed=media_ccc_player,
            embed_hosts=(MEDIA_CCC_HOST,),
        ),
        # First among decks, as video files among videos: a link to a PDF is a deck on any host.
        Provider("pdflink", "PDF file", SLIDES, parse=parse_pdf_link),
        Provider(
            "slideshare",
            "SlideShare",
            SLIDES,
            parse=parse_slideshare,
            embed=slideshare_player,
            embed_hosts=("www.slideshare.net",),
            post_embed=slideshare_player,
        ),
        Provider(
            "speakerdeck",
            "Speaker Deck",
            SLIDES,
            parse=parse_speakerdeck,
            embed=speakerdeck_player,
            embed_hosts=("speakerdeck.com",),
        ),
        Provider("pdf", "Uploaded PDF", SLIDES, in_posts=False),
    ]
}


def _choices(name, medium):
    members = [
        (p.value.upper(), (p.value, p.label)) for p in PROVIDERS.values() if p.medium == medium
    ]
    return models.TextChoices(name, members, module=__name__)


VideoProvider = _choices("VideoProvider", VIDEO)
SlidesProvider = _choices("SlidesProvider", SLIDES)


def providers_of(medium):
    """The table's providers of ``medium`` (VIDEO or SLIDES), in table order."""
    return [provider for provider in PROVIDERS.values() if provider.medium == medium]


def _parse(value, medium):
    url = extract_src(value)
    if not url:
        raise ValidationError(f"Enter a {medium} link.", code="empty")
    recognisers = [provider for provider in providers_of(medium) if provider.parse]
    for provider in recognisers:
        found = provider.parse(url)
        if found is None:
            continue
        key, canonical_url = found
        if len(key) > MAX_KEY_LENGTH:
            raise ValidationError(
                "That %(what)s link is too long: no %(provider)s link is this long.",
                code="too_long",
                params={"what": medium, "provider": provider.label},
            )
        return MediaRef(provider.value, key, canonical_url)
    raise ValidationError(
        "This is not a supported %(what)s link. Supported: %(providers)s.",
        code="unsupported",
        params={"what": medium, "providers": ", ".join(p.label for p in recognisers)},
    )


def parse_video(value):
    """Normalise a pasted video URL or iframe; raise ``ValidationError`` if unsupported."""
    return _parse(value, VIDEO)


def parse_slides(value):
    """Normalise a pasted slide-deck URL or iframe; raise ``ValidationError`` if unsupported."""
    return _parse(value, SLIDES)


def validate_video_url(value):
    """The validator of ``Recording.url``: a link or embed code of a video provider."""
    parse_video(value)


def validate_slides_url(value):
    """The validator of ``SlideDeck.url``: a link or embed code of a slides provider."""
    parse_slides(value)


def embed_url(provider, key):
    """The player's URL for a stored provider value and key, or ``""`` when it has none."""
    entry = PROVIDERS.get(provider)
    return entry.embed_url(key) if entry else ""


def _origins(plays_in, config):
    entries = [p for p in PROVIDERS.values() if p.plays_in == plays_in]
    fixed = [host for p in entries for host in p.embed_hosts]
    configured = [host for p in entries for host in p.hosts(config)]
    return [f"https://{host}" for host in dict.fromkeys([*fixed, *configured])]


def player_origins(config=None):
    """The CSP's ``frame-src``: every iframe player's origin, fixed hosts first, then the
    instances of federated providers (``config`` as :meth:`Provider.hosts` reads it)."""
    return _origins(IFRAME, config)


def video_file_origins(config=None):
    """The CSP's ``media-src`` beside ``'self'``: the hosts whose video files our ``<video>``
    plays (``VIDEO_FILE_HOSTS``; ``config`` as :meth:`Provider.hosts` reads it)."""
    return _origins(VIDEO_ELEMENT, config)


def thumbnail_origins():
    """The origins of the providers' poster images, for the CSP's ``img-src``."""
    hosts = [host for p in PROVIDERS.values() for host in p.thumbnail_hosts]
    return [f"https://{host}" for host in dict.fromkeys(hosts)]
