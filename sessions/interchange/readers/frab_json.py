"""Read a frab schedule JSON (``schedule.json``) into an
:class:`~sessions.interchange.document.EventDocument`.

The JSON form of the frab schedule, as frab, pretalx and the c3voc tools write it (the c3voc
JSON Schema in ``../shared/schemas/`` describes it): ``{"schedule": {"conference": {...,
"rooms": [...], "tracks": [...], "days": [{"rooms": {"Saal 1": [event, ...]}}]}}}``. Keys the
format does not know are ignored; :mod:`.frab_common` maps what is found.

Every problem is a :class:`~sessions.interchange.document.SourceError` at the JSON pointer
(RFC 6901) of the value concerned: ``/schedule/conference/days/1/rooms/Saal 1/3/start``.
Deeply nested or very many containers are refused before the JSON is decoded, so a hostile
file cannot exhaust the stack or the memory; the size cap comes from
:func:`~sessions.interchange.files.read_bytes`.
"""

import json
import re

from sessions.interchange.document import START, Origin, SourceError
from sessions.interchange.files import decode, read_bytes

from .frab_common import (
    EVENT_ELEMENTS,
    Raw,
    RawDay,
    RawEvent,
    RawPerson,
    RawRoom,
    RawSchedule,
    RawTrack,
    build_document,
)

# Nothing in a schedule is nested deeper than about eight levels.
MAX_DEPTH = 64
# Objects and arrays in a file: a 1,000-session schedule has some 10,000; a file of millions
# of empty ones (``[{},{},...]``) would take gigabytes once decoded.
MAX_CONTAINERS = 1_000_000
STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"[]{}")
CONFERENCE_FIELDS = (
    "title",
    "acronym",
    "start",
    "end",
    "time_zone_name",
    "url",
    "venue",
    "city",
)
# The XML gives the first three as attributes of <event>.
EVENT_FIELDS = ("guid", "id", "code", *EVENT_ELEMENTS)


def read(path):
    """Read and parse the schedule JSON at ``path``."""
    return parse(read_bytes(path), source=str(path))


def parse(data, *, source):
    """The document of the JSON ``data`` (bytes) from the file named ``source``."""
    return build_document(_schedule(load(data)), source=source)


def load(data):
    """The decoded JSON of ``data``; ``SourceError`` when it is not JSON, or nested too deep
    or holds too many containers to decode safely."""
    text = decode(data).removeprefix("\ufeff")
    if not text.strip():
        raise SourceError(START, "file is empty")
    _check_nesting(data)
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        message = f"not valid JSON: {error.msg} (column {error.colno})"
        raise SourceError(Origin(line=error.lineno), message) from None
    except (ValueError, RecursionError) as error:  # an integer of 5,000 digits...
        raise SourceError(START, f"not valid JSON: {error}") from None


def _refuse_constant(name):
    raise ValueError(f"{name} is not a JSON value")


def _check_nesting(data):
    """Refuse what the decoder cannot take safely: found on the brackets outside strings."""
    brackets = STRING.sub(b"", data).translate(None, NOT_BRACKETS)
    if len(brackets) > 2 * MAX_CONTAINERS:
        raise SourceError(
            START, f"holds more than {MAX_CONTAINERS:,} objects and arrays: not a schedule"
        )
    depth = 0
    for bracket in brackets:
        if bracket in b"[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise SourceError(START, f"nested deeper than {MAX_DEPTH} levels: not a schedule")
        else:
            depth -= 1


