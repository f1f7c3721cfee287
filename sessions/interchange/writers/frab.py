"""The frab schedule of a snapshot: one structure that the XML and the JSON writers render.

The frab schedule format (pentabarf's, then frab's, pretalx's and the c3voc tools') is what
schedule apps (Giggity, ConfClerk, EventFahrplan) and video pipelines (media.ccc.de's voctoweb)
read. As pretalx does, :func:`frab_schedule` builds the schedule once; ``frab_xml`` and
``frab_json`` only spell it. The rules (see ``docs/schedule-exports.md``):

- Only timed sessions are placed: a frab event has a date and a start. An event without any
  raises :class:`NoTimedSessions`.
- Days are calendar days in the event's zone, from the event's start date (or its first
  session's) to its end date (or its last session's), empty days included, numbered as the
  site numbers them. A day runs from local midnight to the next (23 or 25 hours on a
  daylight-saving day), or to the end of its last session when that is later.
- A session without a room is in the room the schedule grid names
  (:data:`~sessions.programme.UNASSIGNED_ROOM`); rooms have no guid of their own here, so each
  gets a name-based UUID (version 5) of its address, stable as long as its slug is.
- Persons are the speakers in billing order, with their primary key as id and a version 5
  UUID of their page's address as guid; recordings are links, slide decks attachments (an
  uploaded PDF by its absolute address).
- The ``version`` is a digest of everything but the events' and persons' ids (primary keys):
  the same programme on another site, or imported again, has the same version.
"""

import datetime
import hashlib
import json
import re
import uuid
from dataclasses import asdict, dataclass, replace
from itertools import groupby
from operator import attrgetter

from django.urls import reverse

from sessions.interchange.document import MAX_DAY
from sessions.programme import SLOT, UNASSIGNED_ROOM

from ..snapshot import SOURCE_GUIDS, URN_UUID
from .addresses import absolute_url

FORMAT_VERSION_PREFIX = "roundup-"
GENERATOR = "Conference Roundups"
JSON_SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
# The schemas' patterns: an acronym must match both (the JSON one allows a hyphen only first
# or before a year and a word, ``36c3`` or ``divoc-2021-ptt``), a slug and a track's slug too.
XML_ACRONYM = re.compile(r"[a-z0-9_-]{4,}")
JSON_ACRONYM = re.compile(r"[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?")
NOT_ACRONYM = re.compile(r"[^a-z0-9_]")
NOT_SLUG = re.compile(r"[^a-z0-9_-]+")
XML_TRACK_SLUG = re.compile(r"[a-z][a-z0-9-]+")
JSON_TRACK_SLUG = re.compile(r"[a-z0-9_-]+[a-z0-9]")
# The slug's part after the acronym needs four characters (``acronym-tail``).
MIN_SLUG_TAIL = 4
# The XML schema's durations have at most two digits of hours.
MAX_DURATION = datetime.timedelta(hours=99, minutes=59)


class NoTimedSessions(ValueError):
    """The event has no published session with a time: a frab schedule could place nothing."""


@dataclass(frozen=True)
class Person:
    id: int
    guid: str
    name: str
    url: str


@dataclass(frozen=True)
class Reference:
    """A link (a recording) or an attachment (a slide deck): ``kind`` is the JSON schema's
    type (``media``, ``slides``)."""

    url: str
    title: str
    kind: str


@dataclass(frozen=True)
class FrabEvent:
    guid: str
    id: int
    date: str  # ISO 8601 with the event zone's offset
    start: str  # HH:MM in the event's zone
    duration: str  # HH:MM
    room: str
    slug: str
    url: str
    title: str
    track: str  # "" without one
    type: str
    language: str  # "" without one
    description: str  # Markdown
    persons: list[Person]
    links: list[Reference]
    attachments: list[Reference]


@dataclass(frozen=True)
class FrabRoom:
    name: str
    guid: str
    events: list[FrabEvent]


@dataclass(frozen=True)
class FrabDay:
    index: int
    date: str
    start: str
    end: str
    rooms: list[FrabRoom]


@dataclass(frozen=True)
class FrabTrack:
    name: str
    slug: str  # "" when the event's slug is not one the schemas accept
    colour: str


@dataclass(frozen=True)
class FrabConference:
    acronym: str
    title: str
    start: str
    end: str
    days_count: int
    timeslot_duration: str
    time_zone_name: str
    url: str
    rooms: list[FrabRoom]  # every room of the event (without events), in schedule order
    tracks: list[FrabTrack]


@dataclass(frozen=True)
class FrabSchedule:
    """What both frab writers spell. ``version`` is a digest of everything else, so it changes
    exactly when the schedule does (apps show it and compare it)."""

    version: str
    xml_url: str  # where schedule.xml is served, as the XML file names itself
    json_url: str  # where schedule.json is
    base_url: str
    conference: FrabConference
    days: list[FrabDay]


