"""The frab ``schedule.xml`` writer: valid against the c3voc XSD, every timed session placed
in its day and room, times in the event's zone across daylight-saving changes."""

import datetime
import re
import zoneinfo

import pytest
from lxml import etree

from sessions.interchange.snapshot import snapshot_event
from sessions.interchange.writers import frab_xml
from sessions.interchange.writers.frab import (
    NoTimedSessions,
    frab_acronym,
    frab_track_slug,
    room_guid,
)
from sessions.models import Session
from tests.factories import EventFactory, RoomFactory, SessionFactory, SessionSpeakerFactory
from tests.sessions.festival import BASE_URL, HOSTILE_TITLE, UNICODE_TITLE
from tests.sessions.interchange.writers.frab_schemas import parse_xml, validate_xml

EVENT_URL = f"{BASE_URL}/events/herbst-festival/"


def write(event):
    return frab_xml.write(snapshot_event(event, sponsorships=False), base_url=BASE_URL)


def event_element(document, session):
    (element,) = document.xpath("//event[@guid=$guid]", guid=str(session.guid))
    return element


def texts(element, tag):
    return [child.text or "" for child in element.iter(tag)]


def test_schedule_xml_is_valid_with_every_timed_published_session_in_its_day_and_room(festival):
    document = validate_xml(write(festival["event"]))

    days = [
        (
            day.get("index"),
            day.get("date"),
            day.get("start"),
            day.get("end"),
            [
                (room.get("name"), [event.findtext("title") for event in room.iter("event")])
                for room in day.findall("room")
            ],
        )
        for day in document.iter("day")
    ]
    assert days == [
        (
            "1",
            "2024-10-26",
            "2024-10-26T00:00:00+02:00",
            "2024-10-27T00:00:00+02:00",
            [("Großer Saal", [HOSTILE_TITLE]), ("Lab <2>", [UNICODE_TITLE])],
        ),
        (
            "2",
            "2024-10-27",
            "2024-10-27T00:00:00+02:00",
            "2024-10-28T00:00:00+01:00",  # 25 hours: the clocks go back
            [
                ("Großer Saal", ["Night of the long hour"]),
                ("Room to be announced", ['=HYPERLINK("http://evil.example")']),
            ],
        ),
        ("3", "2024-10-28", "2024-10-28T00:00:00+01:00", "2024-10-29T00:00:00+01:00", []),
    ]
    assert "Secret draft" not in texts(document, "title")
    assert "@channel social" not in texts(document, "title")


def test_conference_names_the_event_its_days_zone_addresses_and_tracks(festival):
    document = validate_xml(write(festival["event"]))

    assert document.findtext("url") == f"{EVENT_URL}schedule.xml"
    assert document.find("generator").attrib == {"name": "Conference Roundups"}
    conference = document.find("conference")
    assert [(child.tag, child.text) for child in conference if child.tag != "track"] == [
        ("acronym", "herbst_festival"),
        ("title", "Herbst & <Hack> Festival"),
        ("start", "2024-10-26"),
        ("end", "2024-10-28"),
        ("days", "3"),
        ("timeslot_duration", "00:05"),
        ("base_url", f"{BASE_URL}/"),
        ("url", EVENT_URL),
        ("time_zone_name", "Europe/Berlin"),
    ]
    assert [dict(track.attrib) for track in conference.iter("track")] == [
        {"name": "Cloud & Co", "color": "#1f5fa8", "slug": "cloud"},
        {"name": "Odd slug", "color": "#aa3300"},  # "9_odd_" is not a slug the schemas accept
    ]


