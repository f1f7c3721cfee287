"""Read a frab schedule XML (``schedule.xml``) into an
:class:`~sessions.interchange.document.EventDocument`.

The format of pentabarf, frab, pretalx (``/schedule/export/schedule.xml``), wafer
(``pentabarf.xml``), FOSDEM and the c3voc tools: ``<schedule>`` holds a ``<conference>`` and
its ``<day>``s, each day its ``<room>``s, each room its ``<event>``s (the c3voc XSD in
``../shared/schemas/`` describes it). Elements are found by name in any order and those the
format does not know are ignored; :mod:`.frab_common` maps what is found.

XML from outside is hostile until parsed safely: lxml without entity expansion, network, DTD
loading or huge trees, and a document type with an internal subset (where entities are
declared) or an external DTD is refused before anything is parsed. Every problem is a
:class:`~sessions.interchange.document.SourceError` at the line of the element concerned.
"""

import re

from lxml import etree

from sessions.interchange.document import START, Origin, SourceError
from sessions.interchange.files import read_bytes

from .frab_common import (
    EVENT_ELEMENTS,
    Raw,
    RawDay,
    RawEvent,
    RawPerson,
    RawSchedule,
    RawTrack,
    build_document,
)

# The document type before the root element: its name, then maybe an external identifier
# (SYSTEM or PUBLIC: a DTD to load) and an internal subset ("[": where entities are declared).
DOCTYPE = re.compile(
    rb"<!DOCTYPE\s+[^\s\[>]+(?P<external>\s+(?:SYSTEM|PUBLIC)\b)?[^\[>]*(?P<subset>\[)?"
)
# What lxml appends to its messages: the line is the origin's already.
LXML_POSITION = re.compile(r", line \d+, column \d+$")
CONFERENCE_FIELDS = (
    "title",
    "acronym",
    "start",
    "end",
    "days",
    "time_zone_name",
    "base_url",
    "url",
    "venue",
    "city",
)


def read(path):
    """Read and parse the schedule XML at ``path``."""
    return parse(read_bytes(path), source=str(path))


def parse(data, *, source):
    """The document of the XML ``data`` (bytes) from the file named ``source``."""
    root = parse_safely(data)
    if _name(root) != "schedule":
        raise SourceError(
            _origin(root),
            f"the root element is <{_name(root)}>, not <schedule>: this is not a frab schedule",
        )
    return build_document(_schedule(root), source=source)


class _RefuseResolver(etree.Resolver):
    """Loads nothing: an external entity or DTD that slipped past the checks resolves empty."""

    def resolve(self, system_url, public_id, context):
        return self.resolve_string("", context)


def parse_safely(data):
    """The root element of ``data``, parsed without entities, network, DTDs or huge trees;
    ``SourceError`` with the parser's line when the XML is not well-formed or not allowed."""
    if not data.strip():
        raise SourceError(START, "file is empty")
    _refuse_doctype(data)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    parser.resolvers.add(_RefuseResolver())
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line = error.lineno if error.lineno and error.lineno > 0 else 1
        message = " ".join(str(error.msg or error).split())
        message = LXML_POSITION.sub("", message).removesuffix(".")
        raise SourceError(Origin(line=line), f"not well-formed XML: {message}") from None
    except (etree.LxmlError, ValueError) as error:
        raise SourceError(START, f"cannot be read as XML: {error}") from None
    if root is None:
        raise SourceError(START, "not XML: no root element")
    info = root.getroottree().docinfo
    # Second guard, whatever the encoding hid from the scan above.
    if info.system_url or info.public_id:
        raise SourceError(START, _doctype_message(external=True))
    subset = info.internalDTD
    if subset is not None and (any(subset.iterentities()) or any(subset.iterelements())):
        raise SourceError(START, _doctype_message(external=False))
    return root


def _refuse_doctype(data):
    match = DOCTYPE.search(data, 0, _root_start(data))
    if match and (match.group("external") or match.group("subset")):
        raise SourceError(
            Origin(line=data.count(b"\n", 0, match.start()) + 1),
            _doctype_message(external=bool(match.group("external"))),
        )


