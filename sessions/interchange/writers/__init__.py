"""Writers: one module per format, each ``write(snapshot, **options)`` returning text or bytes.

A writer takes an :class:`~sessions.interchange.snapshot.EventSnapshot` and never the request or
the database: what a view would read from the request (the site's address) is a keyword
argument. ``WRITERS`` names them by format, as Django's ``BUILTIN_SERIALIZERS`` does;
``CONTENT_TYPES`` and ``EXTENSIONS`` say how each format is served and saved.
"""

from . import csv_export, frab_json, frab_xml, ical, json_export, roundup

WRITERS = {
    "roundup": roundup.write,  # write(snapshot) -> str
    "json": json_export.write,  # write(snapshot, *, base_url) -> str
    "ical": ical.write,  # write(snapshot, *, base_url) -> bytes
    # The frab schedule (timed sessions only; frab.NoTimedSessions without any).
    "frab-xml": frab_xml.write,  # write(snapshot, *, base_url) -> bytes
    "frab-json": frab_json.write,  # write(snapshot, *, base_url) -> str
    "csv": csv_export.write,  # write(snapshot, *, base_url) -> str
}
CONTENT_TYPES = {
    "roundup": "text/markdown; charset=utf-8",
    "json": "application/json",
    "ical": "text/calendar; charset=utf-8",
    "frab-xml": "application/xml",
    "frab-json": "application/json",
    "csv": "text/csv; charset=utf-8",
}
EXTENSIONS = {
    "roundup": "md",
    "json": "json",
    "ical": "ics",
    "frab-xml": "xml",
    "frab-json": "json",
    "csv": "csv",
}
