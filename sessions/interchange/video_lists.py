"""Lists of videos, as they arrive after a conference, read into :class:`VideoList`.

A reader knows its format and nothing of the database (the matcher, :mod:`.matching`, finds
each video's session). Every video keeps where it is in the file (a line, or a JSON pointer),
its title as the list gives it, the speakers when the list names them, and its link recognised
by :func:`sessions.providers.parse_video`, the table the admin uses.

The formats, told apart by :func:`sniff_list`:

- ``yt-dlp``: a YouTube (or PeerTube, Vimeo...) playlist as ``yt-dlp --flat-playlist -J URL``
  prints it (one JSON object whose ``entries`` have ``title`` and ``url`` or ``id``), or as
  ``yt-dlp --flat-playlist -j URL`` prints it (one such entry per line). Private and deleted
  videos are left out, with a note.
- ``csv``: a spreadsheet with a header naming ``title`` and ``url`` columns, and optionally
  ``speakers`` (names separated by commas, semicolons, "&" or "and").
- ``takeout``: Google Takeout's playlist CSV (``Video ID`` and a time added): it has no titles,
  so it is refused unless a ``title`` column was added to it.
- ``frab-xml`` / ``frab-json``: a schedule whose sessions link their recordings, read by the
  schedule readers (``READERS``); each video keeps its session's guid, title and speakers.
"""

import csv
import json
import re
from dataclasses import dataclass, field
from uuid import UUID

from django.core.exceptions import ValidationError

from sessions.providers import MediaRef, parse_video

from .document import START, Note, Origin, SourceError
from .files import MAX_SCHEDULE_BYTES, decode, read_bytes
from .readers import READERS
from .readers.frab_json import load as load_json

# More videos than any conference publishes: a longer list is a wrong file.
MAX_VIDEOS = 10_000
MAX_TITLE_LENGTH = 300  # Session.title's max_length: a longer title names no session
CSV_COLUMNS = {
    "title": ("title", "name", "video title", "talk", "session"),
    "url": ("url", "link", "video", "video url", "video link", "recording", "youtube"),
    "speakers": ("speakers", "speaker", "persons", "people", "presenters"),
    "video id": ("video id",),
}
TAKEOUT_PLAYLIST_HEADER = "playlist id"  # the first line of Takeout's older playlist files
SPEAKER_SEPARATORS = re.compile(r"\s*(?:[;,&/+]|\band\b)\s*", re.IGNORECASE)
# What yt-dlp gives as the title of a video nobody may watch any more.
UNAVAILABLE_TITLES = {"[private video]", "[deleted video]", "[unavailable video]"}


@dataclass(frozen=True)
class Video:
    """One video of a list: its title and link (recognised), where it is, what else it says."""

    title: str
    ref: MediaRef
    origin: Origin
    speakers: tuple[str, ...] = ()
    guid: UUID | None = None  # the schedule's guid of its session (frab files)


@dataclass
class VideoList:
    """The videos of one file, in its order; ``notes`` are what the reader left out."""

    source: str
    format: str
    videos: list[Video] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def read_video_list(path, *, source=None):
    """The :class:`VideoList` of the file at ``path`` (named ``source`` in messages, default
    the path); ``SourceError`` saying where the file is wrong."""
    source = source or str(path)
    data = read_bytes(path, limit=MAX_SCHEDULE_BYTES, what="a list of videos")
    format = sniff_list(data)
    if format in ("frab-xml", "frab-json"):
        video_list = _from_schedule(READERS[format](path), source=source, format=format)
    elif format == "yt-dlp":
        video_list = _from_yt_dlp(decode(data).removeprefix("\ufeff"), data, source=source)
    else:
        video_list = _from_csv(decode(data).removeprefix("\ufeff"), source=source)
    if not video_list.videos:
        raise SourceError(START, "the file lists no video" + _left_out(video_list.notes))
    if len(video_list.videos) > MAX_VIDEOS:
        raise SourceError(START, f"the file lists more than {MAX_VIDEOS} videos")
    return video_list


def sniff_list(data):
    """The format of a list that starts with ``data`` (bytes): "frab-xml", "frab-json",
    "yt-dlp" or "csv" (a Takeout playlist is a CSV)."""
    text = data.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<"):
        return "frab-xml"
    if text.startswith((b"{", b"[")):
        return "frab-json" if re.search(rb'"schedule"\s*:', text[:65536]) else "yt-dlp"
    return "csv"


def _left_out(notes):
    return f" ({'; '.join(note.message for note in notes)})" if notes else ""


def _video(title, url, origin, *, speakers=(), guid=None):
    """A :class:`Video`, or ``SourceError`` when the link is not a video this site plays."""
    try:
        ref = parse_video(url)
    except ValidationError as error:
        message = " ".join(error.messages)
        raise SourceError(origin, f"“{url}” is not a video this site plays: {message}") from None
    title = " ".join(title.split())
    if len(title) > MAX_TITLE_LENGTH:
        raise SourceError(origin, f"the title is longer than {MAX_TITLE_LENGTH} characters")
    return Video(title, ref, origin, speakers=tuple(speakers), guid=guid)


# frab schedules ------------------------------------------------------------------------------


def _from_schedule(document, *, source, format):
    """One video per recording of each session of a schedule, with the session's facts."""
    video_list = VideoList(source, format, notes=list(document.notes))
    for item in document.sessions:
        for recording in item.recordings:
            ref = MediaRef(recording.provider, recording.key, recording.url)
            video_list.videos.append(
                Video(
                    item.title,
                    ref,
                    recording.origin,
                    speakers=tuple(speaker.name for speaker in item.speakers),
                    guid=item.guid,
                )
            )
    return video_list


# yt-dlp --------------------------------------------------------------------------------------


