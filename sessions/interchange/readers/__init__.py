"""The readers of exchange formats, by format name (as Django's ``BUILTIN_SERIALIZERS``).

``READERS[name](path)`` reads the file at ``path`` into an
:class:`~sessions.interchange.document.EventDocument`, or raises
:class:`~sessions.interchange.document.SourceError`. A reader is pure: it never touches the
database. :func:`detect_format` names the reader of a file from its first bytes.
"""

import os
import re
import stat

from sessions.interchange.document import START, SourceError

from . import csv_schedule, frab_json, frab_xml, roundup, sessionize

READERS = {
    "roundup": roundup.read,
    "frab-xml": frab_xml.read,
    "frab-json": frab_json.read,
    "sessionize": sessionize.read,
    "csv": csv_schedule.read,
}

SNIFF_BYTES = 64 * 1024
JSON_KEY = re.compile(rb'"([A-Za-z_$]+)"\s*:')
# Keys only Sessionize's export has (its sessions' fields), or its top-level lists together.
SESSIONIZE_KEYS = {"isServiceSession", "isPlenumSession", "categoryItems", "questionAnswers"}
SESSIONIZE_LISTS = {"speakers", "questions", "categories", "rooms"}
# The name of the first element, after the XML declaration, comments, processing instructions
# and the document type (schedule.xml files start with any of those).
XML_ROOT = re.compile(
    rb"(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*<(?:[\w.-]+:)?([\w.-]+)",
    re.DOTALL | re.IGNORECASE,
)
# Where an old roundup post written as HTML starts: the page or one of its blocks.
HTML_ELEMENTS = {
    b"html", b"body", b"head", b"meta", b"p", b"div", b"span", b"section", b"article",
    b"header", b"h1", b"h2", b"h3", b"h4", b"h5", b"h6", b"a", b"img", b"iframe", b"figure",
    b"table", b"ul", b"ol", b"strong", b"b", b"em", b"br", b"hr", b"style", b"script",
}  # fmt: skip


def detect_format(path):
    """The name of the reader for the file at ``path``, from its first bytes; ``SourceError``
    when no reader recognises it."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return "roundup"  # a pipe would block: the reader refuses it, in its words
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except (OSError, ValueError):
        return "roundup"  # the reader reports what is wrong with the file, in its words
    return sniff(head, name=str(path))


def sniff(head, *, name=""):
    """The format of a file that starts with ``head`` (bytes) and is called ``name``."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<"):
        return _xml_or_html(text, name)
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


def _xml_or_html(text, name):
    """A file that starts with markup: a frab schedule (its root is ``<schedule>``, or it is
    some other XML, which the frab reader then refuses with its root's name) or an old
    roundup post in HTML."""
    root = XML_ROOT.match(text)
    element = root.group(1).lower() if root else b""
    if element == b"schedule":
        return "frab-xml"
    if (
        element in HTML_ELEMENTS
        or text[:14].lower() == b"<!doctype html"
        or name.lower().endswith((".md", ".markdown", ".html", ".htm"))
    ):
        return "roundup"
    return "frab-xml"
