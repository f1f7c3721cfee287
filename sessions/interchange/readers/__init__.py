"""The readers of exchange formats, by format name (as Django's ``BUILTIN_SERIALIZERS``).

``READERS[name](path)`` reads the file at ``path`` into an
:class:`~sessions.interchange.document.EventDocument`, or raises
:class:`~sessions.interchange.document.SourceError`. A reader is pure: it never touches the
database. :func:`detect_format` names the reader of a file from its first bytes.
"""

import re

from sessions.interchange.document import START, SourceError

from . import csv_schedule, roundup, sessionize

READERS = {"roundup": roundup.read, "sessionize": sessionize.read, "csv": csv_schedule.read}

SNIFF_BYTES = 64 * 1024
JSON_KEY = re.compile(rb'"([A-Za-z_$]+)"\s*:')
# Keys only Sessionize's export has (its sessions' fields), or its top-level lists together.
SESSIONIZE_KEYS = {"isServiceSession", "isPlenumSession", "categoryItems", "questionAnswers"}
SESSIONIZE_LISTS = {"speakers", "questions", "categories", "rooms"}


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
        keys = {match.group(1).decode() for match in JSON_KEY.finditer(text)}
        if "schedule" in keys:
            return "frab-json"
        if keys & SESSIONIZE_KEYS or ("sessions" in keys and keys & SESSIONIZE_LISTS):
            return "sessionize"
        raise SourceError(
            START,
            'this JSON is neither a frab schedule.json (it has no "schedule") nor a '
            'Sessionize export (no "sessions"): give the format with --format',
        )
    if text.startswith(b"---") or name.lower().endswith((".md", ".markdown", ".html")):
        return "roundup"
    if name.lower().endswith((".csv", ".tsv")) or _csv_header(text):
        return "csv"
    return "roundup"


def _csv_header(text):
    """Whether the first line names a CSV schedule's columns (a title and another one)."""
    first_line = text.split(b"\n", 1)[0].decode("utf-8", "replace")
    return csv_schedule.looks_like_header(first_line)
