"""Read a programme kept in a spreadsheet, saved as CSV, into an
:class:`~sessions.interchange.document.EventDocument`.

The first line names the columns (docs/csv-schedule.md is the organisers' guide): ``title``
(the one column required), ``speakers``, ``date`` or ``day``, ``start``, ``end`` or
``duration``, ``room``, ``track``, ``kind``, ``language``, ``description``, ``video``,
``slides``, in any order and any case, with the synonyms of :data:`COLUMNS`; other columns are
left out, named in one note. The delimiter is the one of comma, semicolon and tab that makes
the most known columns of the first line; the file is UTF-8, with or without a byte order
mark. Every cell loses one leading apostrophe when the rest starts with ``=``, ``+``, ``-`` or
``@``: the mark spreadsheets and our CSV export put before text that would otherwise be run as
a formula.

A cell holds:

- ``speakers``: names separated by ``;`` or line breaks (a comma or "and" stays in a name).
- ``date``: YYYY-MM-DD; days are numbered from the earliest date. ``day``: 1, 2... for a
  programme without dates (used on a row that has no date).
- ``start`` and ``end``: HH:MM (or HH:MM:SS), the event's wall-clock time; a start needs a
  date or a day. ``duration``: minutes ("45") or HH:MM ("1:30").
- ``kind``: one of the site's kinds, by value or label (talk, keynote, panel, workshop, demo,
  lightning, tutorial, other); empty is a talk. ``language``: a tag (en, pt-BR) or a name.
- ``video`` and ``slides``: one or more web addresses separated by spaces or line breaks;
  each becomes a recording, a slide deck or a plain link by its address, as in the admin.
- ``slug`` and ``guid`` (our CSV export writes both): the session's slug (else its title's,
  made unique) and its UUID, by which a re-import finds it again.

The file does not name the event: ``--event`` and ``--name`` name it. Bad input raises
:class:`~sessions.interchange.document.SourceError` with the physical line of the row and the
column ("line 7: column 'start': 25:00 is not a time (HH:MM)").
"""

import csv
import io
import re
import uuid
from datetime import date, datetime, time, timedelta
from operator import itemgetter

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from conference.validators import validate_web_address
from sessions.interchange.document import (
    START,
    EventDocument,
    Note,
    Origin,
    RoomItem,
    SessionItem,
    SourceError,
    SpeakerItem,
    TrackItem,
    name_key,
)
from sessions.interchange.files import decode, read_bytes
from sessions.models import Session

from ._programme import (
    KIND_NAMES,
    MAX_DAY,
    Keys,
    SessionSlugs,
    arrange,
    kind_named,
    language_tag,
    shown,
)
from .links import Candidate, LinkNotes, classify_urls

__all__ = ["COLUMNS", "looks_like_header", "parse", "read"]

MAX_CSV_BYTES = 5 * 1024 * 1024
# Each column's name and the other names a spreadsheet may give it (compared without case,
# accents, extra spaces or underscores).
COLUMNS = {
    "title": ("session", "session title", "talk title"),
    "speakers": ("speaker", "speaker(s)", "presenter", "presenters"),
    "date": (),
    "day": (),
    "start": ("start time", "starts", "time"),
    "end": ("end time", "ends"),
    "duration": ("length", "minutes"),
    "room": ("location",),
    "track": (),
    "kind": ("type", "format", "session type", "session format"),
    "language": ("lang",),
    "description": ("abstract", "summary"),
    "video": ("videos", "recording", "recordings", "video url"),
    "slides": ("slide deck", "slide decks", "slides url", "deck"),
    "slug": (),
    "guid": ("uuid",),
}
COLUMN_OF = {name: column for column, aliases in COLUMNS.items() for name in (column, *aliases)}
DELIMITERS = (",", ";", "\t")
FORMULA_START = ("=", "+", "-", "@")
SPEAKER_SEPARATOR = re.compile(r"[;\n]")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DAY = re.compile(r"^\d{1,4}$")
TIME = re.compile(r"^(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?$")
MINUTES = re.compile(r"^\d{1,6}$")
HOURS_MINUTES = re.compile(r"^(?P<h>\d{1,3}):(?P<m>\d{2})(?::(?P<s>\d{2}))?$")
MAX_DURATION = timedelta(days=7)
CSV_ERRORS = {
    "unexpected end of data": "a quoted cell is not closed before the end of the file",
    "field larger than field limit": "a cell is longer than {limit:,} characters",
    "line contains NUL": "contains NUL bytes: this is not a text file",
}