def frab_schedule(snapshot, *, base_url):
    """The :class:`FrabSchedule` of a snapshot's timed sessions; addresses absolute against
    ``base_url`` (``scheme://host[:port]``). Raises :class:`NoTimedSessions`."""
    event = snapshot.event
    zone = event.zone
    timed = sorted((s for s in snapshot.sessions if s.starts_at), key=time_order)
    if not timed:
        raise NoTimedSessions(f"{event.name} has no timed session to place on a frab schedule")

    def url(location):
        return absolute_url(base_url, location)

    event_url = url(event.get_absolute_url())
    acronym = frab_acronym(event.slug)
    slugs = frab_slugs(acronym, timed)

    def place(session, room_name):
        return frab_event(session, room_name, slugs[session.pk], url, zone)

    by_date = {
        date: list(sessions)
        for date, sessions in groupby(timed, key=lambda s: s.starts_at.astimezone(zone).date())
    }
    first_date = min(filter(None, (event.start_date, min(by_date))))
    last_date = max(filter(None, (event.end_date, max(by_date))))
    # An end date far beyond the sessions (a typo) adds no more days than the site numbers.
    last_date = max(min(last_date, first_date + datetime.timedelta(days=MAX_DAY - 1)), max(by_date))
    dates = [
        first_date + datetime.timedelta(days=offset)
        for offset in range((last_date - first_date).days + 1)
    ]
    days = [
        frab_day(index, date, by_date.get(date, []), zone, event_url, place)
        for index, date in enumerate(dates, start=1)
    ]

    all_rooms = [
        FrabRoom(room.name, room_guid(event_url, room.slug), []) for room in snapshot.rooms
    ]
    if any(session.room is None for session in timed):
        all_rooms.append(FrabRoom(UNASSIGNED_ROOM, room_guid(event_url, ""), []))
    conference = FrabConference(
        acronym=acronym,
        title=event.name,
        start=first_date.isoformat(),
        end=last_date.isoformat(),
        days_count=len(days),
        timeslot_duration=hours_minutes(SLOT),
        time_zone_name=event.time_zone,
        url=event_url,
        rooms=all_rooms,
        tracks=[
            FrabTrack(track.name, frab_track_slug(track.slug), track.colour.lower())
            for track in snapshot.tracks
        ],
    )
    schedule = FrabSchedule(
        version="",
        xml_url=url(reverse("talks:event_schedule_xml", kwargs={"slug": event.slug})),
        json_url=url(reverse("talks:event_schedule_json", kwargs={"slug": event.slug})),
        base_url=f"{base_url}/",
        conference=conference,
        days=days,
    )
    return replace(schedule, version=digest(schedule))


def frab_day(index, date, sessions, zone, event_url, place):
    """Day ``index`` on ``date``: from local midnight to the next one, or to the end of its last
    session when that is later; its sessions by room, each made an event by ``place``."""
    # Compared in UTC: Python compares two times of one zone on the wall clock, which puts the
    # second 02:30 of a night the clocks go back before the first 02:45.
    ends = [session_end(session).astimezone(datetime.UTC) for session in sessions]
    next_midnight = local_midnight(date + datetime.timedelta(days=1), zone)
    end = max([next_midnight.astimezone(datetime.UTC), *ends]).astimezone(zone)
    rooms = []
    for _room_id, group in groupby(sorted(sessions, key=room_order), key=attrgetter("room_id")):
        room_sessions = list(group)
        room = frab_room(room_sessions, event_url)
        events = [place(session, room.name) for session in sorted(room_sessions, key=time_order)]
        rooms.append(replace(room, events=events))
    return FrabDay(
        index=index,
        date=date.isoformat(),
        start=iso(local_midnight(date, zone)),
        end=iso(end),
        rooms=rooms,
    )


def frab_room(sessions, event_url):
    """The room of ``sessions`` (all in one), without its events."""
    room = sessions[0].room
    if room is None:
        return FrabRoom(UNASSIGNED_ROOM, room_guid(event_url, ""), [])
    return FrabRoom(room.name, room_guid(event_url, room.slug), [])


def frab_event(session, room_name, slug, url, zone):
    start = session.starts_at.astimezone(zone)
    return FrabEvent(
        guid=str(session.guid),
        id=session.pk,
        date=iso(start),
        start=start.strftime("%H:%M"),
        duration=hours_minutes(session.duration),
        room=room_name,
        slug=slug,
        url=url(session.get_absolute_url()),
        title=session.title,
        track=session.track.name if session.track else "",
        type=session.kind,
        language=session.language,
        description=session.description,
        persons=[frab_person(speaker, url) for speaker in session.ordered_speakers],
        links=[
            Reference(recording.url, recording.title or recording.get_kind_display(), "media")
            for recording in session.recordings.all()
        ],
        attachments=[
            Reference(url(deck.pdf.url) if deck.pdf else deck.url, deck.title or "Slides", "slides")
            for deck in session.slide_decks.all()
        ],
    )


