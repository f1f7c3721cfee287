"""Writers: one module per format, each ``write(snapshot, **options)`` returning text or bytes.

A writer takes an :class:`~sessions.interchange.snapshot.EventSnapshot` and never the request or
the database: what a view would read from the request (the site's address) is a keyword
argument. ``WRITERS`` names them by format, as Django's ``BUILTIN_SERIALIZERS`` does;
``CONTENT_TYPES`` and ``EXTENSIONS`` say how each format is served and saved.
"""

from . import ical, json_export, roundup

WRITERS = {
    "roundup": roundup.write,  # write(snapshot) -> str
    "json": json_export.write,  # write(snapshot, *, base_url) -> str
    "ical": ical.write,  # write(snapshot, *, base_url) -> bytes
}
CONTENT_TYPES = {
    "roundup": "text/markdown; charset=utf-8",
    "json": "application/json",
    "ical": "text/calendar; charset=utf-8",
}
EXTENSIONS = {"roundup": "md", "json": "json", "ical": "ics"}