def read(path):
    """Read and parse the CSV file at ``path``."""
    return parse(read_bytes(path, limit=MAX_CSV_BYTES, what="a CSV file"), filename=str(path))


def parse(data, *, filename):
    """The document of the CSV ``data`` (bytes)."""
    text = decode(data).removeprefix("\ufeff")
    header_line, header = _header_line(text)
    delimiter, columns = _columns(header, header_line)
    document = EventDocument(source=filename, source_key="", title="", name="", has_programme=True)
    ignored = [name for index, name in enumerate(columns.names) if index not in columns.index]
    if ignored:
        document.notes.append(
            Note(Origin(line=header_line), f"columns not imported: {', '.join(ignored)}")
        )
    rows = _Rows(document, columns)
    rows.read(text, delimiter)
    document.notes.extend(rows.link_notes.notes())
    return document


def looks_like_header(line):
    """Whether the first line of a file (text) names a ``title`` column and another known
    one, in one of the delimiters: how format detection tells a CSV schedule."""
    for delimiter in DELIMITERS:
        names = {COLUMN_OF.get(_column_key(cell)) for cell in _split_line(line, delimiter)}
        if "title" in names and len(names - {None}) >= 2:
            return True
    return False


def _header_line(text):
    """``(line number, text)`` of the first line that is not blank."""
    for number, line in enumerate(io.StringIO(text, newline=None), start=1):
        if line.strip():
            return number, line.rstrip("\r\n")
    raise SourceError(START, "file is empty")


def _split_line(line, delimiter):
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def _column_key(cell):
    return name_key(_unquote_formula(cell).replace("_", " "))


class _Columns:
    """The header: every cell's name, and ``index`` (cell index -> known column)."""

    def __init__(self, names, index):
        self.names = names
        self.index = index


def _columns(header, line):
    """The delimiter and the columns of the header line, or ``SourceError``."""
    best = None
    for delimiter in DELIMITERS:
        names = [cell.strip() for cell in _split_line(header, delimiter)]
        known = [COLUMN_OF.get(_column_key(name)) for name in names]
        score = (len(set(known) - {None}), len(names))
        if best is None or score > best[0]:
            best = (score, delimiter, names, known)
    _score, delimiter, names, known = best
    if "title" not in known:
        raise SourceError(
            Origin(line=line),
            "the first line must name the columns, one of them 'title' (the others: "
            f"{', '.join(column for column in COLUMNS if column != 'title')})",
        )
    index = {}
    for position, column in enumerate(known):
        if column is None:
            continue
        if column in index.values():
            raise SourceError(
                Origin(line=line), f"column {column!r} is named twice (as {names[position]!r})"
            )
        index[position] = column
    return delimiter, _Columns(names, index)


