"""The neutral document: what a source says about one event, before anything is written.

A reader turns a file into an :class:`EventDocument`; the loader writes one to the database.
Plain dataclasses, no database. Every item keeps its :class:`Origin` (where in the source it
came from, for error messages and the admin history) and its ``source_key`` (the source's own
key, which the loader matches on when the same source is imported again).
"""

import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from uuid import UUID

from sessions.providers import VideoProvider

# The last day a session may be on (Session.day and every reader check it): no conference
# lasts longer, a larger day number is a typing mistake.
MAX_DAY = 100
SESSION_SLUG_LENGTH = 200  # Session.slug's max_length


@dataclass(frozen=True)
class Origin:
    """A place in a source: a 1-based ``line`` of a text file, an ``xpath`` of an XML file or a
    ``pointer`` (RFC 6901) into a JSON document; ``str()`` reads "line 37"."""

    line: int | None = None
    xpath: str = ""
    pointer: str = ""

    def __str__(self):
        if self.line is not None:
            return f"line {self.line}"
        return self.xpath or self.pointer or "the start of the file"


START = Origin(line=1)  # where a problem of the whole file is reported


class SourceError(Exception):
    """A source cannot be imported: it cannot be read, parsed or stored. ``origin`` says where."""

    def __init__(self, origin, message):
        super().__init__(f"{origin}: {message}")
        self.origin = origin
        self.message = message

    @property
    def line(self):
        """The 1-based line to print as ``PATH:LINE: message`` (1 when the origin has none)."""
        return self.origin.line or 1


@dataclass(frozen=True)
class Note:
    """Something the import leaves out, reported with where it is (an unsupported embed...)."""

    origin: Origin
    message: str


@dataclass(frozen=True)
class MediaItem:
    """A recording or slide deck found in the source: provider, provider key, canonical URL.

    Matched on re-import by ``(provider, key)``: the provider's key is its identity.
    """

    provider: str
    key: str
    url: str
    origin: Origin
    title: str = ""  # as the embed code's attribution names it
    # Further sources of the same video (the .webm beside an .mp4 of one talk), in order.
    alternate_urls: tuple[str, ...] = ()

    def is_same(self, other):
        """The same video or deck: same provider and key (a Vimeo key may add the hash)."""
        if self.provider != other.provider:
            return False
        if self.provider == VideoProvider.VIMEO:
            return self.key.split("/")[0] == other.key.split("/")[0]
        return self.key == other.key

    def merged(self, other):
        """One item for two mentions of the same media: the fuller key (an unlisted Vimeo
        video's player needs its hash), the first place and the first title found."""
        fuller = other if len(other.key) > len(self.key) else self
        return replace(fuller, origin=self.origin, title=self.title or other.title)


@dataclass(frozen=True)
class SpeakerItem:
    """A person named as a speaker: name, profile URL (``url``), company and biography, as the
    source says.

    Matched by ``source_id`` first (the source's own key for the person, made unique across
    sources by the reader: a guid, or the source's address and the person's id), then by
    normalised profile URL, then by name.
    """

    name: str
    url: str = ""
    company: str = ""
    origin: Origin | None = None
    source_id: str = ""
    bio: str = ""  # Markdown; an empty one never erases what the site has


def name_key(name):
    """A person's name to compare: without case, accents or extra spaces ("José  Díaz" is
    "jose diaz"), as readers and the loader match speakers."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


@dataclass(frozen=True)
class SponsorItem:
    """A sponsor thanked by the source; ``source_key`` is its slug."""

    name: str
    url: str
    origin: Origin
    source_key: str = ""


@dataclass(frozen=True)
class RoomItem:
    """A room of the programme; ``source_key`` is its slug in the event. Rooms are listed in
    the order of the schedule's columns."""

    name: str
    source_key: str
    origin: Origin
    capacity: int | None = None
    description: str = ""


@dataclass(frozen=True)
class TrackItem:
    """A track of the programme; ``source_key`` is its slug in the event, ``colour`` a
    ``#rrggbb`` hex colour or ``""`` (the site picks one)."""

    name: str
    source_key: str
    origin: Origin
    colour: str = ""


@dataclass(frozen=True)
class LinkItem:
    """A link of a session that is neither a recording nor a slide deck (shown as a link)."""

    url: str
    title: str
    origin: Origin


@dataclass
class SessionItem:
    """One session; ``source_key`` is its slug in the event, unique within the document.

    A session of a roundup post has a ``day``, a ``position`` in it and maybe a
    ``start_time``; one of a schedule has ``starts_at`` (an aware datetime: the day follows
    from it), a ``duration``, the ``source_key`` of its ``room`` and ``track`` and a
    ``guid``, by which it is found again when the same source is imported again.
    """

    title: str
    source_key: str
    kind: str
    day: int
    position: int
    origin: Origin
    description: str = ""
    start_time: time | None = None
    speakers: list[SpeakerItem] = field(default_factory=list)
    recordings: list[MediaItem] = field(default_factory=list)
    slide_decks: list[MediaItem] = field(default_factory=list)
    starts_at: datetime | None = None
    duration: timedelta | None = None
    room: str = ""
    track: str = ""
    language: str = ""
    guid: UUID | None = None
    links: list[LinkItem] = field(default_factory=list)


@dataclass
class EventDocument:
    """Everything one source says about one event. ``source_key`` is the event's slug.

    ``origins`` maps an event field ("name", "start_date"...) to where the source states it;
    ``unsupported_embeds`` are embeds of providers we do not support (the import refuses them
    unless told to skip them) and ``notes`` what the import leaves out otherwise.
    """

    source: str  # the file name, as history entries and messages show it
    source_key: str
    title: str
    name: str
    # A schedule (frab, Sessionize, CSV...) states the whole programme: rooms, tracks and each
    # session's time, room, track and language, which the loader then sets (and clears).
    # A roundup post does not, and the loader leaves those as the organiser set them.
    has_programme: bool = False
    time_zone: str = ""  # an IANA zone name, or "" when the source does not say
    rooms: list[RoomItem] = field(default_factory=list)
    tracks: list[TrackItem] = field(default_factory=list)
    summary: str = ""
    post_date: date | None = None
    start_date: date | None = None
    end_date: date | None = None
    venue: str = ""
    city: str = ""
    country: str = ""
    website: str = ""
    photo_gallery_url: str = ""
    attendee_count: int | None = None
    country_count: int | None = None
    sponsors: list[SponsorItem] = field(default_factory=list)
    sessions: list[SessionItem] = field(default_factory=list)
    unsupported_embeds: list[Note] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    origins: dict[str, Origin] = field(default_factory=dict)

    def origin_of(self, name):
        """Where the source states the event's field ``name`` (the start when it does not)."""
        return self.origins.get(name, START)
