"""The readers of exchange formats, by format name (as Django's ``BUILTIN_SERIALIZERS``).

``READERS[name](path)`` reads the file at ``path`` into an
:class:`~sessions.interchange.document.EventDocument`, or raises
:class:`~sessions.interchange.document.SourceError`. A reader is pure: it never touches the
database. :func:`detect_format` names the reader of a file from its first bytes.
"""

import re

from sessions.interchange.document import START, SourceError

from . import roundup

READERS = {"roundup": roundup.read}

SNIFF_BYTES = 64 * 1024
JSON_KEY = re.compile(rb'"([A-Za-z_$]+)"\s*:')
CSV_HEADER = re.compile(rb"^[^\n]*\btitle\b[^\n]*[,;\t]", re.IGNORECASE)


def detect_format(path):
    """The name of the reader for the file at ``path``, from its first bytes; ``SourceError``
    when no reader recognises it."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return "roundup"  # the reader reports what is wrong with the file, in its words
    return sniff(head, name=str(path))


def sniff(head, *, name=""):
    """The format of a file that starts with ``head`` (bytes) and is called ``name``."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<"):
        return "frab-xml"
    if text.startswith((b"{", b"[")):
        keys = {match.group(1) for match in JSON_KEY.finditer(text)}
        if "schedule" in keys:
            return "frab-json"
        if keys & {"sessions", "speakers", "questions", "categories"}:
            return "sessionize"
        raise SourceError(
            START,
            'this JSON is neither a frab schedule.json (it has no "schedule") nor a '
            'Sessionize export (no "sessions"): give the format with --format',
        )
    if text.startswith(b"---") or name.lower().endswith((".md", ".markdown", ".html")):
        return "roundup"
    if CSV_HEADER.match(text) or name.lower().endswith((".csv", ".tsv")):
        return "csv"
    return "roundup"
