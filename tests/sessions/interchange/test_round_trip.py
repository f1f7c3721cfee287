"""Round trips through the frab schedule: our export imported into an empty site exports the
same document again (ids aside: they are primary keys, see docs/schedule-exports.md), and a
frab file imported and exported keeps every session, time, room, track, person, link and
attachment it had. Every export validates against the c3voc schemas."""

import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from lxml import etree

from conference.models import Event
from sessions.interchange.writers.frab import person_guid
from speakers.models import Speaker
from tests.factories import (
    EventFactory,
    RecordingFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SlideDeckFactory,
    SpeakerFactory,
    TrackFactory,
)
from tests.sessions.interchange.writers.frab_schemas import validate_json, validate_xml

SCHEDULES = Path(__file__).resolve().parents[2] / "fixtures" / "schedules"
BASE = "https://roundups.example.org"
EXTENSIONS = {"frab-xml": "xml", "frab-json": "json", "csv": "csv"}


def export(slug, format_name):
    out = StringIO()
    call_command("export_schedule", slug, "--format", format_name, "--base-url", BASE, stdout=out)
    text = out.getvalue()
    if format_name == "frab-xml":
        validate_xml(text.encode())
    elif format_name == "frab-json":
        validate_json(text)
    return text


def import_text(tmp_path, text, format_name, *extra):
    path = tmp_path / f"schedule.{EXTENSIONS[format_name]}"
    path.write_text(text, encoding="utf-8")
    call_command("import_schedule", str(path), "--format", format_name, *extra, stdout=StringIO())


def build_event():
    """Two rooms, two tracks, sessions on both sides of the night clocks go back in Vienna
    (27 October 2024, 03:00 → 02:00), speakers, recordings and slides."""
    event = EventFactory(
        slug="herbst-2024", name="Herbst 2024", time_zone="Europe/Vienna",
        start_date=datetime.date(2024, 10, 26), end_date=datetime.date(2024, 10, 27),
    )  # fmt: skip
    # Rooms and speakers with the slugs of their names, as an import gives them: frab carries
    # a room's name and guid (made from its slug) and a speaker's name, guid and page address
    # (made from the slug). Tracks keep factory slugs: the frab files carry them.
    halls = [
        RoomFactory(event=event, name=name, slug=name.lower(), position=i)
        for i, name in enumerate(["Saal", "Loft"])
    ]
    tracks = [
        TrackFactory(event=event, name=name, position=i) for i, name in enumerate(["Web", "Ops"])
    ]
    ada = SpeakerFactory(name="Ada Example", slug="ada-example")
    linus = SpeakerFactory(name="Linus Example", slug="linus-example")
    zone = event.zone
    plan = [
        ("Saturday talk", halls[0], tracks[0], datetime.datetime(2024, 10, 26, 10, 0), [ada]),
        ("Late night", halls[1], tracks[1], datetime.datetime(2024, 10, 27, 1, 30), [linus, ada]),
        ("After the change", halls[0], tracks[0], datetime.datetime(2024, 10, 27, 9, 0), [linus]),
    ]
    for number, (title, room, track, local, people) in enumerate(plan):
        session = SessionFactory(
            event=event, title=title, slug=f"talk-{number}", room=room, track=track,
            starts_at=local.replace(tzinfo=zone), duration=datetime.timedelta(minutes=90),
            day=local.day - 25, position=number, language="en",
        )  # fmt: skip
        for position, speaker in enumerate(people):
            SessionSpeakerFactory(session=session, speaker=speaker, position=position)
        if number != 1:
            RecordingFactory(session=session, position=0)
            SlideDeckFactory(session=session, position=0)
    return event


def without_ids(text, format_name):
    """The document with the primary keys the frab writers give events and persons removed
    (the version leaves them out too)."""
    if format_name == "frab-xml":
        root = etree.fromstring(text.encode())
        for element in root.iter("event", "person"):
            element.attrib.pop("id", None)
        return etree.tostring(root, encoding="unicode")
    if format_name == "frab-json":
        data = json.loads(text)
        for day in data["schedule"]["conference"]["days"]:
            for events in day["rooms"].values():
                for event in events:
                    event.pop("id")
                    for person in event["persons"]:
                        person.pop("id")
        return data
    return text


@pytest.mark.django_db
@pytest.mark.parametrize("format_name", ["frab-xml", "frab-json", "csv"])
def test_our_export_imported_into_an_empty_site_exports_the_same(tmp_path, format_name):
    build_event()
    first = export("herbst-2024", format_name)
    Event.objects.all().delete()
    Speaker.objects.all().delete()

    extra = ["--event", "herbst-2024", "--name", "Herbst 2024"]  # the acronym is herbst_2024
    import_text(tmp_path, first, format_name, *extra)
    second = export("herbst-2024", format_name)

    assert without_ids(second, format_name) == without_ids(first, format_name)


def frab_contents(text):
    """What a frab XML schedule holds, as sets: sessions with their guid, start, duration,
    room and track; persons by session; links and attachments by session."""
    root = etree.fromstring(text.encode())
    sessions, persons, links, attachments = set(), set(), set(), set()
    for room in root.iter("room"):
        for event in room.iter("event"):
            guid = event.get("guid")
            starts = datetime.datetime.fromisoformat(event.findtext("date"))
            place = (room.get("name"), event.findtext("track"))
            timing = (starts.astimezone(datetime.UTC), event.findtext("duration"))
            sessions.add((guid, event.findtext("title"), *timing, *place))
            persons |= {(guid, person.text) for person in event.iter("person")}
            links |= {(guid, link.get("href")) for link in event.iter("link")}
            attachments |= {(guid, item.get("href")) for item in event.iter("attachment")}
    return sessions, persons, links, attachments


@pytest.mark.django_db
def test_frab_file_imported_and_exported_keeps_everything(tmp_path):
    source = (SCHEDULES / "ccc.xml").read_text()
    call_command("import_schedule", str(SCHEDULES / "ccc.xml"), stdout=StringIO())

    exported = export("99c3", "frab-xml")

    sessions, persons, links, attachments = frab_contents(exported)
    source_sessions, source_persons, source_links, source_attachments = frab_contents(source)
    assert sessions == source_sessions
    assert persons == source_persons
    # Every web link of the source is still there (the javascript: one was never imported);
    # the video file the source gives as video_download_url and the page URL are links too.
    web = {(guid, href) for guid, href in source_links if href.startswith("https://")}
    assert web <= links
    assert source_attachments <= attachments | links


@pytest.mark.django_db
@pytest.mark.parametrize("format_name", ["frab-xml", "frab-json"])
def test_frab_round_trip_keeps_the_source_person_guid(tmp_path, format_name):
    """Herald has a guid in the source and keeps it; Picker has only an id and gets the guid
    made from the page address here."""
    call_command("import_schedule", str(SCHEDULES / "ccc.xml"), stdout=StringIO())
    picker = Speaker.objects.get(name="Picker")

    exported = export("99c3", format_name)

    if format_name == "frab-xml":
        people = etree.fromstring(exported.encode()).iter("person")
        guids = {person.text: person.get("guid") for person in people}
    else:
        days = json.loads(exported)["schedule"]["conference"]["days"]
        guids = {
            person["name"]: person["guid"]
            for day in days
            for events in day["rooms"].values()
            for event in events
            for person in event["persons"]
        }
    assert guids["Herald"] == "6f1a3c0e-1111-4b8a-9a3c-000000000001"
    assert guids["Picker"] == person_guid(f"{BASE}{picker.get_absolute_url()}")
