"""The frab ``schedule.json`` writer: valid against the c3voc JSON Schema, and the same schedule
as ``schedule.xml`` (both are built from one structure)."""

import datetime
import json
import zoneinfo

import pytest

from sessions.interchange.snapshot import snapshot_event
from sessions.interchange.writers import frab_json, frab_xml
from sessions.interchange.writers.frab import NoTimedSessions, person_guid, room_guid
from tests.factories import EventFactory, RoomFactory, SessionFactory
from tests.sessions.festival import BASE_URL, HOSTILE_TITLE
from tests.sessions.interchange.writers.frab_schemas import parse_xml, validate_json

EVENT_URL = f"{BASE_URL}/events/herbst-festival/"


def snapshot(event):
    return snapshot_event(event, sponsorships=False, speaker_links=False)


def write(event):
    return frab_json.write(snapshot(event), base_url=BASE_URL)


def events_of(data):
    return {
        event["guid"]: event
        for day in data["schedule"]["conference"]["days"]
        for room_events in day["rooms"].values()
        for event in room_events
    }


def test_schedule_json_is_valid_with_every_timed_published_session(festival):
    data = validate_json(write(festival["event"]))

    days = [
        (
            day["index"],
            day["date"],
            day["day_start"],
            day["day_end"],
            {room: [event["title"] for event in events] for room, events in day["rooms"].items()},
        )
        for day in data["schedule"]["conference"]["days"]
    ]
    assert days == [
        (
            1,
            "2024-10-26",
            "2024-10-26T00:00:00+02:00",
            "2024-10-27T00:00:00+02:00",
            {"Großer Saal": [HOSTILE_TITLE], "Lab <2>": ["Ünïcødé — 日本語のトーク ✓ 🎉"]},
        ),
        (
            2,
            "2024-10-27",
            "2024-10-27T00:00:00+02:00",
            "2024-10-28T00:00:00+01:00",
            {
                "Großer Saal": ["Night of the long hour"],
                "Room to be announced": ['=HYPERLINK("http://evil.example")'],
            },
        ),
        (3, "2024-10-28", "2024-10-28T00:00:00+01:00", "2024-10-29T00:00:00+01:00", {}),
    ]


def test_schedule_and_conference_fields(festival):
    data = validate_json(write(festival["event"]))

    assert data["$schema"] == "https://c3voc.de/schedule/schema.json"
    assert data["generator"] == {"name": "Conference Roundups"}
    schedule = data["schedule"]
    assert (schedule["url"], schedule["base_url"]) == (f"{EVENT_URL}schedule.json", f"{BASE_URL}/")
    conference = {key: value for key, value in schedule["conference"].items() if key != "days"}
    assert conference == {
        "acronym": "herbst_festival",
        "title": "Herbst & <Hack> Festival",
        "start": "2024-10-26",
        "end": "2024-10-28",
        "daysCount": 3,
        "timeslot_duration": "00:05",
        "time_zone_name": "Europe/Berlin",
        "url": EVENT_URL,
        "rooms": [
            {"name": "Großer Saal", "guid": room_guid(EVENT_URL, "grosser-saal")},
            {"name": "Lab <2>", "guid": room_guid(EVENT_URL, "lab-2")},
            {"name": "Unused room", "guid": room_guid(EVENT_URL, "unused")},
            {"name": "Room to be announced", "guid": room_guid(EVENT_URL, "")},
        ],
        "tracks": [
            {"name": "Cloud & Co", "color": "#1f5fa8", "slug": "cloud"},
            {"name": "Odd slug", "color": "#aa3300"},
        ],
    }


def test_event_fields_with_people_recordings_and_slides(festival):
    keynote = festival["keynote"]
    pdf = keynote.slide_decks.get(position=1).pdf

    event = events_of(validate_json(write(festival["event"])))[str(keynote.guid)]

    assert event == {
        "guid": str(keynote.guid),
        "id": keynote.pk,
        "date": "2024-10-26T10:00:00+02:00",
        "start": "10:00",
        "duration": "00:45",
        "room": "Großer Saal",
        "slug": "herbst_festival-opening-keynote",
        "url": f"{EVENT_URL}sessions/opening-keynote/",
        "title": HOSTILE_TITLE,
        "subtitle": "",
        "track": "Cloud & Co",
        "type": "keynote",
        "language": "en",
        "abstract": "",
        "description": "Welcome to **the festival**.\n\n- coffee\n- <b>code</b>",
        "persons": [
            {
                "id": festival["ada"].pk,
                "guid": person_guid(f"{BASE_URL}/speakers/ada/"),
                "name": "Ada Lovelace",
                "url": f"{BASE_URL}/speakers/ada/",
            },
            {
                "id": festival["bob"].pk,
                "guid": person_guid(f"{BASE_URL}/speakers/bob/"),
                "name": 'Bob "Tables" O\'Neil',
                "url": f"{BASE_URL}/speakers/bob/",
            },
        ],
        "links": [
            {
                "url": "https://www.youtube.com/watch?v=cCNCmJxxEPA",
                "title": "Full talk",
                "type": "media",
            },
            {"url": "https://vimeo.com/76979871", "title": "Q&A", "type": "media"},
        ],
        "attachments": [
            {
                "url": "https://www.slideshare.net/slideshow/embed_code/key/hH2CO8kHcQaCQo",
                "title": "Keynote deck",
                "type": "slides",
            },
            {"url": f"{BASE_URL}{pdf.url}", "title": "Slides", "type": "slides"},
        ],
    }


