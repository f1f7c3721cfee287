"""Read Sessionize's "All" export (``GET https://sessionize.com/api/v2/<id>/view/All``) into an
:class:`~sessions.interchange.document.EventDocument`.

The export is one JSON object: ``sessions``, ``speakers``, ``categories``, ``rooms`` and
``questions``, related by id. It does not name the event: the document's ``source_key`` and
``name`` are empty, and the import names them (``--event SLUG --name NAME``) or refuses.

How the export becomes the document:

- **Times** (``startsAt``, ``endsAt``) are the event's wall-clock time without an offset
  ("2024-03-14T09:00:00"): they stay naive, and the loader places them in the event's zone
  (a time given with an offset keeps it). The duration is ``endsAt - startsAt``. Days are
  numbered from the earliest session's date; a day orders its sessions by start, then by the
  room's ``sort``. Sessions without a time come after the timed ones of day 1. The event's
  start and end dates are the first and last days with a session.
- **Identity:** a session's guid is ``uuid5(NAMESPACE_URL, "sessionize:<session id>")`` (ids
  are numeric strings, or uuids for service sessions), so a second import finds the same
  sessions; a speaker's source id is ``sessionize:speaker:<speaker id>``.
- **Categories** of sessions, told apart by title (any case): "Track" or "Tracks" gives the
  track (the first of a session's items), "Session format", "Format" or "Type" the kind (by
  the words of the item's name: keynote, lightning, panel, workshop, tutorial, demo, else a
  talk), "Language" the language (the language's name in English or in itself, or a tag). Other
  session categories ("Level", "Tags"...) have no place in the site: one note names them.
  Service sessions (breaks, registration) are of kind "other".
- **Speakers:** name (``fullName``, else first and last name), biography, ``tagLine`` as the
  company line, and one profile link: the LinkedIn one, else the first other personal link
  (a company's website is shared by colleagues, so it never identifies a person).
- **Media:** ``recordingUrl`` and ``liveUrl`` become recordings, slide decks or links through
  the provider table, as every reader does.
- **Ignored:** ``questions`` and ``questionAnswers`` (custom fields the site has no place
  for), ``status`` (the endpoint decides which sessions it publishes), ``isPlenumSession``
  (shown in its room, as given), profile pictures.

Bad input raises :class:`~sessions.interchange.document.SourceError` with the JSON pointer of
the value ("/sessions/3/startsAt: not a date and time"), never anything else.
"""

import re
import uuid
from datetime import datetime

from django.core.exceptions import ValidationError

from conference.validators import validate_web_address
from sessions.interchange.document import (
    START,
    EventDocument,
    Note,
    RoomItem,
    SessionItem,
    SourceError,
    SpeakerItem,
    TrackItem,
)
from sessions.interchange.files import read_bytes
from sessions.models import Session

from . import _json
from ._json import at
from ._programme import MAX_DAY, Keys, SessionSlugs, arrange, kind_of_format, language_tag, shown
from .links import Candidate, LinkNotes, classify_urls

__all__ = ["parse", "read"]

DATE_TIME = re.compile(
    r"^(?P<moment>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?"
    r"(?P<offset>Z|[+-]\d{2}:\d{2})?$"
)
TRACK_TITLES = {"track", "tracks"}
FORMAT_TITLES = {"session format", "format", "type", "session type"}
LANGUAGE_TITLES = {"language", "languages", "session language"}
LINKEDIN = "linkedin"
NOT_PERSONAL_LINKS = {"company_website"}
PROFILE_URL_LENGTH = 500  # ProfileLink.url's max_length: a longer one would stop the import
ALL_VIEW = "export the All view (https://sessionize.com/api/v2/<id>/view/All)"


def read(path):
    """Read and parse the export at ``path``."""
    return parse(read_bytes(path), filename=str(path))


def parse(data, *, filename):
    """The document of the Sessionize export ``data`` (bytes)."""
    root = _json.load(data)
    if not isinstance(root, dict):
        raise SourceError(
            START,
            f"this JSON is a {_kind_of(root)}, not Sessionize's All view: {ALL_VIEW}, an "
            "object with sessions, speakers and rooms",
        )
    if "sessions" not in root:
        raise SourceError(START, f'this JSON has no "sessions": {ALL_VIEW}')
    return _Reader(root, filename).document()