class _Rows:
    """The rows after the header, one session each."""

    def __init__(self, document, columns):
        self.document = document
        self.columns = columns
        self.link_notes = LinkNotes()
        self.slugs = SessionSlugs()
        self.rooms = Keys("room")
        self.tracks = Keys("track")
        self.room_rank = {}
        self.guids = {}  # UUID -> the line of the row that gives it

    def read(self, text, delimiter):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        entries, header_seen = [], False
        while True:  # a row starts on the line after the last one read, and may span several
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                raise SourceError(Origin(line=line), _csv_error(error)) from None
            if not any(cell.strip() for cell in cells):
                continue
            if not header_seen:
                header_seen = True
                continue
            entries.append(self.row(cells, line))
        self.place(entries)

    def row(self, cells, line):
        """``(SessionItem, date or day, start)`` of the row starting at ``line``."""
        if len(cells) > len(self.columns.names) and any(
            cell.strip() for cell in cells[len(self.columns.names) :]
        ):
            raise SourceError(
                Origin(line=line),
                f"the row has {len(cells)} cells and the header {len(self.columns.names)}: "
                "is a cell holding the delimiter left without quotes?",
            )
        row = _Row(cells, self.columns, line)
        title = " ".join(row.get("title").split())
        if not title:
            raise row.error("title", "empty: every row needs a title")
        day_or_date, start, duration = row.timing()
        origin = Origin(line=line)
        item = SessionItem(
            title=title,
            source_key=self.slugs.unique(row.slug() or title),
            kind=row.kind(),
            day=1,
            position=0,
            origin=origin,
            description=row.text("description"),
            duration=duration,
            language=row.language(),
            speakers=[SpeakerItem(name, origin=origin) for name in row.speakers()],
            guid=self.guid(row),
        )
        if isinstance(day_or_date, date) and start is not None:
            item.starts_at = datetime.combine(day_or_date, start)
        else:
            item.start_time = start
        item.room = self.room(row.get("room"), origin)
        item.track = self.track(row.get("track"), origin)
        urls = [*row.urls("video", "Video"), *row.urls("slides", "Slides")]
        item.recordings, item.slide_decks, item.links = classify_urls(urls, notes=self.link_notes)
        return item, day_or_date, start

    def guid(self, row):
        """The row's ``guid`` (our export writes one), unique in the file, or ``None``."""
        guid = row.guid()
        if guid is None:
            return None
        if guid in self.guids:
            raise row.error("guid", f"{guid} is given to two rows (the first on line "
                            f"{self.guids[guid]})")  # fmt: skip
        self.guids[guid] = row.line
        return guid

    def room(self, name, origin):
        name = " ".join(name.split())
        if not name:
            return ""
        key = self.rooms.get(name)
        if key is None:
            key = self.rooms.new(name)
            self.room_rank[key] = len(self.room_rank)
            self.document.rooms.append(RoomItem(name=name, source_key=key, origin=origin))
        return key

    def track(self, name, origin):
        name = " ".join(name.split())
        if not name:
            return ""
        key = self.tracks.get(name)
        if key is None:
            key = self.tracks.new(name)
            self.document.tracks.append(TrackItem(name=name, source_key=key, origin=origin))
        return key

    def place(self, entries):
        """Days from dates (the earliest is day 1) or as given; positions by start, then room."""
        dated = [(when, item.origin) for item, when, _start in entries if isinstance(when, date)]
        first = min(when for when, _origin in dated) if dated else None
        placed = []
        for item, when, start in entries:
            day = when if isinstance(when, int) else 1
            if isinstance(when, date):
                day = (when - first).days + 1
                if day > MAX_DAY:
                    raise SourceError(
                        item.origin,
                        f"column 'date': {when} is {day - 1} days after the first date "
                        f"({first}): a schedule spans at most {MAX_DAY} days",
                    )
            placed.append((item, day, start, self.room_rank.get(item.room, -1)))
        self.document.sessions = arrange(placed)
        if dated:
            first_date, first_origin = min(dated, key=itemgetter(0))
            last_date, last_origin = max(dated, key=itemgetter(0))
            self.document.start_date, self.document.end_date = first_date, last_date
            self.document.origins.update(start_date=first_origin, end_date=last_origin)


