"""What the frab schedule XML and JSON readers share: the schedule as the file states it, and
its mapping onto the neutral document.

Both formats hold the same content (pentabarf's, then frab's, pretalx's and the c3voc tools'):
a conference, its days, each day's rooms and each room's events. :mod:`.frab_xml` and
:mod:`.frab_json` read their syntax into :class:`RawSchedule` (every value a :class:`Raw`:
the text as given and where it is); :func:`build_document` turns that into an
:class:`~sessions.interchange.document.EventDocument`, with every value checked and a
:class:`~sessions.interchange.document.SourceError` at the place of the first bad one.

The rules, for files as real producers write them:

- An event's time is its ``date`` (ISO 8601 with an offset) when given; else (old FOSDEM files)
  its day's date and its ``start``: aware in the conference's ``time_zone_name`` when that is
  an IANA zone, naive otherwise (the loader then reads it in the event's zone). A start before
  the day's own start, on a day that runs past midnight (CCC's 11:00 to 03:00), is on the
  next date.
- A ``duration`` is ``HH:MM`` or ``HH:MM:SS``; pretalx writes a day or more as ``D:HH:MM``.
- Events without a ``guid`` get one derived from the schedule's address (or acronym) and their
  id, so importing the file again finds the same sessions.
- Elements and keys the format does not know are ignored; values the models cannot hold (a
  language name no tag stands for) are left out with a note.
"""

