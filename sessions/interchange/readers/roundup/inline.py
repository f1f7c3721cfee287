"""Small pieces of markup handling shared by the roundup parser.

Roundup posts mix Markdown with raw HTML (older posts came from a previous blog engine and are
HTML throughout). These helpers read links in either form, recognise video and slide links
through :mod:`sessions.providers` (never a second list of providers), and turn legacy HTML
paragraphs into Markdown so that descriptions are stored in one markup language.
"""

import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

from sessions.providers import (
    EMBED_ATTRIBUTION,
    attribution_title,
    parse_slides,
    parse_video,
    speakerdeck_script_player,
)

# A Markdown link whose text may itself hold brackets (an image: ``[![](a.png)](url)``).
MD_LINK = re.compile(
    r"(?<!!)\[(?P<text>(?:[^\[\]]|\[(?:[^\[\]]|\[[^\[\]]*\])*\])*)\]"
    r"\(\s*<?(?P<url>[^)\s>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)"
)
MD_IMAGE = re.compile(
    r"!\[(?P<alt>[^\]]*)\]\(\s*<?[^)\s>]*>?(?:\s+[\"'](?P<title>[^\"']*)[\"'])?\s*\)"
)
# Every run stops at the next "<" or the next "<a": with thousands of unclosed "<a href=..."
# an unbounded ".*?" made each one scan to the end of the post (quadratic time).
HTML_LINK = re.compile(
    r"<a\b[^<>]*?\bhref\s*=\s*(?P<q>[\"'])(?P<url>[^<>]*?)(?P=q)[^<>]*>"
    r"(?P<text>(?:(?!</?a\b).)*?)</a\s*>",
    re.IGNORECASE | re.DOTALL,
)
HTML_IMAGE = re.compile(r"<img\b[^<>]*>", re.IGNORECASE)
HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
EMBED_TAG = re.compile(
    r"<(?P<tag>iframe|embed|video|object)\b(?P<attrs>[^<>]*)>(?:[^<]*</(?P=tag)\s*>)?",
    re.IGNORECASE,
)
EMBED_SRC = re.compile(r"\b(?:src|data)\s*=\s*(?P<q>[\"'])(?P<src>.*?)(?P=q)", re.IGNORECASE)
# Speaker Deck's embed code is a script that draws the player of the deck its data-id names.
SPEAKERDECK_SCRIPT = re.compile(
    r"<script\b(?P<attrs>[^<>]*\bspeakerdeck-embed\b[^<>]*)>\s*</script\s*>", re.IGNORECASE
)
DATA_ID = re.compile(r"\bdata-id\s*=\s*(?P<q>[\"'])(?P<id>[^\"'<>]*)(?P=q)", re.IGNORECASE)
BARE_URL = re.compile(r"https?://[^\s<>\"'()\[\]]+(?:\([^\s<>\"'()]*\))?")
# Words of a link that only labels a video or slides ("[Watch the recording](...)",
# "Open in SlideShare").
MEDIA_LABEL_WORDS = {
    "and", "deck", "download", "full", "here", "in", "link", "on", "open", "or", "play",
    "presentation", "recording", "recordings", "see", "session", "slide", "slides",
    "slideshare", "talk", "the", "this", "video", "videos", "view", "watch", "youtube",
}  # fmt: skip
EMPHASIS = re.compile(r"\*\*|__|(?<!\w)[*_]|[*_](?!\w)")


@dataclass(frozen=True)
class EmbedCode:
    """An embed code in a post: where it is, the player it shows, and the title the
    provider's attribution after it names ("" without one)."""

    start: int
    end: int
    src: str
    title: str = ""


def embed_codes(text):
    """The embed codes in ``text``: iframes (and embed, video, object tags) with the "Title
    from Author" attribution SlideShare and Vimeo append, and Speaker Deck's scripts."""
    codes = []
    for match in EMBED_TAG.finditer(text):
        src = EMBED_SRC.search(match["attrs"])
        src = src["src"] if src else ""
        attribution = EMBED_ATTRIBUTION.match(text, match.end())
        if attribution and _same_provider(src, attribution["url"]):
            codes.append(
                EmbedCode(match.start(), attribution.end(), src, attribution_title(attribution))
            )
        else:
            codes.append(EmbedCode(match.start(), match.end(), src))
    for match in SPEAKERDECK_SCRIPT.finditer(text):
        data_id = DATA_ID.search(match["attrs"])
        player = speakerdeck_script_player(data_id["id"] if data_id else "")
        codes.append(EmbedCode(match.start(), match.end(), player))
    return sorted(codes, key=lambda code: code.start)