def frab_person(speaker, url):
    """A speaker as a person: the guid is the one a schedule source gave (the first
    ``urn:uuid:`` source id the snapshot loaded), so a round trip keeps it; else a name-based
    UUID (version 5) of the speaker's page address, which stays as long as the slug does. A
    re-import finds the speaker by either."""
    page = url(speaker.get_absolute_url())
    return Person(speaker.pk, source_guid(speaker) or person_guid(page), speaker.name, page)


def source_guid(speaker):
    for source_id in getattr(speaker, SOURCE_GUIDS, ()):
        try:
            return str(uuid.UUID(source_id.key.removeprefix(URN_UUID)))
        except ValueError:
            continue
    return ""


def person_guid(page_url):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, page_url))


def time_order(session):
    """By start, then grid column (room position, sessions without a room last), then title."""
    return (session.starts_at, room_order(session), session.title, session.pk)


def room_order(session):
    room = session.room
    return (0, room.position, room.name, room.pk) if room else (1, 0, "", 0)


def session_end(session):
    """The end of a session, or its start when it has no duration (a point in time)."""
    return session.ends_at or session.starts_at


def local_midnight(date, zone):
    """The first moment of ``date`` in ``zone`` (where clocks skip midnight, the first moment
    that exists: the time is normalised through UTC)."""
    moment = datetime.datetime.combine(date, datetime.time(0), tzinfo=zone)
    return moment.astimezone(datetime.UTC).astimezone(zone)


def iso(moment):
    """``2024-03-31T10:00:00+02:00``: to the second, with the zone's offset."""
    return moment.isoformat(timespec="seconds")


def hours_minutes(duration):
    """``HH:MM`` of a duration, to the nearest minute, at most ``99:59`` (what the XML schema
    holds); ``00:00`` without one (a session at a point in time)."""
    if duration is None:
        return "00:00"
    minutes = round(min(duration, MAX_DURATION).total_seconds() / 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def frab_acronym(slug):
    """The event's slug as an acronym both schemas accept: lower-cased, and where that is not
    enough, with every character other than a letter, digit or ``_`` made ``_`` and padded to
    four characters (``ccc2023-roundup`` becomes ``ccc2023_roundup``)."""
    acronym = slug.lower()
    # Not "-" first either: a session's slug starts with the acronym, and then a letter or digit.
    if (
        XML_ACRONYM.fullmatch(acronym)
        and JSON_ACRONYM.fullmatch(acronym)
        and not acronym.startswith("-")
    ):
        return acronym
    return NOT_ACRONYM.sub("_", acronym).ljust(4, "_")


def frab_slugs(acronym, sessions):
    """``{pk: slug}``: ``<acronym>-<session slug>``, as the schemas want it (lower case, letters,
    digits, ``-`` and ``_``, ending with a letter or digit, at least four characters after the
    acronym) and unique; a session slug that cannot be one gets its primary key added."""
    slugs, taken = {}, set()
    tails = {
        session.pk: NOT_SLUG.sub("-", session.slug.lower()).strip("-_") for session in sessions
    }
    # Sessions whose own slug serves come first, those already in lower case before the rest.
    for session in sorted(sessions, key=lambda session: session.slug != tails[session.pk]):
        slug = f"{acronym}-{tails[session.pk]}"
        if len(tails[session.pk]) >= MIN_SLUG_TAIL and slug not in taken:
            slugs[session.pk] = slug
            taken.add(slug)
    for session in sessions:
        if session.pk in slugs:
            continue
        slug = f"{acronym}-{tails[session.pk] or 'session'}-{session.pk}"
        if len(slug) - len(acronym) - 1 < MIN_SLUG_TAIL:
            slug = f"{acronym}-session-{session.pk}"
        while slug in taken:
            slug = f"{slug}-{session.pk}"
        slugs[session.pk] = slug
        taken.add(slug)
    return slugs


def frab_track_slug(slug):
    """A track's slug when both schemas accept it lower-cased, else "" (left out)."""
    slug = slug.lower()
    if XML_TRACK_SLUG.fullmatch(slug) and JSON_TRACK_SLUG.fullmatch(slug):
        return slug
    return ""


def room_guid(event_url, room_slug):
    """A room's UUID: version 5 of its address (the event page's, with ``#room-<slug>``)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{event_url}#room-{room_slug}"))


def digest(schedule):
    """A short digest of the whole schedule but the events' and persons' ids: its ``version``.
    The ids are primary keys, which another site (or a re-import) numbers differently; the
    guids, slugs and everything else stand for the same programme."""
    text = json.dumps(without_ids(asdict(schedule)), sort_keys=True, ensure_ascii=False)
    return FORMAT_VERSION_PREFIX + hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


def without_ids(value):
    """``value`` (dicts and lists of :func:`~dataclasses.asdict`) without its ``id`` keys."""
    if isinstance(value, dict):
        return {key: without_ids(item) for key, item in value.items() if key != "id"}
    if isinstance(value, list):
        return [without_ids(item) for item in value]
    return value