def pointer(*parts):
    """The JSON pointer (RFC 6901) of ``parts``: ``~`` and ``/`` escaped."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


class _Node:
    """A decoded value and its pointer."""

    def __init__(self, value, path):
        self.value = value
        self.path = path

    @property
    def origin(self):
        return Origin(pointer=pointer(*self.path) or "/")

    def at(self, key):
        value = self.value.get(key) if isinstance(self.value, dict) else None
        return _Node(value, (*self.path, key))

    def object(self, what, *, required=False):
        """This value as an object (``{}`` when absent and not ``required``)."""
        if self.value is None and not required:
            return _Node({}, self.path)
        if not isinstance(self.value, dict):
            raise SourceError(self.origin, f"{what} is not an object")
        return self

    def items(self, what):
        """The elements of this array (none when absent), as nodes."""
        if self.value is None:
            return []
        if not isinstance(self.value, list):
            raise SourceError(self.origin, f"{what} is not an array")
        return [_Node(value, (*self.path, index)) for index, value in enumerate(self.value)]

    def text(self, key):
        """The text at ``key`` as a Raw ("" when absent or null; numbers as written)."""
        node = self.at(key)
        value = node.value
        if value is None:
            return Raw("", node.origin)
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise SourceError(node.origin, f"{key} is not text")
        if isinstance(value, float):
            value = int(value) if value.is_integer() and abs(value) < 2**53 else value
        return Raw(str(value).strip(), node.origin)


def _schedule(top):
    top = _Node(top, ()).object("the file", required=True)
    if "schedule" not in top.value:
        raise SourceError(START, 'the file has no "schedule": this is not a frab schedule.json')
    schedule = top.at("schedule").object("schedule", required=True)
    conference = schedule.at("conference")
    if conference.value is None:
        raise SourceError(schedule.origin, 'the schedule has no "conference"')
    conference = conference.object("conference", required=True)
    values = {name: conference.text(name) for name in CONFERENCE_FIELDS}
    values["base_url"] = schedule.text("base_url") or conference.text("base_url")
    generator = top.at("generator").object("generator")
    url = schedule.text("url")
    return RawSchedule(
        conference=values,
        origin=conference.origin,
        generator=generator.text("name").text.lower(),
        schedule_url=url or None,
        rooms=[_room(room) for room in conference.at("rooms").items("rooms")],
        tracks=[_track(track) for track in conference.at("tracks").items("tracks")],
        days=[_day(day) for day in conference.at("days").items("days")],
    )


def _room(node):
    if isinstance(node.value, str):  # a list of names
        return RawRoom(Raw(node.value.strip(), node.origin))
    node = node.object("a room", required=True)
    capacity = node.at("capacity").value
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0:
        capacity = None  # a room's size is a nicety: a float or a text is not a number of seats
    description = node.at("description").value
    if isinstance(description, dict):  # translated: {"en": "...", "de": "..."}
        description = description.get("en") or next(iter(description.values()), "")
    return RawRoom(
        node.text("name"),
        capacity=min(capacity, 2**31 - 1) if capacity is not None else None,
        description=description if isinstance(description, str) else "",
    )


def _track(node):
    if isinstance(node.value, str):
        return RawTrack(Raw(node.value.strip(), node.origin), Raw("", node.origin))
    node = node.object("a track", required=True)
    return RawTrack(node.text("name"), node.text("color") or node.text("colour"), node.text("slug"))


def _day(node):
    node = node.object("a day", required=True)
    day = RawDay(
        origin=node.origin,
        index=node.text("index"),
        date=node.text("date"),
        start=node.text("day_start"),
        end=node.text("day_end"),
    )
    rooms = node.at("rooms").object("rooms")
    for name in rooms.value:
        room = rooms.at(name)
        room_name = Raw(name.strip(), room.origin)
        day.room_names.append(room_name)
        for event in room.items(f"room {name!r}"):
            day.events.append(_event(event, room_name))
    return day


def _event(node, room):
    node = node.object("an event", required=True)
    values = {name: node.text(name) for name in EVENT_FIELDS}
    if not room:
        room = values["room"]
    event = RawEvent(origin=node.origin, room=room, values=values)
    for person in node.at("persons").items("persons"):
        event.persons.append(_person(person))
    for key in ("links", "attachments"):
        for link in node.at(key).items(key):
            if isinstance(link.value, str):
                event.links.append((Raw(link.value.strip(), link.origin), Raw("", link.origin)))
                continue
            link = link.object("a link", required=True)
            event.links.append((link.text("url"), link.text("title")))
    return event


def _person(node):
    if isinstance(node.value, str):  # a list of names
        empty = Raw("", node.origin)
        return RawPerson(Raw(node.value.strip(), node.origin), empty, empty, empty)
    node = node.object("a person", required=True)
    bio = node.at("biography").value
    return RawPerson(
        name=node.text("name") or node.text("public_name"),
        id=node.text("id"),
        guid=node.text("guid"),
        code=node.text("code"),
        bio=bio if isinstance(bio, str) else "",
        url=node.text("url"),
    )