def without_embed_codes(text, replace=lambda code: "", codes=None):
    """``text`` with each of its :func:`embed_codes` (``codes`` if already found) replaced by
    ``replace(code)``."""
    parts, position = [], 0
    for code in embed_codes(text) if codes is None else codes:
        if code.start < position:
            continue  # a script inside an iframe's fallback text: already gone with it
        parts += [text[position : code.start], replace(text[code.start : code.end])]
        position = code.end
    return "".join(parts) + text[position:]


def _same_provider(src, url):
    embedded, linked = classify_media_url(unescape(src)), classify_media_url(unescape(url))
    return bool(embedded and linked) and embedded[1].provider == linked[1].provider


@dataclass(frozen=True)
class Link:
    text: str
    url: str


def clean_fragment(value):
    """Plain text of an inline fragment: no tags, no emphasis markers, entities decoded.

    Whitespace is collapsed but kept at the ends, so separators around links survive.
    """
    value = MD_IMAGE.sub(lambda m: m["alt"] or m["title"] or "", value)
    value = HTML_IMAGE.sub("", value)
    value = re.sub(r"<br\s*/?>", " ", value, flags=re.IGNORECASE)
    value = HTML_TAG.sub("", value)
    value = EMPHASIS.sub("", unescape(value))
    return re.sub(r"\s+", " ", value.replace("\xa0", " "))


def clean_text(value):
    return clean_fragment(value).strip()


def image_label(value):
    """The alt text or title of the first image in ``value`` (a sponsor logo's name)."""
    match = MD_IMAGE.search(value)
    if match:
        return (match["alt"] or match["title"] or "").strip()
    match = re.search(r"\balt\s*=\s*([\"'])(.*?)\1", value, re.IGNORECASE)
    return unescape(match[2]).strip() if match else ""


def iter_links(value):
    """Yield ``(start, end, Link)`` for Markdown and HTML links in ``value``, in order."""
    found = [
        (m.start(), m.end(), Link(m["text"], unescape(m["url"].strip())))
        for pattern in (MD_LINK, HTML_LINK)
        for m in pattern.finditer(value)
    ]
    found.sort(key=lambda item: item[0])
    end_of_previous = -1
    for start, end, link in found:
        if start >= end_of_previous:  # an HTML link inside a Markdown one, or the reverse
            end_of_previous = end
            yield start, end, link


def is_media_label(text):
    """Is ``text`` nothing but a label for a media link ("Slides", "(Video)", "")?"""
    return all(word in MEDIA_LABEL_WORDS for word in re.findall(r"[^\W\d_]+", text.casefold()))


def host_of(url):
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:  # "https://[broken": urlsplit refuses it
        return ""
    return host.lower().removeprefix("www.")


def is_web_url(url):
    """An http(s) URL with a host that parses; anything else in a link is treated as text."""
    return bool(re.match(r"^https?://", url or "", re.IGNORECASE)) and bool(host_of(url))


def classify_media_url(url):
    """Return ``(kind, MediaRef)`` if ``url`` is a supported video or slide link, else None."""
    for kind, parse in (("video", parse_video), ("slides", parse_slides)):
        try:
            return kind, parse(url)
        except ValidationError:
            continue
    return None


def is_media_url(url):
    return classify_media_url(url) is not None


def strip_media_links(value):
    """Remove every Markdown/HTML link and bare URL that points at a video or slide deck."""
    value = MD_LINK.sub(lambda m: "" if is_media_url(unescape(m["url"])) else m[0], value)
    value = HTML_LINK.sub(lambda m: "" if is_media_url(unescape(m["url"])) else m[0], value)
    return BARE_URL.sub(lambda m: "" if is_media_url(m[0]) else m[0], value)


