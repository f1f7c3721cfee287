"""The body of a roundup post as the reader walks it: the text, a mask of what is not prose,
and the line of any offset.

Offsets index both ``text`` and ``mask``: the mask is the text with code fences and HTML
comments blanked out (line breaks kept), so patterns run on the mask never match inside them
while the text keeps what the author wrote.
"""

import re
from bisect import bisect_left

from sessions.interchange.document import Origin, SourceError, name_key

from . import inline
from .headings import is_profile_url

FENCE = re.compile(r"^[ ]{0,3}(```|~~~).*?^[ ]{0,3}\1[^\n]*$", re.MULTILINE | re.DOTALL)
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n|</p\s*>|<p\b[^<>]*>|<br\s*/?>", re.IGNORECASE)


def refusal(line, message):
    """The :class:`SourceError` that refuses a post at ``line`` (1-based)."""
    return SourceError(Origin(line=line), message)


def shorten(text, limit=60):
    """``text`` cut to ``limit`` characters for a message, with an ellipsis when cut."""
    return text if len(text) <= limit else f"{text[: limit - 1]}\u2026"


class RoundupBody:
    """The text after the front matter, with the helpers every part of the reader shares."""

    def __init__(self, text, body_start):
        self.text = text
        self.mask = mask(text)
        self.body_start = body_start
        self.newlines = [match.start() for match in re.finditer("\n", text)]

    def line_at(self, offset):
        return bisect_left(self.newlines, offset) + 1

    def origin_at(self, offset):
        return Origin(line=self.line_at(offset))

    def paragraphs(self, start, end):
        """``(line, markup)`` of each paragraph between two offsets (blank lines, <p>, <br>)."""
        found, position = [], start
        for match in PARAGRAPH_BREAK.finditer(self.mask, start, end):
            found.append((position, match.start()))
            position = match.end()
        found.append((position, end))
        return [
            (self.line_at(s + len(self.mask[s:e]) - len(self.mask[s:e].lstrip())), self.text[s:e])
            for s, e in found
            if self.mask[s:e].strip()
        ]

    def profiles(self, start, end):
        """``{name_key(link text): url}`` of the profile links between two offsets."""
        found = {}
        for _start, _end, link in inline.iter_links(self.mask[start:end]):
            if is_profile_url(link.url):
                found.setdefault(name_key(inline.clean_text(link.text)), link.url)
        return found


def mask(text):
    """Blank out code fences and HTML comments (keeping offsets and line breaks)."""

    def blank(markup):
        return re.sub(r"[^\n]", " ", markup)

    return replace_comments(FENCE.sub(lambda match: blank(match[0]), text), blank)


def replace_comments(text, replace):
    """``text`` with each HTML comment replaced by ``replace(comment)``.

    Not a regex: once no "-->" follows, no later "<!--" can close either, which a regex would
    find out again from every one of thousands of unclosed "<!--" (quadratic time).
    """
    parts, position = [], 0
    start = text.find("<!--")
    while start != -1:
        end = text.find("-->", start + 4)
        if end == -1:
            break
        parts += [text[position:start], replace(text[start : end + 3])]
        position = end + 3
        start = text.find("<!--", position)
    return "".join(parts) + text[position:]