def _root_start(data):
    """Where the root element starts (the document type comes before it), or the end."""
    position = 0
    while True:
        position = data.find(b"<", position)
        if position < 0 or position + 1 >= len(data):
            return len(data)
        if data[position + 1 : position + 2] not in (b"?", b"!"):
            return position
        position += 1


def _doctype_message(*, external):
    if external:
        return "the document type refers to an external DTD: a schedule needs none (refused)"
    return (
        "the document type declares entities or other markup (<!DOCTYPE ... [...]>): a "
        "schedule needs none (refused)"
    )


def _name(element):
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _origin(element):
    return Origin(line=element.sourceline)


def _children(element, name):
    return [child for child in element if _name(child) == name]


def _child(element, name):
    return next((child for child in element if _name(child) == name), None)


def _text(element):
    return "".join(element.itertext()).strip()


def _attribute(element, name):
    return Raw((element.get(name) or "").strip(), _origin(element))


def _fields(element, names):
    """The first child element of each name, as Raws."""
    values = {}
    for child in element:
        name = _name(child)
        if name in names and name not in values:
            values[name] = Raw(_text(child), _origin(child))
    return values


def _schedule(root):
    conference = _child(root, "conference")
    if conference is None:
        raise SourceError(_origin(root), "the schedule has no <conference>")
    generator = _child(root, "generator")
    url = _child(root, "url")
    return RawSchedule(
        conference=_fields(conference, CONFERENCE_FIELDS),
        origin=_origin(conference),
        generator=(generator.get("name") or "").strip().lower() if generator is not None else "",
        schedule_url=Raw(_text(url), _origin(url)) if url is not None else None,
        tracks=_tracks(root, conference),
        days=[_day(day) for day in _children(root, "day")],
    )


def _tracks(root, conference):
    """The tracks the conference lists (frab: ``<track name color>`` in the conference;
    FOSDEM: ``<tracks><track>Name</track></tracks>``)."""
    elements = [
        *_children(conference, "track"),
        *(t for parent in _children(conference, "tracks") for t in _children(parent, "track")),
        *(t for parent in _children(root, "tracks") for t in _children(parent, "track")),
    ]
    tracks = []
    for element in elements:
        name = _attribute(element, "name")
        if not name:
            name = Raw(_text(element), _origin(element))
        colour = _attribute(element, "color") or _attribute(element, "colour")
        tracks.append(RawTrack(name, colour, _attribute(element, "slug")))
    return tracks


def _day(element):
    day = RawDay(
        origin=_origin(element),
        index=_attribute(element, "index"),
        date=_attribute(element, "date"),
        start=_attribute(element, "start"),
        end=_attribute(element, "end"),
    )
    for room in _children(element, "room"):
        name = _attribute(room, "name")
        day.room_names.append(name)
        for event in _children(room, "event"):
            day.events.append(_event(event, name))
    return day


def _event(element, room):
    values = _fields(element, EVENT_ELEMENTS)
    for name in ("guid", "id", "code"):
        values[name] = _attribute(element, name)
    recording = _child(element, "recording")
    if recording is not None:
        for name, value in _fields(recording, ("url", "link")).items():
            values[f"recording_{name}"] = value
    if not room and values.get("room"):
        room = values["room"]  # a <room> without a name: the event's own <room> names it
    event = RawEvent(origin=_origin(element), room=room, values=values)
    for persons in _children(element, "persons"):
        for person in _children(persons, "person"):
            event.persons.append(
                RawPerson(
                    name=Raw(_text(person), _origin(person)),
                    id=_attribute(person, "id"),
                    guid=_attribute(person, "guid"),
                    code=_attribute(person, "code"),
                )
            )
    for container, item in (("links", "link"), ("attachments", "attachment")):
        for parent in _children(element, container):
            for link in _children(parent, item):
                title = Raw(_text(link) or (link.get("title") or "").strip(), _origin(link))
                event.links.append((_attribute(link, "href"), title))
    return event
