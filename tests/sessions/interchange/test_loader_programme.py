"""The loader with a document that states a programme (a frab, Sessionize or CSV schedule):
rooms, tracks, times, guids, links and speakers found again by the source's person id."""

import io
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from conference.models import Event
from sessions.interchange.document import (
    EventDocument,
    LinkItem,
    MediaItem,
    Origin,
    RoomItem,
    SessionItem,
    SpeakerItem,
    TrackItem,
)
from sessions.interchange.loader import TRACK_COLOURS, load_event
from sessions.interchange.report import CHANGED, CREATED, DELETED
from sessions.models import Room, Session, Track
from speakers.models import SourceId, Speaker
from tests.factories import EventFactory, RoomFactory, SessionFactory

PARIS = ZoneInfo("Europe/Paris")
KEYNOTE_GUID = uuid.UUID("6a1b3b1e-8d0c-4a0e-9b0e-1f2a3b4c5d01")
STORAGE_GUID = uuid.UUID("6a1b3b1e-8d0c-4a0e-9b0e-1f2a3b4c5d02")
ADA = SpeakerItem(name="Ada Lovelace", source_id="urn:uuid:ada", bio="Wrote the first program.")
GRACE = SpeakerItem(name="Grace Hopper", source_id="https://pretalx.example/conf#person-7")


def at(hour, minute=0, day=14):
    return datetime(2024, 3, day, hour, minute, tzinfo=PARIS)


def session(title, slug, *, guid=None, starts_at=None, room="", track="", **fields):
    return SessionItem(
        title=title,
        source_key=slug,
        kind=fields.pop("kind", "talk"),
        day=fields.pop("day", 1),
        position=fields.pop("position", 0),
        origin=Origin(line=fields.pop("line", 1)),
        guid=guid,
        starts_at=starts_at,
        room=room,
        track=track,
        **fields,
    )


def schedule(*sessions, rooms=("Hall A", "Hall B"), tracks=(("Cloud", "#9b2c2c"), ("Web", ""))):
    return EventDocument(
        source="schedule.xml",
        source_key="conf-2024",
        title="Conf 2024",
        name="Conf 2024",
        start_date=date(2024, 3, 14),
        end_date=date(2024, 3, 15),
        time_zone="Europe/Paris",
        has_programme=True,
        rooms=[RoomItem(name, name.lower().replace(" ", "-"), Origin(line=2)) for name in rooms],
        tracks=[TrackItem(name, name.lower(), Origin(line=3), colour) for name, colour in tracks],
        sessions=list(sessions),
    )


def keynote(**changes):
    item = session(
        "Opening Keynote",
        "opening-keynote",
        guid=KEYNOTE_GUID,
        starts_at=at(9),
        duration=timedelta(minutes=45),
        room="hall-a",
        track="cloud",
        language="en",
        kind="keynote",
        speakers=[ADA],
        links=[LinkItem("https://example.org/keynote", "Project page", Origin(line=9))],
    )
    return replace(item, **changes)