class _Row:
    """One row's cells by column, with the errors that name the row and the column."""

    def __init__(self, cells, columns, line):
        self.line = line
        self.values = {
            column: _unquote_formula(cells[index].strip())
            for index, column in columns.index.items()
            if index < len(cells)
        }

    def get(self, column):
        return self.values.get(column, "")

    def error(self, column, message):
        return SourceError(Origin(line=self.line), f"column {column!r}: {message}")

    def text(self, column):
        return self.get(column).replace("\r\n", "\n").replace("\r", "\n").strip()

    def speakers(self):
        names, seen = [], set()
        for part in SPEAKER_SEPARATOR.split(self.text("speakers")):
            name = " ".join(part.split())
            if name and name_key(name) not in seen:
                seen.add(name_key(name))
                names.append(name)
        return names

    def slug(self):
        """The ``slug`` cell as a slug ("" when empty or nothing of it is one)."""
        return slugify(self.get("slug"))

    def guid(self):
        value = self.get("guid")
        if not value:
            return None
        try:
            return uuid.UUID(value)
        except ValueError:
            raise self.error("guid", f"{shown(value)} is not a UUID") from None

    def kind(self):
        value = " ".join(self.get("kind").split())
        if not value:
            return Session.Kind.TALK.value
        kind = kind_named(value)
        if kind is None:
            raise self.error("kind", f"{value[:40]!r} is not a kind (one of {KIND_NAMES})")
        return kind

    def language(self):
        value = self.get("language")
        if not value:
            return ""
        tag = language_tag(value)
        if not tag:
            raise self.error("language", f"{value[:40]!r} is not a language (en, fr, pt-BR...)")
        return tag

    def timing(self):
        """``(date, or day number, or None; start or None; duration or None)``."""
        when = self.date() or self.day()
        start = self.time("start")
        end = self.time("end")
        duration = self.duration()
        if start is not None and when is None:
            raise self.error(
                "start", f"{self.get('start')} has no date: give the row a date or a day"
            )
        if end is not None:
            if start is None:
                raise self.error("end", f"{self.get('end')} has no start: give the row a start")
            length = datetime.combine(date.min, end) - datetime.combine(date.min, start)
            if length <= timedelta(0):
                raise self.error(
                    "end",
                    f"{self.get('end')} is not after the start {self.get('start')} (for a "
                    "session past midnight, give a duration)",
                )
            if duration is not None and duration != length:
                raise self.error(
                    "duration",
                    f"{self.get('duration')}, but the start and the end are "
                    f"{_minutes(length)} minutes apart",
                )
            duration = length
        return when, start, duration

    def date(self):
        value = self.get("date")
        if not value:
            return None
        try:
            if not DATE.match(value):
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError:
            raise self.error("date", f"{shown(value)} is not a date (YYYY-MM-DD)") from None

    def day(self):
        value = self.get("day")
        if not value:
            return None
        if not DAY.match(value):
            raise self.error("day", f"{shown(value)} is not a day number (1, 2...)")
        day = int(value)
        if not 1 <= day <= MAX_DAY:
            raise self.error("day", f"{day}: days are numbered from 1 to {MAX_DAY}")
        return day

    def time(self, column):
        value = self.get(column)
        if not value:
            return None
        match = TIME.match(value)
        try:
            if match is None:
                raise ValueError(value)
            return time(int(match["h"]), int(match["m"]), int(match["s"] or 0))
        except ValueError:
            raise self.error(column, f"{shown(value)} is not a time (HH:MM)") from None

    def duration(self):
        value = self.get("duration")
        if not value:
            return None
        if MINUTES.match(value):
            duration = timedelta(minutes=int(value))
        elif (match := HOURS_MINUTES.match(value)) and int(match["m"]) < 60:
            duration = timedelta(
                hours=int(match["h"]), minutes=int(match["m"]), seconds=int(match["s"] or 0)
            )
        else:
            raise self.error(
                "duration", f"{shown(value)} is not a duration (minutes, as 45, or HH:MM)"
            )
        if duration > MAX_DURATION:
            raise self.error("duration", f"{value} is longer than 7 days")
        return duration

    def urls(self, column, title):
        """``(url, title, origin)`` for the web addresses of the cell."""
        found = []
        for url in self.get(column).split():
            try:
                validate_web_address(url)
            except ValidationError:
                raise self.error(
                    column, f"{url[:60]!r} is not a web address (https://...)"
                ) from None
            found.append(Candidate(url, title, Origin(line=self.line), title_is_label=True))
        return found


def _unquote_formula(cell):
    """The cell without the apostrophe that keeps spreadsheets from running it as a formula."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_START):
        return cell[1:]
    return cell


def _minutes(duration):
    return int(duration.total_seconds() // 60)


def _csv_error(error):
    message = str(error)
    for start, text in CSV_ERRORS.items():
        if message.startswith(start):
            return text.format(limit=csv.field_size_limit())
    if "expected after" in message:
        return "a quoted cell must end with a quote followed by the delimiter or the line's end"
    return f"not valid CSV: {message}"