def _from_yt_dlp(text, data, *, source):
    """``yt-dlp -J`` (one object, its ``entries``) or ``-j`` (an object per line)."""
    video_list = VideoList(source, "yt-dlp")
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and _is_json_object(lines[0]):
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    entry = load_json(line.encode())
                except SourceError as error:  # its line is the line's own: 1
                    raise SourceError(Origin(line=number), error.message) from None
                _add_entry(video_list, entry, Origin(line=number))
        return video_list
    top = load_json(data)
    if isinstance(top, dict) and "entries" not in top:
        _add_entry(video_list, top, Origin(pointer="/"))  # ``yt-dlp -J`` of a single video
        return video_list
    entries, prefix = (top.get("entries"), "/entries") if isinstance(top, dict) else (top, "")
    if not isinstance(entries, list):
        raise SourceError(
            Origin(pointer=prefix), "“entries” is not a list: this is not yt-dlp's -J output"
        )
    for index, entry in enumerate(entries):
        _add_entry(video_list, entry, Origin(pointer=f"{prefix}/{index}"))
    return video_list


def _is_json_object(line):
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def _add_entry(video_list, entry, origin):
    if not isinstance(entry, dict):
        raise SourceError(origin, "a playlist entry is not an object with a title and a url")
    title = entry.get("title")
    if not isinstance(title, str) or not title.strip():
        raise SourceError(origin, "the entry has no title")
    if title.strip().casefold() in UNAVAILABLE_TITLES:
        video_list.notes.append(Note(origin, f"{title.strip()} left out"))
        return
    url = _entry_url(entry)
    if not url:
        raise SourceError(origin, "the entry has neither a url nor a YouTube id")
    video_list.videos.append(_video(title, url, origin))


def _entry_url(entry):
    """The entry's page: ``webpage_url`` or ``url``, or its YouTube id made a watch URL (the
    flat entries of old yt-dlp versions give the id alone)."""
    for name in ("webpage_url", "url"):
        value = entry.get(name)
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return value
    identifier = entry.get("id") or entry.get("url")
    if isinstance(identifier, str) and re.fullmatch(r"[A-Za-z0-9_-]{11}", identifier):
        return f"https://www.youtube.com/watch?v={identifier}"
    return ""


# CSV -----------------------------------------------------------------------------------------


def _from_csv(text, *, source):
    """A spreadsheet of ``title,url[,speakers]`` (or Google Takeout's playlist) with a header."""
    lines = text.splitlines()
    start = _header_index(lines)
    if start is None:
        raise SourceError(START, "the file is empty")
    dialect = _dialect(lines[start])
    rows = csv.reader(lines[start:], dialect)
    try:
        header = next(rows)
    except csv.Error as error:
        raise SourceError(Origin(line=start + 1), f"not a CSV file: {error}") from None
    columns = _csv_columns(header, line=start + 1)
    video_list = VideoList(source, "takeout" if "video id" in columns else "csv")
    try:
        for row in rows:
            number = start + rows.line_num
            if not any(cell.strip() for cell in row):
                continue
            video_list.videos.append(_csv_video(row, columns, Origin(line=number)))
    except csv.Error as error:
        raise SourceError(Origin(line=start + rows.line_num), f"not a CSV file: {error}") from None
    return video_list


def _header_index(lines):
    """The index of the header line: the first line with text, or in Takeout's older playlist
    files (a block about the playlist, an empty line, then the videos) the videos' header."""
    filled = [index for index, line in enumerate(lines) if line.strip()]
    if not filled:
        return None
    first = filled[0]
    if lines[first].strip().casefold().startswith(TAKEOUT_PLAYLIST_HEADER):
        blank = next((i for i in range(first, len(lines)) if not lines[i].strip()), None)
        following = [index for index in filled if blank is not None and index > blank]
        if following:
            return following[0]
    return first


def _dialect(header_line):
    delimiter = max(",;\t", key=header_line.count)
    return type("ListDialect", (csv.excel,), {"delimiter": delimiter, "strict": True})


def _csv_columns(header, *, line):
    """``{"title": index, "url": index, ...}`` from the header's cells; ``SourceError`` when a
    needed column is missing."""
    names = [" ".join(cell.strip().casefold().replace("_", " ").split()) for cell in header]
    columns = {}
    for column, aliases in CSV_COLUMNS.items():
        index = next((i for i, name in enumerate(names) if name in aliases), None)
        if index is not None:
            columns[column] = index
    found = ", ".join(cell.strip() for cell in header if cell.strip()) or "nothing"
    if "video id" in columns and "title" not in columns:
        raise SourceError(
            Origin(line=line),
            "this is a Google Takeout playlist: it lists video ids without their titles, so "
            "no video can be matched to a session by title. Export the playlist with "
            "“yt-dlp --flat-playlist -J PLAYLIST_URL” instead, or add a title column",
        )
    if "title" not in columns or ("url" not in columns and "video id" not in columns):
        raise SourceError(
            Origin(line=line),
            f"the header must name a title and a url column (and optionally speakers); it "
            f"names {found}",
        )
    return columns


def _cell(row, columns, name):
    index = columns.get(name)
    return row[index].strip() if index is not None and index < len(row) else ""


def _csv_video(row, columns, origin):
    title = _cell(row, columns, "title")
    url = _cell(row, columns, "url")
    if not url and (identifier := _cell(row, columns, "video id")):
        url = f"https://www.youtube.com/watch?v={identifier}"
    if not title:
        raise SourceError(origin, "the row has no title")
    if not url:
        raise SourceError(origin, "the row has no url")
    speakers = [
        name for name in SPEAKER_SEPARATORS.split(_cell(row, columns, "speakers")) if name.strip()
    ]
    return _video(title, url, origin, speakers=speakers)
