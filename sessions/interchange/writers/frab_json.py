"""The frab schedule JSON writer (``schedule.json``): the c3voc JSON Schema's objects.

The same schedule as ``schedule.xml`` (both are built by :mod:`.frab`), in the JSON form frab
and pretalx give: ``{"schedule": {"conference": {"days": [{"rooms": {name: [event...]}}]}}}``.
Where the JSON Schema differs from the XML one: ``base_url`` sits beside the conference, not in
it; a missing track or language is ``null``; a person is ``{"id", "name", "url"}``; and a zone
name the schema's pattern refuses (``EST5EDT``, ``Etc/GMT+5``) is left out (every time still
carries its offset).
"""

import datetime
import json
import re

from .frab import GENERATOR, JSON_SCHEMA_URL, frab_schedule

JSON_TIME_ZONE = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")  # the schema's, searched as it is


def write(snapshot, *, base_url):
    """The snapshot's timed sessions as ``schedule.json`` text; addresses absolute against
    ``base_url``. Raises :class:`~.frab.NoTimedSessions` when none has a time."""
    schedule = frab_schedule(snapshot, base_url=base_url)
    conference = schedule.conference
    conference_data = {
        "acronym": conference.acronym,
        "title": conference.title,
        "start": conference.start,
        "end": conference.end,
        "daysCount": conference.days_count,
        "timeslot_duration": conference.timeslot_duration,
    }
    if JSON_TIME_ZONE.search(conference.time_zone_name):
        conference_data["time_zone_name"] = conference.time_zone_name
    conference_data |= {
        "url": conference.url,
        "rooms": [{"name": room.name, "guid": room.guid} for room in conference.rooms],
        "tracks": [track_data(track) for track in conference.tracks],
        "days": [
            {
                "index": day.index,
                "date": day.date,
                "day_start": day.start,
                "day_end": day.end,
                "rooms": day_rooms(day),
            }
            for day in schedule.days
        ],
    }
    data = {
        "$schema": JSON_SCHEMA_URL,
        "generator": {"name": GENERATOR},
        "schedule": {
            "url": schedule.json_url,
            "version": schedule.version,
            "base_url": schedule.base_url,
            "conference": conference_data,
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=1)


def track_data(track):
    data = {"name": track.name, "color": track.colour}
    if track.slug:
        data["slug"] = track.slug
    return data


def day_rooms(day):
    """``{room name: [event, ...]}``; two rooms of one name share its list, in time order."""
    rooms = {}
    for room in day.rooms:
        rooms.setdefault(room.name, []).extend(room.events)
    return {
        name: [event_data(event) for event in sorted(events, key=moment_order)]
        for name, events in rooms.items()
    }


def moment_order(event):
    return datetime.datetime.fromisoformat(event.date), event.id


def event_data(event):
    return {
        "guid": event.guid,
        "id": event.id,
        "date": event.date,
        "start": event.start,
        "duration": event.duration,
        "room": event.room,
        "slug": event.slug,
        "url": event.url,
        "title": event.title,
        "subtitle": "",
        "track": event.track or None,
        "type": event.type,
        "language": event.language or None,
        "abstract": "",
        "description": event.description,
        "persons": [
            {"id": person.id, "guid": person.guid, "name": person.name, "url": person.url}
            for person in event.persons
        ],
        "links": [reference_data(link) for link in event.links],
        "attachments": [reference_data(attachment) for attachment in event.attachments],
    }


def reference_data(reference):
    return {"url": reference.url, "title": reference.title, "type": reference.kind}