class _HtmlToMarkdown(HTMLParser):
    """Turn the HTML of older posts (p, br, strong, em, a, lists, headings) into Markdown."""

    BLOCKS = {"p", "div", "section", "article", "blockquote", "table", "tr", "center"}
    DROPPED = {"script", "style", "iframe", "embed", "object", "video", "img"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.hrefs = []
        self.skip_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.DROPPED:
            if tag not in {"img", "embed"}:
                self.skip_depth += 1
            return
        if tag in self.BLOCKS:
            self.out.append("\n\n")
        elif tag == "br":
            self.out.append("\n")
        elif tag in {"strong", "b"}:
            self.out.append("**")
        elif tag in {"em", "i"}:
            self.out.append("*")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag in {"ul", "ol"}:
            self.out.append("\n")
        elif re.fullmatch(r"h[1-6]", tag):
            self.out.append("\n\n" + "#" * int(tag[1]) + " ")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.hrefs.append(href)
            if href:
                self.out.append("[")

    def handle_endtag(self, tag):
        if tag in self.DROPPED:
            if tag not in {"img", "embed"} and self.skip_depth:
                self.skip_depth -= 1
            return
        if tag in self.BLOCKS or re.fullmatch(r"h[1-6]", tag):
            self.out.append("\n\n")
        elif tag in {"strong", "b"}:
            self.out.append("**")
        elif tag in {"em", "i"}:
            self.out.append("*")
        elif tag in {"ul", "ol"}:
            self.out.append("\n\n")
        elif tag == "a" and self.hrefs:
            href = self.hrefs.pop()
            if href:
                self.out.append(f"]({href})")

    def handle_startendtag(self, tag, attrs):
        if tag == "br":
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skip_depth:
            self.out.append(re.sub(r"[ \t\r\n]+", " ", data.replace("\xa0", " ")))

    def markdown(self):
        text = "".join(self.out)
        # Within one line only: "**\n\n**" is the end of one bold paragraph and the next.
        text = re.sub(r"\*\*([ \t]*)\*\*", r"\1", text)  # <strong></strong> left nothing
        text = re.sub(r"\*\*([ \t]+)([^*\n]+?)([ \t]*)\*\*", r"\1**\2**\3", text)
        text = re.sub(r"\*\*([^*\n]+?)([ \t]+)\*\*", r"**\1**\2", text)
        text = re.sub(r"[ \t]+\n", "\n", text)
        text = re.sub(r"\n[ \t]+", "\n", text)
        return re.sub(r"\n{3,}", "\n\n", text).strip()


# Older posts open paragraphs with tags, or with a "&nbsp;" line the old editor left.
BLOCK_HTML_START = re.compile(
    r"^\s*(?:&nbsp;\s*)*</?(?:p|div|section|article|blockquote|h[1-6]|ul|ol|table|center|strong|b"
    r"|em|br|span|font)\b",
    re.IGNORECASE,
)
STRAY_BLOCK_TAG_LINE = re.compile(
    r"^[ \t]*(?:</?(?:div|span|p|center|font)\b[^<>\n]*>[ \t]*)+$\n?", re.IGNORECASE | re.MULTILINE
)
NBSP_ONLY = re.compile(r"^(?:\s|&nbsp;|&#160;|<br\s*/?>)*$", re.IGNORECASE)
# A "<" that opens a tag never closed before the next "<": Python's HTMLParser (before 3.13.4)
# rescans to the end of the text for each one, so thousands of them took minutes.
UNCLOSED_TAG = re.compile(r"<(?=[A-Za-z/!?][^<>]*(?:<|\Z))")


def html_to_markdown(value):
    """Convert the HTML blocks of ``value`` to Markdown; Markdown paragraphs pass unchanged."""
    paragraphs = re.split(r"\n[ \t]*\n", value)
    converted = []
    for paragraph in paragraphs:
        if NBSP_ONLY.match(paragraph):
            continue
        if BLOCK_HTML_START.match(paragraph):
            parser = _HtmlToMarkdown()
            parser.feed(UNCLOSED_TAG.sub("&lt;", paragraph))
            parser.close()
            paragraph = parser.markdown()
        else:  # a Markdown paragraph that a wrapper <div> of the old editor closes
            paragraph = STRAY_BLOCK_TAG_LINE.sub("", paragraph)
        converted.append(paragraph)
    return "\n\n".join(part for part in converted if part.strip())
