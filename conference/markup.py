"""The one way user-written markdown becomes HTML: render with markdown-it, then sanitise.

markdown-it-py is a CommonMark implementation; nh3 (Rust's ammonia) cleans its output against
an allow-list, so raw HTML that organisers paste (older posts are full of it) is kept where it
is harmless and dropped where it is not.
"""

from functools import lru_cache
from html import unescape

import nh3
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}


@lru_cache(maxsize=1)
def _markdown():
    return MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})


def render_markdown(text):
    """Return sanitised HTML for ``text``, marked safe for templates."""
    if not text:
        return mark_safe("")
    html = _markdown().render(text)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    )
    return mark_safe(cleaned)  # cleaned by nh3 against the allow-list above


def markdown_to_text(text):
    """Plain text of a Markdown field: rendered, tags stripped, entities decoded."""
    return unescape(strip_tags(render_markdown(text))).strip()