def test_event_carries_guid_time_people_recordings_slides_and_its_page(festival):
    document = validate_xml(write(festival["event"]))
    keynote = festival["keynote"]
    pdf = keynote.slide_decks.get(position=1).pdf

    element = event_element(document, keynote)

    assert element.attrib == {"guid": str(keynote.guid), "id": str(keynote.pk)}
    assert {child.tag: child.text for child in element if len(child) == 0} == {
        "room": "Großer Saal",
        "title": HOSTILE_TITLE,
        "subtitle": None,
        "type": "keynote",
        "date": "2024-10-26T10:00:00+02:00",
        "start": "10:00",
        "duration": "00:45",
        "abstract": None,
        "slug": "herbst_festival-opening-keynote",
        "track": "Cloud & Co",
        "language": "en",
        "description": "Welcome to **the festival**.\n\n- coffee\n- <b>code</b>",
        "url": f"{EVENT_URL}sessions/opening-keynote/",
    }
    assert [(p.get("id"), p.text) for p in element.iter("person")] == [
        (str(festival["ada"].pk), "Ada Lovelace"),
        (str(festival["bob"].pk), 'Bob "Tables" O\'Neil'),
    ]
    assert [(link.attrib, link.text) for link in element.iter("link")] == [
        ({"href": "https://www.youtube.com/watch?v=cCNCmJxxEPA", "type": "media"}, "Full talk"),
        ({"href": "https://vimeo.com/76979871", "type": "media"}, "Q&A"),
    ]
    assert [(a.attrib, a.text) for a in element.iter("attachment")] == [
        (
            {
                "href": "https://www.slideshare.net/slideshow/embed_code/key/hH2CO8kHcQaCQo",
                "type": "slides",
            },
            "Keynote deck",
        ),
        ({"href": f"{BASE_URL}{pdf.url}", "type": "slides"}, "Slides"),
    ]


def test_hostile_and_unicode_text_is_escaped_not_markup(festival):
    body = write(festival["event"])

    assert b"<title>Opening &lt;Keynote&gt; &amp; \"friends\" ]]&gt; 'quoted'</title>" in body
    assert f"<title>{UNICODE_TITLE}</title>".encode() in body
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<schedule>')


def test_night_session_across_the_clock_change_keeps_its_real_length(festival):
    element = event_element(validate_xml(write(festival["event"])), festival["night"])

    assert element.findtext("date") == "2024-10-27T01:30:00+02:00"  # summer time
    assert element.findtext("start") == "01:30"
    assert element.findtext("duration") == "02:00"  # ends 02:30 winter time
    assert element.findtext("type") == "workshop"


def test_session_without_room_track_duration_or_language(festival):
    element = event_element(validate_xml(write(festival["event"])), festival["unplaced"])

    assert element.findtext("room") == "Room to be announced"
    assert element.findtext("track") == ""
    assert element.findtext("duration") == "00:00"
    assert element.find("language") is None
    assert element.find("persons").getchildren() == []
    assert element.findtext("slug") == f"herbst_festival-ai-{festival['unplaced'].pk}"


def test_rooms_have_stable_name_based_guids(festival):
    document = validate_xml(write(festival["event"]))

    guids = {room.get("name"): room.get("guid") for room in document.xpath("//day/room")}

    assert guids == {
        "Großer Saal": room_guid(EVENT_URL, "grosser-saal"),
        "Lab <2>": room_guid(EVENT_URL, "lab-2"),
        "Room to be announced": room_guid(EVENT_URL, ""),
    }
    assert len(set(guids.values())) == 3
    assert validate_xml(write(festival["event"])).xpath("//day/room/@guid") == (
        document.xpath("//day/room/@guid")
    )


