"""The CSV writer: one row per session, for organisers whose programme lives in a spreadsheet.

The columns are :data:`HEADER` (documented in ``docs/schedule-exports.md``): dates and times in
the event's zone, the duration in minutes, speakers joined by ``"; "``, several video or slides
addresses separated by a space. Untimed sessions are rows too, with their day and without date
(unless the event has a start date) or start.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (a tab or a
carriage return first does not stop it): such a cell is written with a leading apostrophe,
which spreadsheets show as text and never evaluate (OWASP's advice against CSV injection). So
that a reader can undo it exactly, a cell that already starts with an apostrophe followed by
one of those characters or by another apostrophe gets one too: a reader removes one leading
apostrophe from a cell that starts with an apostrophe followed by ``= + - @``, tab, carriage
return or ``'``, and from no other. The text starts with a byte order mark, so that Excel
reads it as UTF-8.
"""

import csv
import io

from .addresses import absolute_url

HEADER = [
    "title",
    "speakers",
    "date",
    "day",
    "start",
    "duration",
    "room",
    "track",
    "kind",
    "language",
    "description",
    "video",
    "slides",
    "slug",
    "guid",
]
SPEAKER_SEPARATOR = "; "
URL_SEPARATOR = " "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
APOSTROPHE = "'"
BYTE_ORDER_MARK = "\ufeff"


def write(snapshot, *, base_url):
    """The snapshot's sessions as CSV text (RFC 4180: quoted where needed, CRLF line ends),
    in programme order: by day, then start (untimed sessions after the timed ones of their
    day), then position. Slide PDFs are addressed absolutely against ``base_url``."""
    out = io.StringIO()
    out.write(BYTE_ORDER_MARK)
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for session in sorted(snapshot.sessions, key=programme_order):
        writer.writerow([neutralised(cell) for cell in row(snapshot.event, session, base_url)])
    return out.getvalue()


def programme_order(session):
    return (session.day, session.starts_at is None, session.starts_at, session.position, session.pk)


def row(event, session, base_url):
    start = session.local_starts_at
    date = start.date() if start else event.date_of_day(session.day)
    return [
        session.title,
        SPEAKER_SEPARATOR.join(speaker.name for speaker in session.ordered_speakers),
        date.isoformat() if date else "",
        str(session.day),
        start.strftime("%H:%M") if start else "",
        minutes(session.duration),
        session.room.name if session.room else "",
        session.track.name if session.track else "",
        session.kind,
        session.language,
        session.description,
        URL_SEPARATOR.join(recording.url for recording in session.recordings.all()),
        URL_SEPARATOR.join(
            absolute_url(base_url, deck.pdf.url) if deck.pdf else deck.url
            for deck in session.slide_decks.all()
        ),
        session.slug,
        str(session.guid),
    ]


def minutes(duration):
    """Whole minutes, rounded; "" without a duration."""
    return "" if duration is None else str(round(duration.total_seconds() / 60))


def neutralised(cell):
    """``cell`` with a leading apostrophe when a spreadsheet would read it as a formula (or
    when a reader would take an apostrophe of its own for one added here)."""
    if cell.startswith(FORMULA_STARTS) or (
        cell.startswith(APOSTROPHE) and cell[1:2] in (*FORMULA_STARTS, APOSTROPHE)
    ):
        return APOSTROPHE + cell
    return cell