class _Reader:
    def __init__(self, root, filename):
        self.root = root
        self.document_ = EventDocument(
            source=filename, source_key="", title="", name="", has_programme=True
        )
        self.notes = self.document_.notes
        self.link_notes = LinkNotes()

    def document(self):
        document = self.document_
        self.rooms = self.read_rooms()
        self.categories = self.read_categories()
        self.speakers = self.read_speakers()
        self.read_sessions()
        document.rooms = [room for _sort, _index, _id, room in sorted(self.rooms.values())]
        self.notes.extend(self.link_notes.notes())
        return document

    # The parts of the export ------------------------------------------------------------------

    def read_rooms(self):
        """``{room id: (sort, index, id, RoomItem)}``."""
        rooms, keys = {}, Keys("room")
        for index, raw in self.items("rooms", "a room"):
            room_id = _required(raw, "id", int, ("rooms", index), "a room id (a number)")
            if room_id in rooms:
                raise SourceError(at("rooms", index, "id"), f"room id {room_id} is given twice")
            name = _name(raw, "name", ("rooms", index), "a room")
            sort = _optional(raw, "sort", int, ("rooms", index), "a number") or 0
            item = RoomItem(name=name, source_key=keys.new(name), origin=at("rooms", index))
            rooms[room_id] = (sort, index, room_id, item)
        return rooms

    def read_categories(self):
        """``{item id: (role, name, origin)}`` for the items of session categories; the
        tracks go to the document, the other categories to one note."""
        items, ignored, tracks, keys = {}, [], [], Keys("track")
        for index, raw in self.items("categories", "a category"):
            where = ("categories", index)
            title = _optional(raw, "title", str, where, "a title (text)") or ""
            kind = _optional(raw, "type", str, where, "a category type (text)") or "session"
            role = _role(title)
            if kind.casefold() != "session":
                continue
            if role == "other":
                ignored.append(shown(" ".join(title.split())) or f"category {index + 1}")
            entries = _optional(raw, "items", list, where, "a list of items") or []
            for item_index, entry in enumerate(entries):
                item_where = (*where, "items", item_index)
                if not isinstance(entry, dict):
                    raise SourceError(at(*item_where), "not a category item (an object)")
                item_id = _required(entry, "id", int, item_where, "a category item id (a number)")
                name = _name(entry, "name", item_where, "a category item")
                sort = _optional(entry, "sort", int, item_where, "a number") or 0
                items[item_id] = (role, name, at(*item_where))
                if role == "track":
                    tracks.append((sort, len(tracks), name, at(*item_where)))
        for _sort, _index, name, origin in sorted(tracks):
            if keys.get(name) is None:
                self.document_.tracks.append(TrackItem(name, keys.new(name), origin))
        self.track_keys = keys
        if ignored:
            self.notes.append(
                Note(
                    at("categories"),
                    f"categories not imported (the site has no place for them): "
                    f"{', '.join(ignored)}",
                )
            )
        return items

    def read_speakers(self):
        """``{speaker id: SpeakerItem}``."""
        speakers = {}
        for index, raw in self.items("speakers", "a speaker"):
            where = ("speakers", index)
            speaker_id = _identifier(raw, where, "speaker")
            first = _optional(raw, "firstName", str, where, "text") or ""
            last = _optional(raw, "lastName", str, where, "text") or ""
            full = _optional(raw, "fullName", str, where, "text") or f"{first} {last}"
            name = " ".join(full.split())
            if not name:
                raise SourceError(at(*where, "fullName"), "a speaker without a name")
            speakers[speaker_id] = SpeakerItem(
                name=name,
                url=self.profile_url(raw, where, name),
                company=" ".join((_optional(raw, "tagLine", str, where, "text") or "").split()),
                origin=at(*where),
                source_id=f"sessionize:speaker:{speaker_id}",
                bio=_text(_optional(raw, "bio", str, where, "text")),
            )
        return speakers

    def profile_url(self, raw, where, name):
        """The speaker's LinkedIn link, else the first other personal web address, or ""."""
        links = _optional(raw, "links", list, where, "a list of links") or []
        candidates = []
        for index, link in enumerate(links):
            link_where = (*where, "links", index)
            if not isinstance(link, dict):
                raise SourceError(at(*link_where), "not a link (an object)")
            url = (_optional(link, "url", str, link_where, "a web address (text)") or "").strip()
            kind = (_optional(link, "linkType", str, link_where, "text") or "").casefold()
            if not url or kind in NOT_PERSONAL_LINKS:
                continue
            if not _is_web_address(url) or len(url) > PROFILE_URL_LENGTH:
                self.notes.append(
                    Note(at(*link_where, "url"), f"link of {name} left out: not a web address")
                )
                continue
            candidates.append((kind != LINKEDIN, index, url))
        return min(candidates)[2] if candidates else ""

    def read_sessions(self):
        sessions = _required(self.root, "sessions", list, (), "a list of sessions")
        slugs, seen, entries = SessionSlugs(), {}, []
        for index, raw in enumerate(sessions):
            where = ("sessions", index)
            if not isinstance(raw, dict):
                raise SourceError(at(*where), "not a session (an object)")
            session_id = _identifier(raw, where, "session")
            if session_id in seen:
                message = f"session id {shown(session_id)} is also the id of {seen[session_id]}"
                raise SourceError(at(*where, "id"), message)
            seen[session_id] = _json.pointer(*where)
            entries.append(self.session(raw, where, session_id, slugs))
        self.document_.sessions = arrange(self.placed(entries))

    def session(self, raw, where, session_id, slugs):
        """``(SessionItem, wall-clock start or None, room sort, pointer of startsAt)``."""
        title = _name(raw, "title", where, "a session")
        starts_at = _moment(raw, "startsAt", where)
        ends_at = _moment(raw, "endsAt", where)
        duration = None
        if starts_at is not None and ends_at is not None:
            duration = _duration(starts_at, ends_at)
            if duration.total_seconds() < 0:
                raise SourceError(at(*where, "endsAt"), "the session ends before it starts")
        item = SessionItem(
            title=title,
            source_key=slugs.unique(title),
            kind=Session.Kind.TALK.value,
            day=1,
            position=0,
            origin=at(*where),
            description=_text(_optional(raw, "description", str, where, "text")),
            starts_at=starts_at,
            duration=duration,
            guid=uuid.uuid5(uuid.NAMESPACE_URL, f"sessionize:{session_id}"),
        )
        item.speakers = self.session_speakers(raw, where, title)
        self.apply_categories(item, raw, where)
        if _optional(raw, "isServiceSession", bool, where, "true or false"):
            item.kind = Session.Kind.OTHER.value
        sort = self.apply_room(item, raw, where, title)
        urls = []
        for key, label in (("recordingUrl", "Recording"), ("liveUrl", "Live stream")):
            url = (_optional(raw, key, str, where, "a web address (text)") or "").strip()
            if url:
                if not _is_web_address(url):
                    raise SourceError(at(*where, key), f"{shown(url, 60)} is not a web address")
                urls.append(Candidate(url, label, at(*where, key), title_is_label=True))
        item.recordings, item.slide_decks, item.links = classify_urls(urls, notes=self.link_notes)
        return item, starts_at, sort, at(*where, "startsAt")

    def session_speakers(self, raw, where, title):
        speakers = []
        ids = _optional(raw, "speakers", list, where, "a list of speaker ids") or []
        for index, speaker_id in enumerate(ids):
            if isinstance(speaker_id, dict):  # other views give {"id": ..., "name": ...}
                speaker_id = speaker_id.get("id")
            if isinstance(speaker_id, bool) or not isinstance(speaker_id, str | int):
                raise SourceError(at(*where, "speakers", index), "not a speaker id")
            speaker = self.speakers.get(str(speaker_id).strip())
            if speaker is None:
                self.notes.append(
                    Note(
                        at(*where, "speakers", index),
                        f"{title!r} names speaker {shown(speaker_id)}, whom /speakers does not "
                        "list: left out",
                    )
                )
            elif speaker not in speakers:
                speakers.append(speaker)
        return speakers

    def apply_categories(self, item, raw, where):
        ids = _optional(raw, "categoryItems", list, where, "a list of category item ids") or []
        for index, item_id in enumerate(ids):
            if isinstance(item_id, bool) or not isinstance(item_id, int):
                raise SourceError(
                    at(*where, "categoryItems", index), "not a category item id (a number)"
                )
            # Items of categories the endpoint does not publish are not listed: nothing to add.
            role, name, origin = self.categories.get(item_id, ("other", "", None))
            if role == "track" and not item.track:
                item.track = self.track_keys.get(name)
            elif role == "format" and item.kind == Session.Kind.TALK.value:
                item.kind = kind_of_format(name)
            elif role == "language" and not item.language:
                item.language = language_tag(name)
                if not item.language:
                    self.note_once(origin, f"language {name!r} is no language we know: left out")

    def apply_room(self, item, raw, where, title):
        """Set the session's room; the room's ``sort`` (0 without a room)."""
        room_id = _optional(raw, "roomId", int, where, "a room id (a number)")
        if room_id is None:
            return 0
        room = self.rooms.get(room_id)
        if room is None:
            self.notes.append(
                Note(
                    at(*where, "roomId"),
                    f"{title!r} is in room {room_id}, which /rooms does not list: left "
                    "without a room",
                )
            )
            return 0
        item.room = room[3].source_key
        return room[0]

    def placed(self, entries):
        """``(item, day, wall-clock start, room sort)``; sets the event's first and last dates."""
        timed = [(start, where) for _item, start, _sort, where in entries if start is not None]
        if not timed:
            return [(item, 1, None, sort) for item, _start, sort, _where in entries]
        first_start, first_where = min(timed, key=lambda pair: pair[0].date())
        last_start, last_where = max(timed, key=lambda pair: pair[0].date())
        first = first_start.date()
        placed = []
        for item, start, sort, where in entries:
            if start is None:
                placed.append((item, 1, None, sort))
                continue
            day = (start.date() - first).days + 1
            if day > MAX_DAY:
                raise SourceError(
                    where,
                    f"is {day - 1} days after the first session ({first}): a schedule spans "
                    f"at most {MAX_DAY} days",
                )
            placed.append((item, day, start.replace(tzinfo=None), sort))
        document = self.document_
        document.start_date, document.end_date = first, last_start.date()
        document.origins.update(start_date=first_where, end_date=last_where)
        return placed

    # Helpers ------------------------------------------------------------------------------

    def items(self, key, what):
        """``(index, object)`` of the list ``key`` of the export (none when it is absent)."""
        values = _optional(self.root, key, list, (), f"a list of {what.split()[-1]}s") or []
        for index, value in enumerate(values):
            if not isinstance(value, dict):
                raise SourceError(at(key, index), f"not {what} (an object)")
            yield index, value

    def note_once(self, origin, message):
        if all(note.message != message for note in self.notes):
            self.notes.append(Note(origin or START, message))