def storage(**changes):
    item = session(
        "Storage Deep Dive",
        "storage-deep-dive",
        guid=STORAGE_GUID,
        starts_at=at(10),
        duration=timedelta(minutes=30),
        room="hall-b",
        track="web",
        position=1,
        speakers=[ADA, GRACE],
        recordings=[
            MediaItem("youtube", "dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                      Origin(line=12))
        ],
    )  # fmt: skip
    return replace(item, **changes)


def timetable(event):
    return list(
        event.sessions.order_by("starts_at").values_list(
            "title", "slug", "guid", "starts_at", "duration", "room__slug", "track__slug",
            "language", "day",
        )
    )  # fmt: skip


def dump():
    out = io.StringIO()
    call_command("dumpdata", "conference", "talks", "speakers", "taggit", stdout=out, indent=0)
    return out.getvalue()


@pytest.mark.django_db
def test_first_load_creates_the_programme_with_the_sources_guids():
    report = load_event(document=schedule(keynote(), storage()))

    event = Event.objects.get(slug="conf-2024")
    assert event.time_zone == "Europe/Paris"
    assert timetable(event) == [
        ("Opening Keynote", "opening-keynote", KEYNOTE_GUID, at(9), timedelta(minutes=45),
         "hall-a", "cloud", "en", 1),
        ("Storage Deep Dive", "storage-deep-dive", STORAGE_GUID, at(10), timedelta(minutes=30),
         "hall-b", "web", "", 1),
    ]  # fmt: skip
    assert list(event.rooms.values_list("name", "slug", "position")) == [
        ("Hall A", "hall-a", 0),
        ("Hall B", "hall-b", 1),
    ]
    assert list(event.tracks.values_list("name", "colour")) == [
        ("Cloud", "#9b2c2c"),
        ("Web", TRACK_COLOURS[1]),
    ]
    keynote_row = event.sessions.get(guid=KEYNOTE_GUID)
    assert list(keynote_row.links.values_list("url", "title")) == [
        ("https://example.org/keynote", "Project page")
    ]
    assert sorted(SourceId.objects.values_list("key", "speaker__name")) == [
        ("https://pretalx.example/conf#person-7", "Grace Hopper"),
        ("urn:uuid:ada", "Ada Lovelace"),
    ]
    assert Speaker.objects.get(name="Ada Lovelace").bio == "Wrote the first program."
    assert (report.count(Room, CREATED), report.count(Track, CREATED)) == (2, 2)
    assert (report.room_clashes, report.speaker_clashes) == ([], [])


@pytest.mark.django_db
def test_importing_the_same_schedule_twice_changes_nothing():
    load_event(document=schedule(keynote(), storage()))
    before = dump()

    report = load_event(document=schedule(keynote(), storage()))

    assert report.changes == []
    assert dump() == before


@pytest.mark.django_db
def test_reimport_moves_retitles_renames_and_removes_sessions_in_place():
    load_event(document=schedule(keynote(), storage()))
    event = Event.objects.get(slug="conf-2024")
    keynote_pk = event.sessions.get(guid=KEYNOTE_GUID).pk
    lightning = session(
        "Lightning Talks", "lightning-talks", starts_at=at(14, day=15), room="hall-a",
        duration=timedelta(hours=1), kind="lightning",
    )  # fmt: skip

    report = load_event(
        document=schedule(
            keynote(title="Welcome Keynote", source_key="welcome", starts_at=at(9, 30),
                    room="hall-b", speakers=[replace(ADA, name="Ada King")]),
            lightning,
        )
    )  # fmt: skip

    assert timetable(event)[0][:7] == (
        "Welcome Keynote", "welcome", KEYNOTE_GUID, at(9, 30), timedelta(minutes=45),
        "hall-b", "cloud",
    )  # fmt: skip
    assert event.sessions.get(guid=KEYNOTE_GUID).pk == keynote_pk
    assert event.sessions.get(slug="lightning-talks").day == 2
    assert not event.sessions.filter(guid=STORAGE_GUID).exists()
    [change] = report.of(Session, CHANGED)
    assert {name: change.fields[name] for name in ("title", "slug")} == {
        "title": ("Opening Keynote", "Welcome Keynote"),
        "slug": ("opening-keynote", "welcome"),
    }
    assert change.fields["starts_at"] == (at(9), at(9, 30))
    assert [c.instance.title for c in report.of(Session, DELETED)] == ["Storage Deep Dive"]
    assert [c.instance.title for c in report.of(Session, CREATED)] == ["Lightning Talks"]
    # Found by the source's person id, the speaker takes the new name: no second Ada.
    assert list(Speaker.objects.filter(source_ids__key="urn:uuid:ada").values_list("name")) == [
        ("Ada King",)
    ]
    assert Speaker.objects.filter(name__startswith="Ada").count() == 1


@pytest.mark.django_db
def test_two_sessions_trading_slugs_are_both_kept():
    load_event(document=schedule(keynote(), storage()))

    load_event(
        document=schedule(
            keynote(source_key="storage-deep-dive"), storage(source_key="opening-keynote")
        )
    )

    assert set(Session.objects.values_list("guid", "slug")) == {
        (KEYNOTE_GUID, "storage-deep-dive"),
        (STORAGE_GUID, "opening-keynote"),
    }


@pytest.mark.django_db
def test_room_overlaps_in_the_source_are_kept_and_reported():
    clash = storage(room="hall-a", starts_at=at(9, 15))

    report = load_event(document=schedule(keynote(), clash))

    assert [(a.title, b.title) for a, b in report.room_clashes] == [
        ("Opening Keynote", "Storage Deep Dive")
    ]
    assert [(a.title, b.title, [s.name for s in speakers])
            for a, b, speakers in report.speaker_clashes] == [
        ("Opening Keynote", "Storage Deep Dive", ["Ada Lovelace"])
    ]  # fmt: skip
    assert Session.objects.filter(room__slug="hall-a").count() == 2


@pytest.mark.django_db
def test_a_naive_time_is_the_events_wall_clock_time():
    naive = keynote(starts_at=datetime(2024, 3, 31, 2, 30))  # Paris skips 02:00-03:00 that night
    document = replace(schedule(naive), start_date=date(2024, 3, 31), end_date=date(2024, 3, 31))

    load_event(document=document)

    starts_at = Session.objects.get().starts_at
    assert starts_at.astimezone(PARIS).replace(tzinfo=None) == datetime(2024, 3, 31, 3, 30)
    assert starts_at == datetime(2024, 3, 31, 1, 30, tzinfo=UTC)


@pytest.mark.django_db
def test_rooms_and_tracks_the_source_dropped_are_removed():
    load_event(document=schedule(keynote(), storage()))

    report = load_event(
        document=schedule(keynote(), storage(room="hall-a", starts_at=at(11), track="cloud"),
                          rooms=("Hall A",), tracks=(("Cloud", "#9b2c2c"),))
    )  # fmt: skip

    event = Event.objects.get(slug="conf-2024")
    assert list(event.rooms.values_list("slug", flat=True)) == ["hall-a"]
    assert list(event.tracks.values_list("slug", flat=True)) == ["cloud"]
    assert [c.instance.slug for c in report.of(Room, DELETED)] == ["hall-b"]


@pytest.mark.django_db
def test_a_guid_another_event_holds_is_not_taken_twice():
    other = EventFactory(slug="other-conf")
    SessionFactory(event=other, guid=KEYNOTE_GUID)

    load_event(document=schedule(keynote()))

    created = Event.objects.get(slug="conf-2024").sessions.get()
    assert created.guid != KEYNOTE_GUID
    assert Session.objects.filter(guid=KEYNOTE_GUID).count() == 1


@pytest.mark.django_db
def test_a_roundup_post_leaves_the_organisers_rooms_alone():
    event = EventFactory(slug="conf-2024", name="Conf 2024")
    room = RoomFactory(event=event, name="Main Hall", slug="main-hall")
    SessionFactory(event=event, title="Talk", slug="talk", room=room)
    post = EventDocument(
        source="post.md",
        source_key="conf-2024",
        title="Conf 2024",
        name="Conf 2024",
        sessions=[session("Talk", "talk")],
    )

    load_event(document=post)

    assert Session.objects.get().room == room
    assert list(event.rooms.all()) == [room]


@pytest.mark.django_db
def test_dry_run_of_a_schedule_writes_nothing():
    before = dump()

    report = load_event(document=schedule(keynote(), storage()), dry_run=True)

    assert report.sessions_created == 2
    assert dump() == before
