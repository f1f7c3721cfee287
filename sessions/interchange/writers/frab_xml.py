"""The frab schedule XML writer (``schedule.xml``): the c3voc schema's elements, in its order.

What goes in is decided once in :mod:`.frab` (shared with the JSON writer); this module only
spells it as the XML schema (``schedule.xml.xsd``) wants: a conference, then one ``<day>`` per
day, its ``<room>`` elements, their ``<event>`` elements. lxml escapes every text and attribute.
"""

from lxml import etree

from .frab import GENERATOR, frab_schedule

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def write(snapshot, *, base_url):
    """The snapshot's timed sessions as ``schedule.xml`` bytes (UTF-8); addresses absolute
    against ``base_url``. Raises :class:`~.frab.NoTimedSessions` when none has a time."""
    schedule = frab_schedule(snapshot, base_url=base_url)
    root = etree.Element("schedule")
    etree.SubElement(root, "generator", name=GENERATOR)
    add(root, "url", schedule.xml_url)
    add(root, "version", schedule.version)
    root.append(conference_element(schedule))
    for day in schedule.days:
        day_element = etree.SubElement(
            root, "day", index=str(day.index), date=day.date, start=day.start, end=day.end
        )
        for room in day.rooms:
            room_element = etree.SubElement(day_element, "room", name=room.name, guid=room.guid)
            for event in room.events:
                room_element.append(event_element(event))
    return XML_DECLARATION + etree.tostring(root, encoding="utf-8", pretty_print=True)


def conference_element(schedule):
    conference = schedule.conference
    element = etree.Element("conference")
    add(element, "acronym", conference.acronym)
    add(element, "title", conference.title)
    add(element, "start", conference.start)
    add(element, "end", conference.end)
    add(element, "days", str(conference.days_count))
    add(element, "timeslot_duration", conference.timeslot_duration)
    add(element, "base_url", schedule.base_url)
    add(element, "url", conference.url)
    add(element, "time_zone_name", conference.time_zone_name)
    for track in conference.tracks:
        attributes = {"name": track.name, "color": track.colour}
        if track.slug:
            attributes["slug"] = track.slug
        etree.SubElement(element, "track", attributes)
    return element


def event_element(event):
    element = etree.Element("event", guid=event.guid, id=str(event.id))
    add(element, "room", event.room)
    add(element, "title", event.title)
    add(element, "subtitle", "")
    add(element, "type", event.type)
    add(element, "date", event.date)
    add(element, "start", event.start)
    add(element, "duration", event.duration)
    add(element, "abstract", "")
    add(element, "slug", event.slug)
    add(element, "track", event.track)
    persons = etree.SubElement(element, "persons")
    for person in event.persons:
        add(persons, "person", person.name, id=str(person.id), guid=person.guid)
    if event.language:
        add(element, "language", event.language)
    add(element, "description", event.description)
    links = etree.SubElement(element, "links")
    for link in event.links:
        add(links, "link", link.title, href=link.url, type=link.kind)
    attachments = etree.SubElement(element, "attachments")
    for attachment in event.attachments:
        add(attachments, "attachment", attachment.title, href=attachment.url, type=attachment.kind)
    add(element, "url", event.url)
    return element


def add(parent, tag, text, **attributes):
    child = etree.SubElement(parent, tag, attributes)
    child.text = text
    return child