def test_session_without_room_track_duration_or_language_has_nulls(festival):
    event = events_of(validate_json(write(festival["event"])))[str(festival["unplaced"].guid)]

    assert (event["room"], event["track"], event["language"], event["duration"]) == (
        "Room to be announced",
        None,
        None,
        "00:00",
    )


def test_json_is_the_same_schedule_as_the_xml(festival):
    snap = snapshot(festival["event"])
    data = validate_json(frab_json.write(snap, base_url=BASE_URL))
    document = parse_xml(frab_xml.write(snap, base_url=BASE_URL))

    fields = ["room", "title", "type", "date", "start", "duration", "slug", "url"]
    from_xml = {
        element.get("guid"): [element.findtext(name) for name in fields]
        + [[(p.get("id"), p.text) for p in element.iter("person")]]
        + [[link.get("href") for link in element.iter("link")]]
        + [[a.get("href") for a in element.iter("attachment")]]
        for element in document.iter("event")
    }
    from_json = {
        guid: [event[name] for name in fields]
        + [[(str(p["id"]), p["name"]) for p in event["persons"]]]
        + [[link["url"] for link in event["links"]]]
        + [[a["url"] for a in event["attachments"]]]
        for guid, event in events_of(data).items()
    }
    assert from_json == from_xml
    assert data["schedule"]["version"] == document.findtext("version")


def test_two_rooms_of_one_name_share_the_day_list_in_time_order(festival):
    event = festival["event"]
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    twin = RoomFactory(event=event, name="Großer Saal", slug="grosser-saal-2", position=5)
    early = SessionFactory(
        event=event,
        slug="early-bird",
        starts_at=datetime.datetime(2024, 10, 26, 8, 0, tzinfo=berlin),
        room=twin,
    )

    day = validate_json(write(event))["schedule"]["conference"]["days"][0]

    assert [e["guid"] for e in day["rooms"]["Großer Saal"]] == [
        str(early.guid),
        str(festival["keynote"].guid),
    ]


@pytest.mark.parametrize(
    ("zone", "named"),
    [("Pacific/Auckland", True), ("UTC", True), ("EST5EDT", False), ("Etc/GMT+5", False)],
)
def test_zone_name_only_when_the_schema_accepts_it(db, zone, named):
    event = EventFactory(time_zone=zone)
    SessionFactory(event=event, starts_at=event.moment(1, datetime.time(10)))

    conference = validate_json(write(event))["schedule"]["conference"]

    assert conference.get("time_zone_name") == (zone if named else None)


def test_pacific_auckland_times_carry_their_offsets(db):
    auckland = zoneinfo.ZoneInfo("Pacific/Auckland")
    event = EventFactory(
        time_zone="Pacific/Auckland",
        start_date=datetime.date(2024, 9, 28),
        end_date=datetime.date(2024, 9, 29),
    )
    before = SessionFactory(
        event=event, starts_at=datetime.datetime(2024, 9, 28, 18, 0, tzinfo=auckland)
    )
    after = SessionFactory(
        event=event, starts_at=datetime.datetime(2024, 9, 29, 18, 0, tzinfo=auckland)
    )

    data = validate_json(write(event))

    events = events_of(data)
    assert events[str(before.guid)]["date"] == "2024-09-28T18:00:00+12:00"
    assert events[str(after.guid)]["date"] == "2024-09-29T18:00:00+13:00"
    assert [day["day_end"] for day in data["schedule"]["conference"]["days"]] == [
        "2024-09-29T00:00:00+12:00",
        "2024-09-30T00:00:00+13:00",
    ]


def test_a_document_breaking_the_schema_fails_validation(festival):
    """The validator the tests rely on does refuse what the schema forbids, formats included."""
    data = json.loads(write(festival["event"]))
    event = next(iter(events_of(data).values()))
    event["date"] = "2024-10-26T10:00:00"  # no offset

    with pytest.raises(pytest.fail.Exception, match="date-time"):
        validate_json(json.dumps(data))


def test_event_without_timed_sessions_has_no_frab_schedule(db):
    event = EventFactory()
    SessionFactory(event=event)

    with pytest.raises(NoTimedSessions):
        write(event)


def test_writer_queries_nothing(festival, django_assert_num_queries):
    snap = snapshot(festival["event"])
    with django_assert_num_queries(0):
        frab_json.write(snap, base_url=BASE_URL)
