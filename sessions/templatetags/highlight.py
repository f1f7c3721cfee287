"""``{{ text|snippet:terms|highlight:terms }}``: search results with the query's terms marked.

Highlighting escapes the text itself, piece by piece, and adds only its own ``<mark>`` tags:
whatever an organiser typed and whatever a visitor searched for stays text.
"""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

SNIPPET_LENGTH = 220
ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"


def _terms_pattern(terms):
    """One case-insensitive pattern for every term, longest first (so it wins an overlap)."""
    terms = sorted({term for term in terms if term}, key=len, reverse=True)
    if not terms:
        return None
    return re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)


@register.filter
def highlight(text, terms):
    """``text`` escaped, with each occurrence of a term wrapped in ``<mark>``."""
    text = str(text or "")
    pattern = _terms_pattern(terms)
    if pattern is None:
        return escape(text)
    pieces, end = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[end : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        end = match.end()
    pieces.append(escape(text[end:]))
    return mark_safe("".join(pieces))  # every piece of text above went through escape()


@register.filter
def snippet(text, terms):
    """About ``SNIPPET_LENGTH`` characters of plain ``text`` around the first term found.

    Cut at word boundaries, with an ellipsis where text was left out; the start of the text
    when no term occurs in it (it matched on a stemmed form, say). Returns plain text.
    """
    text = str(text or "")
    if len(text) <= SNIPPET_LENGTH:
        return text
    pattern = _terms_pattern(terms)
    match = pattern.search(text) if pattern else None
    start = max(0, match.start() - SNIPPET_LENGTH // 3) if match else 0
    end = min(len(text), start + SNIPPET_LENGTH)
    start = max(0, min(start, end - SNIPPET_LENGTH))
    if start > 0:
        start = text.find(" ", start) + 1 or start
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    excerpt = text[start:end].strip()
    return f"{ELLIPSIS if start else ''}{excerpt}{ELLIPSIS if end < len(text) else ''}"