def _kind_of(value):
    return {list: "list", str: "string", bool: "boolean"}.get(type(value), "number or null")


def _role(title):
    title = " ".join(title.casefold().split())
    if title in TRACK_TITLES:
        return "track"
    if title in FORMAT_TITLES:
        return "format"
    if title in LANGUAGE_TITLES:
        return "language"
    return "other"


def _optional(raw, key, kind, where, what):
    """``raw[key]`` when it is of ``kind``; ``None`` when absent or null."""
    value = raw.get(key)
    if value is None:
        return None
    if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
        raise SourceError(at(*where, key), f"not {what}")
    return value


def _required(raw, key, kind, where, what):
    value = _optional(raw, key, kind, where, what)
    if value is None:
        raise SourceError(at(*where, key), f"missing: {what}")
    return value


def _identifier(raw, where, what):
    value = raw.get("id")
    if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
        raise SourceError(at(*where, "id"), f"not a {what} id (text or a number)")
    return str(value).strip()


def _name(raw, key, where, what):
    value = " ".join((_optional(raw, key, str, where, "text") or "").split())
    if not value:
        raise SourceError(at(*where, key), f"{what} without a {key}")
    return value


def _text(value):
    """Text as Markdown keeps it: Unix line ends, no blank lines around it."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _moment(raw, key, where):
    value = _optional(raw, key, str, where, "a date and time (text)")
    if value is None or not value.strip():
        return None
    match = DATE_TIME.match(value.strip())
    try:
        if match is None:
            raise ValueError(value)
        moment = datetime.fromisoformat(match["moment"] + (match["offset"] or ""))
    except ValueError:
        raise SourceError(
            at(*where, key), f"not a date and time (YYYY-MM-DDTHH:MM:SS): {shown(value)}"
        ) from None
    return moment


def _duration(starts_at, ends_at):
    if (starts_at.tzinfo is None) != (ends_at.tzinfo is None):
        return ends_at.replace(tzinfo=None) - starts_at.replace(tzinfo=None)
    return ends_at - starts_at


def _is_web_address(url):
    try:
        validate_web_address(url)
    except ValidationError:
        return False
    return True