import re
import unicodedata
import uuid
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from urllib.parse import urljoin, urlsplit

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from conference.validators import known_time_zones, validate_web_address
from sessions.interchange.document import (
    MAX_DAY,
    SESSION_SLUG_LENGTH,
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

from .links import Candidate, LinkNotes, classify_urls

# The elements of a frab event the readers read, in both syntaxes.
EVENT_ELEMENTS = (
    "date", "start", "duration", "room", "slug", "url", "title", "subtitle", "track", "type",
    "language", "abstract", "description", "video_download_url", "feedback_url", "origin_url",
)  # fmt: skip
EVENT_SLUG_LENGTH = 200  # Event.slug's max_length
NAME_SLUG_LENGTH = 200  # Room.slug's and Track.slug's max_length
# Room for "-2", "-3"... when two names make the same slug.
SLUG_SUFFIX_ROOM = 10
MAX_DURATION = timedelta(days=7)  # Session.duration's validator
# The years a session may start in (Session.starts_at's validators).
FIRST_YEAR, LAST_YEAR = 1900, 2999
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
DURATION = re.compile(r"(\d{1,3}):(\d{1,2})(?::(\d{1,2}))?")
COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
MAX_LANGUAGE_LENGTH = 35  # Session.language's max_length
# What producers write for an event in no track (wafer: "No Track"), compared case-blind.
NO_TRACK = {"no track", "none"}

# Words of an event's type, first match wins (a "Lightning talk" is no talk): Session.Kind.
KIND_WORDS = (
    ("keynote", "keynote"),
    ("lightning", "lightning"),
    ("workshop", "workshop"),
    ("hands-on", "workshop"),
    ("handson", "workshop"),
    ("panel", "panel"),
    ("podium", "panel"),
    ("discussion", "panel"),
    ("tutorial", "tutorial"),
    ("demo", "demo"),
    ("lecture", "talk"),
    ("talk", "talk"),
    ("presentation", "talk"),
    ("vortrag", "talk"),
    ("maintrack", "talk"),  # FOSDEM's main track and developer rooms hold talks
    ("devroom", "talk"),
)
# Language names producers write instead of a tag ("English", "Deutsch"), lower case.
LANGUAGE_NAMES = {
    "english": "en",
    "englisch": "en",
    "german": "de",
    "deutsch": "de",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
    "spanish": "es",
    "español": "es",
    "espanol": "es",
    "italian": "it",
    "italiano": "it",
    "dutch": "nl",
    "nederlands": "nl",
    "portuguese": "pt",
    "português": "pt",
    "russian": "ru",
    "polish": "pl",
    "polski": "pl",
    "czech": "cs",
    "čeština": "cs",
    "swedish": "sv",
    "danish": "da",
    "norwegian": "no",
    "finnish": "fi",
    "japanese": "ja",
    "chinese": "zh",
    "korean": "ko",
    "turkish": "tr",
    "greek": "el",
    "hungarian": "hu",
    "ukrainian": "uk",
}


@dataclass(frozen=True)
class Raw:
    """A value as the file states it (text, stripped) and where it is."""

    text: str
    origin: Origin

    def __bool__(self):
        return bool(self.text)


@dataclass
class RawTrack:
    name: Raw
    colour: Raw
    slug: Raw | None = None  # frab's <track slug> (JSON: "slug"), when given


@dataclass
class RawRoom:
    name: Raw
    capacity: int | None = None
    description: str = ""


@dataclass
class RawPerson:
    name: Raw
    id: Raw
    guid: Raw
    code: Raw
    bio: str = ""
    url: Raw | None = None


@dataclass
class RawEvent:
    """One event; ``values`` maps a field name of the format ("title", "date", "start"...) to
    its :class:`Raw` (absent fields are missing), ``links`` are ``(url, title)`` Raws."""

    origin: Origin
    room: Raw
    values: dict
    persons: list = field(default_factory=list)
    links: list = field(default_factory=list)  # [(Raw url, Raw title)]

    def get(self, name):
        return self.values.get(name) or Raw("", self.origin)


@dataclass
class RawDay:
    origin: Origin
    index: Raw
    date: Raw
    start: Raw
    end: Raw
    events: list = field(default_factory=list)
    room_names: list = field(default_factory=list)  # [Raw], in column order


@dataclass
class RawSchedule:
    """A schedule as either syntax states it; ``conference`` maps a field name to a Raw."""

    conference: dict
    origin: Origin
    generator: str = ""
    schedule_url: Raw | None = None
    rooms: list = field(default_factory=list)  # [RawRoom] the file lists before its days
    tracks: list = field(default_factory=list)  # [RawTrack]
    days: list = field(default_factory=list)  # [RawDay]

    def get(self, name):
        return self.conference.get(name) or Raw("", self.origin)


def clean_text(value):
    """Text without the control characters the models refuse (tabs and newlines stay)."""
    return CONTROL_CHARACTER.sub("", value)


def one_line(value):
    return " ".join(clean_text(value).split())


def build_document(schedule, *, source):
    """The :class:`EventDocument` of ``schedule`` (a :class:`RawSchedule`) read from the file
    named ``source``; :class:`SourceError` at the first value that cannot be read."""
    return _Builder(schedule, source).build()


class _Builder:
    def __init__(self, schedule, source):
        self.schedule = schedule
        self.source = source
        self.notes = []
        self.link_notes = LinkNotes()
        self.zone = None

    def build(self):
        schedule = self.schedule
        title = schedule.get("title")
        acronym = schedule.get("acronym")
        document = EventDocument(
            source=self.source,
            source_key=_slug(acronym.text or title.text, EVENT_SLUG_LENGTH),
            title=one_line(title.text),
            name=one_line(title.text),
            has_programme=True,
        )
        document.origins = {"name": title.origin, "title": title.origin}
        if acronym or title:
            document.origins["source_key"] = (acronym or title).origin
        self._read_zone(document)
        self._read_place(document)
        self.base = self._base_url()
        self.namespace = self._namespace(document)
        document.website = self._website(document)
        days = [self._day(day, ordinal) for ordinal, day in enumerate(schedule.days, start=1)]
        self._read_dates(document, days)
        document.rooms = self._rooms(days)
        document.tracks = self._tracks(days)
        document.sessions = self._sessions(document, days)
        document.notes = self.notes + self.link_notes.notes()
        return document

    # The conference.

    def _read_zone(self, document):
        name = self.schedule.get("time_zone_name")
        if not name:
            return
        if name.text in known_time_zones():
            document.time_zone = name.text
            document.origins["time_zone"] = name.origin
            self.zone = zoneinfo.ZoneInfo(name.text)
        else:
            self.notes.append(
                Note(
                    name.origin,
                    f"time zone {name.text!r} is not an IANA zone name: left out, the "
                    "event's own zone applies",
                )
            )

    def _read_place(self, document):
        for name in ("venue", "city"):
            value = self.schedule.get(name)
            if value:
                setattr(document, name, one_line(value.text))
                document.origins[name] = value.origin

    def _base_url(self):
        """What relative links (FOSDEM's attachments) are relative to: ``base_url``, else the
        conference's or the schedule's address; ``""`` when none is a web address."""
        schedule = self.schedule
        for raw in (schedule.get("base_url"), schedule.get("url"), schedule.schedule_url):
            if raw and _is_web_address(raw.text):
                return raw.text
        return ""

    def _namespace(self, document):
        """What makes an event's or person's id unique across sources: the conference's
        address, else its acronym or title."""
        schedule = self.schedule
        for raw in (schedule.get("url"), schedule.get("base_url")):
            if raw and _is_web_address(raw.text):
                return raw.text
        return schedule.get("acronym").text or document.source_key or document.name

    def _website(self, document):
        url = self.schedule.get("url")
        if not url:
            return ""
        if not _is_web_address(url.text) or len(url.text) > 500:
            self.notes.append(Note(url.origin, f"conference url {url.text!r} is not a web address"))
            return ""
        document.origins["website"] = url.origin
        return url.text

    def _read_dates(self, document, days):
        for name in ("start", "end"):
            raw = self.schedule.get(name)
            if raw:
                setattr(document, f"{name}_date", _date_of(raw, what=f"conference {name}"))
                document.origins[f"{name}_date"] = raw.origin
        dated = [day for day in days if day.date]
        if document.start_date is None and dated:
            first = min(dated, key=lambda day: day.date)
            document.start_date = first.date
            document.origins["start_date"] = first.raw.origin
        if document.end_date is None and dated:
            last = max(dated, key=lambda day: day.date)
            document.end_date = last.date
            document.origins["end_date"] = last.raw.origin

    # Days, rooms and tracks.

    def _day(self, raw, ordinal):
        number = ordinal
        if raw.index:
            try:
                number = int(raw.index.text)
            except ValueError:
                raise SourceError(
                    raw.index.origin, f"day index {raw.index.text!r} is not a number"
                ) from None
            if not 1 <= number <= MAX_DAY:
                raise SourceError(
                    raw.index.origin,
                    f"day index {number}: days are numbered from 1 to {MAX_DAY}",
                )
        start = _datetime_of(raw.start, what="day start") if raw.start else None
        end = _datetime_of(raw.end, what="day end") if raw.end else None
        if raw.date:
            day_date = _date_of(raw.date, what="day date")
        else:
            day_date = start.date() if start else None
        # A day that runs past midnight: what starts before its start is on the next date.
        rollover = None
        if start and end and end.date() > start.date():
            rollover = start.time()
        return _Day(raw, number, day_date, rollover)

    def _rooms(self, days):
        rooms, self.room_keys, slugs = [], {}, set()
        listed = [(room.name, room.capacity, room.description) for room in self.schedule.rooms]
        in_days = [
            (name, None, "")
            for day in days
            for name in [*day.raw.room_names, *(event.room for event in day.raw.events)]
        ]
        for name, capacity, description in [*listed, *in_days]:
            text = one_line(name.text)
            if not text or text in self.room_keys:
                continue
            key = _unique(_slug(text, NAME_SLUG_LENGTH - SLUG_SUFFIX_ROOM) or "room", slugs)
            self.room_keys[text] = key
            rooms.append(RoomItem(text, key, name.origin, capacity, clean_text(description)))
        return rooms

    def _tracks(self, days):
        tracks, self.track_keys, slugs = [], {}, set()
        named = [(track.name, track.colour, track.slug) for track in self.schedule.tracks]
        on_events = [
            (Raw(_track_name(event), event.get("track").origin), Raw("", event.origin), None)
            for day in days
            for event in day.raw.events
        ]
        for name, colour, given in [*named, *on_events]:
            text = one_line(name.text)
            if not text or text in self.track_keys:
                continue
            # The slug the file gives the track (ours, re-imported), else one of its name.
            base = _slug(given.text, NAME_SLUG_LENGTH - SLUG_SUFFIX_ROOM) if given else ""
            base = base or _slug(text, NAME_SLUG_LENGTH - SLUG_SUFFIX_ROOM) or "track"
            key = _unique(base, slugs)
            self.track_keys[text] = key
            hex_colour = colour.text.lower() if COLOUR.fullmatch(colour.text) else ""
            tracks.append(TrackItem(text, key, name.origin, hex_colour))
        return tracks

    # Sessions.

    def _sessions(self, document, days):
        sessions, self.slugs, self.guids, self.derived = [], set(), {}, set()
        room_order = {key: index for index, key in enumerate(self.room_keys.values())}
        for day in days:
            items = [self._session(event, day) for event in day.raw.events]
            items.sort(key=lambda item: (_moment_key(item), room_order.get(item.room, -1)))
            for position, item in enumerate(items):
                item.position = position
            sessions.extend(items)
        return sessions

    def _session(self, event, day):
        title = one_line(event.get("title").text)
        if not title:
            raise SourceError(event.origin, "the event has no title")
        starts_at, start_time = self._time(event, day)
        room = one_line(event.room.text)
        track = _track_name(event)
        recordings, slide_decks, links = classify_urls(
            self._link_candidates(event), notes=self.link_notes
        )
        return SessionItem(
            title=title,
            source_key=self._slug(event, title),
            kind=kind_of(event.get("type").text),
            day=day.number,
            position=0,
            origin=event.origin,
            description=_description(event, title),
            start_time=start_time,
            speakers=self._speakers(event),
            recordings=recordings,
            slide_decks=slide_decks,
            starts_at=starts_at,
            duration=self._duration(event.get("duration")),
            room=self.room_keys.get(room, ""),
            track=self.track_keys.get(track, ""),
            language=self._language(event.get("language")),
            guid=self._guid(event),
            links=links,
        )

    def _slug(self, event, title):
        given = event.get("slug").text
        # frab slugs are "<acronym>-<session slug>" (pretalx's and ours): the session's own
        # slug is the part after the schedule's acronym.
        acronym = self.schedule.get("acronym").text
        if acronym and given.lower().startswith(f"{acronym.lower()}-"):
            given = given[len(acronym) + 1 :]
        base = _slug(given or title, SESSION_SLUG_LENGTH - SLUG_SUFFIX_ROOM)
        if not base:
            base = _slug(f"event-{event.get('id').text}", SESSION_SLUG_LENGTH) or "session"
        return _unique(base, self.slugs)

    def _time(self, event, day):
        """``(starts_at, start_time)``: the moment the event starts, or only its time of day
        when the file does not say on which date."""
        when = event.get("date")
        if when:
            moment = _datetime_of(when, what="date")
            if moment.tzinfo is None and self.zone:
                moment = moment.replace(tzinfo=self.zone)
            return moment, None
        start = event.get("start")
        if not start:
            return None, None
        clock = clock_of(start)
        if day.date is None:
            return None, clock
        on = day.date
        if day.rollover is not None and clock < day.rollover:
            on += timedelta(days=1)
        return datetime.combine(on, clock, tzinfo=self.zone), None

    def _duration(self, raw):
        if not raw:
            return None
        return duration_of(raw, days_first=self.schedule.generator == "pretalx")

    def _language(self, raw):
        language, problem = language_of(raw.text)
        if problem:
            self.notes.append(Note(raw.origin, problem))
        return language

    def _guid(self, event):
        raw = event.get("guid")
        if raw:
            try:
                guid = uuid.UUID(raw.text)
            except ValueError:
                raise SourceError(raw.origin, f"guid {raw.text!r} is not a UUID") from None
            if guid in self.guids:
                raise SourceError(
                    raw.origin, f"guid {guid} is given to two events (the first at "
                    f"{self.guids[guid]})",
                )  # fmt: skip
            self.guids[guid] = raw.origin
            return guid
        # No guid (old FOSDEM, wafer): one from the schedule and the event's id (or code, or
        # slug), the same on every import of the file.
        ident = event.get("id").text or event.get("code").text or event.get("slug").text
        name = f"{self.namespace}#event-{ident or event.get('title').text}"
        guid, count = uuid.uuid5(uuid.NAMESPACE_URL, name), 1
        while guid in self.derived or guid in self.guids:
            count += 1
            guid = uuid.uuid5(uuid.NAMESPACE_URL, f"{name}-{count}")
        self.derived.add(guid)
        return guid

    def _speakers(self, event):
        speakers, seen = [], set()
        for person in event.persons:
            name = one_line(person.name.text)
            if not name:
                continue
            source_id = self._person_id(person)
            key = source_id or name_key(name)
            if key in seen:
                continue
            seen.add(key)
            url = person.url.text if person.url and _is_web_address(person.url.text) else ""
            speakers.append(
                SpeakerItem(
                    name=name,
                    url=url if len(url) <= 500 else "",
                    origin=person.name.origin,
                    source_id=source_id,
                    bio=clean_text(person.bio).strip(),
                )
            )
        return speakers

    def _person_id(self, person):
        if person.guid:
            try:
                return f"urn:uuid:{uuid.UUID(person.guid.text)}"
            except ValueError:
                raise SourceError(
                    person.guid.origin, f"person guid {person.guid.text!r} is not a UUID"
                ) from None
        ident = person.id.text or person.code.text
        return f"{self.namespace}#person-{ident}"[:300] if ident else ""

    def _link_candidates(self, event):
        """The event's links, attachments, recording and page, as :func:`classify_urls`
        takes them (relative addresses resolved against the schedule's base)."""
        candidates = []
        for url, title in event.links:
            candidates.append(Candidate(self._absolute(url), title.text, url.origin))
        for name, title in (
            ("video_download_url", "Video"),
            ("recording_url", "Recording"),
            ("recording_link", "Recording"),
        ):
            raw = event.get(name)
            if raw:
                candidates.append(Candidate(self._absolute(raw), title, raw.origin))
        for name in ("url", "origin_url"):
            raw = event.get(name)
            if raw:
                url = self._absolute(raw)
                host = urlsplit(url).hostname or ""
                candidates.append(Candidate(url, f"Talk page at {host}", raw.origin))
        feedback = event.get("feedback_url")
        if feedback:
            candidates.append(Candidate(self._absolute(feedback), "Feedback", feedback.origin))
        return candidates

    def _absolute(self, raw):
        url = raw.text.strip()
        if urlsplit(url).scheme or not url:
            return url
        if not self.base:
            return url  # left out by classify_urls as not a web address, and counted
        try:
            return urljoin(self.base, url)
        except ValueError:
            return url


@dataclass
class _Day:
    raw: RawDay
    number: int
    date: date | None
    rollover: time | None


def _track_name(event):
    name = one_line(event.get("track").text)
    return "" if name.casefold() in NO_TRACK else name


def _moment_key(item):
    """A session's place in its day, comparable whatever the file gives (aware, naive or only
    a time of day; the untimed last)."""
    if item.starts_at is not None:
        moment = item.starts_at
        if moment.tzinfo is None:
            return (0, moment.replace(tzinfo=zoneinfo.ZoneInfo("UTC")).timestamp())
        return (0, moment.timestamp())
    if item.start_time is not None:
        clock = item.start_time
        return (0, clock.hour * 3600 + clock.minute * 60 + clock.second)
    return (1, 0)


def _description(event, title):
    """Subtitle, abstract and description, each once, separated by blank lines (Markdown; the
    HTML some producers send is sanitised when shown, as any Markdown's)."""
    parts = []
    for name in ("subtitle", "abstract", "description"):
        text = clean_text(event.get(name).text).strip()
        if text and text not in parts and not (name == "subtitle" and text == title):
            parts.append(text)
    return "\n\n".join(parts)


def _slug(text, length):
    return slugify(unicodedata.normalize("NFKC", text))[:length].strip("-_")


def _unique(base, used):
    slug, number = base, 1
    while slug in used:
        number += 1
        slug = f"{base}-{number}"
    used.add(slug)
    return slug


def _is_web_address(url):
    try:
        validate_web_address(url)
    except ValidationError:
        return False
    return True


def kind_of(type_name):
    """The Session.Kind value of an event ``type`` ("lecture", "Lightning Talk"...)."""
    words = type_name.casefold()
    return next((kind for word, kind in KIND_WORDS if word in words), "other")


def language_of(text):
    """``(tag, problem)``: a BCP 47 tag from what a file writes ("en", "pt_BR", "English");
    ``("", message)`` when it names none."""
    text = one_line(text)
    if not text:
        return "", ""
    named = LANGUAGE_NAMES.get(text.casefold())
    if named:
        return named, ""
    tag = text.replace("_", "-")
    if LANGUAGE_TAG.fullmatch(tag) and len(tag) <= MAX_LANGUAGE_LENGTH:
        language, *rest = tag.split("-")
        # Canonical case: "pt-BR", "zh-Hant"; other subtags as given.
        subtags = [
            part.upper() if len(part) == 2 else part.title() if len(part) == 4 else part
            for part in rest
        ]
        return "-".join([language.lower(), *subtags]), ""
    return "", f"language {text[:40]!r} is not a language tag (such as en or pt-BR): left out"


def clock_of(raw):
    """The time of day of ``HH:MM`` or ``HH:MM:SS``."""
    match = CLOCK.fullmatch(raw.text)
    if not match:
        raise SourceError(raw.origin, f"start {raw.text[:40]!r} is not a time (HH:MM)")
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    if hours > 23 or minutes > 59 or seconds > 59:
        raise SourceError(raw.origin, f"start {raw.text!r} is not a time of day")
    return time(hours, minutes, seconds)


def duration_of(raw, *, days_first=False):
    """``HH:MM``, ``HH:MM:SS`` or (pretalx, ``days_first``) ``D:HH:MM`` as a timedelta."""
    text = raw.text
    match = DURATION.fullmatch(text)
    if not match:
        raise SourceError(raw.origin, f"duration {text[:40]!r} is not HH:MM")
    first, second, third = match.groups()
    if third is None:
        days, hours, minutes, seconds = 0, int(first), int(second), 0
        limits = [(minutes, 59)]
        form = "HH:MM"
    elif days_first:
        days, hours, minutes, seconds = int(first), int(second), int(third), 0
        limits = [(hours, 23), (minutes, 59)]
        form = "D:HH:MM"
    else:
        days, hours, minutes, seconds = 0, int(first), int(second), int(third)
        limits = [(minutes, 59), (seconds, 59)]
        form = "HH:MM:SS"
    if any(value > limit for value, limit in limits) or len(second) != 2:
        raise SourceError(raw.origin, f"duration {text} is not {form}")
    duration = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    if duration > MAX_DURATION:
        raise SourceError(raw.origin, f"duration {text} is longer than 7 days")
    return duration


def _date_of(raw, *, what):
    """A date from ``YYYY-MM-DD`` or an ISO date and time (its date, as written)."""
    text = raw.text
    try:
        day = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text).date()
    except ValueError:
        raise SourceError(raw.origin, f"{what} {text[:40]!r} is not a date") from None
    _check_year(day, raw, what=what)
    return day


def _datetime_of(raw, *, what):
    text = raw.text
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise SourceError(
            raw.origin, f"{what} {text[:40]!r} is not a date and time (ISO 8601)"
        ) from None
    _check_year(moment.date(), raw, what=what)
    return moment


def _check_year(day, raw, *, what):
    """Refuse a date of another millennium (a typo, and out of the models' range), before any
    arithmetic on it can overflow."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise SourceError(
            raw.origin, f"{what} {raw.text[:40]!r} is not in the years {FIRST_YEAR} to {LAST_YEAR}"
        )