def test_event_ends_after_midnight_extend_its_day(festival):
    late = SessionFactory(
        event=festival["event"],
        slug="late-night",
        starts_at=datetime.datetime(2024, 10, 28, 23, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin")),
        duration=datetime.timedelta(hours=3),
        room=festival["lab"],
    )
    document = validate_xml(write(festival["event"]))

    (day,) = document.xpath("//day[@index='3']")
    assert (day.get("start"), day.get("end")) == (
        "2024-10-28T00:00:00+01:00",
        "2024-10-29T02:00:00+01:00",
    )
    assert [e.get("guid") for e in day.iter("event")] == [str(late.guid)]


def test_pacific_auckland_event_across_the_start_of_summer_time(db):
    # New Zealand: clocks go forward from 02:00 to 03:00 on 29 September 2024; a session at
    # 09:00 there is 20:00 UTC the day before, yet on the local day.
    auckland = zoneinfo.ZoneInfo("Pacific/Auckland")
    event = EventFactory(
        slug="kiwicon", time_zone="Pacific/Auckland", start_date=None, end_date=None
    )
    room = RoomFactory(event=event, name="Te Whare")
    evening = SessionFactory(
        event=event,
        slug="evening",
        starts_at=datetime.datetime(2024, 9, 28, 23, 30, tzinfo=auckland),
        duration=datetime.timedelta(hours=4),  # 23:30 NZST to 04:30 NZDT
        room=room,
    )
    morning = SessionFactory(
        event=event,
        slug="morning",
        starts_at=datetime.datetime(2024, 9, 29, 9, 0, tzinfo=auckland),
        duration=datetime.timedelta(minutes=50),
        room=room,
    )

    document = validate_xml(write(event))

    assert [
        (d.get("index"), d.get("date"), d.get("start"), d.get("end")) for d in document.iter("day")
    ] == [
        ("1", "2024-09-28", "2024-09-28T00:00:00+12:00", "2024-09-29T04:30:00+13:00"),
        ("2", "2024-09-29", "2024-09-29T00:00:00+12:00", "2024-09-30T00:00:00+13:00"),
    ]
    assert event_element(document, evening).findtext("date") == "2024-09-28T23:30:00+12:00"
    assert event_element(document, evening).findtext("duration") == "04:00"
    assert event_element(document, morning).findtext("date") == "2024-09-29T09:00:00+13:00"
    conference = document.find("conference")
    assert (conference.findtext("start"), conference.findtext("end")) == (
        "2024-09-28",
        "2024-09-29",
    )
    assert conference.findtext("time_zone_name") == "Pacific/Auckland"


def test_event_without_timed_sessions_has_no_frab_schedule(db):
    event = EventFactory()
    SessionFactory(event=event, day=1)
    SessionFactory(event=event, starts_at=event.moment(1, datetime.time(9)), is_published=False)

    with pytest.raises(NoTimedSessions):
        write(event)


def test_version_changes_with_the_schedule_only(festival):
    event = festival["event"]
    version = parse_xml(write(event)).findtext("version")
    assert re.fullmatch(r"roundup-[0-9a-f]{12}", version)
    assert parse_xml(write(event)).findtext("version") == version

    Session.objects.filter(pk=festival["night"].pk).update(title="Night of the short hour")

    assert parse_xml(write(event)).findtext("version") != version


def test_slugs_stay_unique_when_a_short_slug_needs_its_key(festival):
    unplaced = festival["unplaced"]
    twin = SessionFactory(
        event=festival["event"],
        slug=f"ai-{unplaced.pk}",  # what the short slug "ai" would become
        starts_at=unplaced.starts_at,
        room=festival["lab"],
    )
    upper = SessionFactory(
        event=festival["event"],
        slug="Night-Session",  # the night session's slug in other case
        starts_at=unplaced.starts_at,
        room=festival["hall"],
    )

    document = validate_xml(write(festival["event"]))  # the XSD's slug_unique holds

    assert event_element(document, twin).findtext("slug") == f"herbst_festival-ai-{unplaced.pk}"
    assert (
        event_element(document, unplaced).findtext("slug")
        == f"herbst_festival-ai-{unplaced.pk}-{unplaced.pk}"
    )
    assert event_element(document, upper).findtext("slug") == (
        f"herbst_festival-night-session-{upper.pk}"
    )


@pytest.mark.parametrize(
    ("slug", "acronym"),
    [
        ("36c3", "36c3"),
        ("divoc-2021-ptt", "divoc-2021-ptt"),
        ("PyCon", "pycon"),
        ("ccc2023-roundup", "ccc2023_roundup"),
        ("rc3", "rc3_"),
        ("-abcd", "_abcd"),
    ],
)
def test_acronym_is_the_event_slug_as_both_schemas_accept_it(slug, acronym):
    assert frab_acronym(slug) == acronym


@pytest.mark.parametrize(
    ("slug", "frab_slug"), [("cloud", "cloud"), ("Dev-Ops", "dev-ops"), ("9_odd_", ""), ("a", "")]
)
def test_track_slug_only_when_both_schemas_accept_it(slug, frab_slug):
    assert frab_track_slug(slug) == frab_slug


def test_a_schedule_breaking_the_schema_fails_validation(festival):
    """The validator the tests rely on does refuse what the XSD forbids."""
    document = parse_xml(write(festival["event"]))
    document.find(".//event").attrib.pop("guid")

    with pytest.raises(pytest.fail.Exception, match="guid"):
        validate_xml(etree.tostring(document))


def test_many_speakers_and_a_speaker_in_two_rooms_keep_one_id(festival):
    extra = SessionSpeakerFactory(session=festival["night"], speaker=festival["ada"]).speaker
    document = validate_xml(write(festival["event"]))

    ids = document.xpath("//person[text()='Ada Lovelace']/@id")

    assert ids == [str(extra.pk)] * 3


def test_writer_queries_nothing(festival, django_assert_num_queries):
    snapshot = snapshot_event(festival["event"], sponsorships=False, speaker_links=False)
    with django_assert_num_queries(0):
        frab_xml.write(snapshot, base_url=BASE_URL)
