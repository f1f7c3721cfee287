"""The programme's data: rooms, tracks, timed sessions, clashes, zones and the migration."""

import datetime
import re
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings
from django.utils import timezone

from conference.models import Event
from sessions.models import Session, Track
from tests.factories import (
    EventFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    TrackFactory,
)

UTC = datetime.UTC
BERLIN = ZoneInfo("Europe/Berlin")
MINUTES = datetime.timedelta(minutes=1)


def at(zone, *args):
    return datetime.datetime(*args, tzinfo=zone)


def zoned_event(time_zone, start_date, **fields):
    end_date = start_date + datetime.timedelta(days=1)
    return EventFactory(time_zone=time_zone, start_date=start_date, end_date=end_date, **fields)


@pytest.fixture
def event(db):
    return zoned_event("Europe/Berlin", datetime.date(2024, 3, 30), slug="berlin")


@pytest.fixture
def hall(event):
    return RoomFactory(event=event, name="Hall B", slug="hall-b")


def timed(event, start, minutes=None, **fields):
    duration = minutes * MINUTES if minutes is not None else None
    return SessionFactory(event=event, starts_at=start, duration=duration, **fields)


def validation_messages(session):
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    return error.value.messages


# Room overlaps


def test_room_overlap_is_refused_naming_the_other_session(event, hall):
    timed(event, at(BERLIN, 2024, 3, 30, 10), 60, room=hall, title="Other talk")
    session = Session(
        event=event, title="New", slug="new", starts_at=at(BERLIN, 2024, 3, 30, 10, 30), room=hall
    )
    session.duration = 30 * MINUTES

    assert validation_messages(session) == ["Hall B is taken from 10:00 to 11:00 by “Other talk”."]


def test_room_overlap_message_gives_times_in_the_event_zone_whatever_the_active_zone(event, hall):
    timed(event, at(BERLIN, 2024, 3, 30, 10), 60, room=hall, title="Other talk")
    session = Session(
        event=event, title="New", slug="new", starts_at=at(UTC, 2024, 3, 30, 9, 15), room=hall
    )

    with timezone.override("Pacific/Auckland"):
        assert validation_messages(session) == [
            "Hall B is taken from 10:00 to 11:00 by “Other talk”."
        ]


def test_back_to_back_sessions_in_one_room_do_not_clash(event, hall):
    timed(event, at(BERLIN, 2024, 3, 30, 10), 60, room=hall)
    session = timed(event, at(BERLIN, 2024, 3, 30, 11), 60, room=hall)

    session.full_clean()

    assert list(session.room_clashes()) == []


def test_session_without_duration_clashes_only_when_it_starts_inside_another(event, hall):
    other = timed(event, at(BERLIN, 2024, 3, 30, 10), 60, room=hall, title="Other talk")
    inside = Session(event=event, title="In", slug="in", room=hall)
    inside.starts_at = at(BERLIN, 2024, 3, 30, 10, 59)
    at_the_end = Session(event=event, title="End", slug="end", room=hall)
    at_the_end.starts_at = at(BERLIN, 2024, 3, 30, 11)

    assert list(inside.room_clashes()) == [other]
    assert list(at_the_end.room_clashes()) == []


def test_two_points_in_time_clash_when_they_are_the_same(event, hall):
    other = timed(event, at(BERLIN, 2024, 3, 30, 10), room=hall, title="Announcement")
    session = Session(event=event, title="New", slug="new", room=hall)
    session.starts_at = at(BERLIN, 2024, 3, 30, 10)

    assert validation_messages(session) == ["Hall B is taken at 10:00 by “Announcement”."]
    assert list(session.room_clashes()) == [other]


def test_overlap_in_another_room_or_untimed_is_no_clash(event, hall):
    timed(event, at(BERLIN, 2024, 3, 30, 10), 60, room=RoomFactory(event=event))
    SessionFactory(event=event, room=hall)  # untimed
    session = timed(event, at(BERLIN, 2024, 3, 30, 10), 60, room=hall)

    session.full_clean()


def test_an_import_may_keep_a_room_clash(event, hall):
    timed(event, at(BERLIN, 2024, 3, 30, 10), 60, room=hall)
    session = Session(event=event, title="New", slug="new", room=hall)
    session.starts_at, session.duration = at(BERLIN, 2024, 3, 30, 10), 60 * MINUTES
    session.keep_room_clashes = True

    session.full_clean()


def test_room_clashes_of_an_event_are_every_overlapping_pair(event, hall):
    first = timed(event, at(BERLIN, 2024, 3, 30, 10), 120, room=hall)
    second = timed(event, at(BERLIN, 2024, 3, 30, 10, 30), 30, room=hall)
    third = timed(event, at(BERLIN, 2024, 3, 30, 11), 60, room=hall)
    timed(event, at(BERLIN, 2024, 3, 30, 12), 60, room=hall)  # after the first: no clash
    timed(event, at(BERLIN, 2024, 3, 30, 10), 60, room=RoomFactory(event=event))

    assert event.sessions.room_clashes() == [(first, second), (first, third)]


def test_room_and_track_must_belong_to_the_session_event(event):
    elsewhere = EventFactory()
    session = SessionFactory.build(
        event=event,
        room=RoomFactory(event=elsewhere, name="Aula"),
        track=TrackFactory(event=elsewhere, name="Cloud"),
    )

    with pytest.raises(ValidationError) as error:
        session.full_clean()

    assert error.value.message_dict == {
        "room": [f"“Aula” belongs to another event: choose one of {event}'s rooms."],
        "track": [f"“Cloud” belongs to another event: choose one of {event}'s tracks."],
    }


# Speaker clashes


def test_speaker_in_two_overlapping_sessions_is_a_warning_not_an_error(event, hall):
    ada = SpeakerFactory(name="Ada Lovelace")
    other = timed(event, at(BERLIN, 2024, 3, 30, 10), 60, room=hall, title="Panel")
    SessionSpeakerFactory(session=other, speaker=ada)
    session = timed(event, at(BERLIN, 2024, 3, 30, 10, 30), 30, room=RoomFactory(event=event))
    SessionSpeakerFactory(session=session, speaker=ada)
    later = timed(event, at(BERLIN, 2024, 3, 30, 11), 30)
    SessionSpeakerFactory(session=later, speaker=ada)

    session.full_clean()

    assert list(session.speaker_clashes()) == [other]
    assert session.speaker_clash_warnings() == [
        "Ada Lovelace also speaks in “Panel” in Hall B, 10:00 to 11:00."
    ]
    assert event.sessions.speaker_clashes() == [(other, session, [ada])]


# Days and zones


def test_day_follows_from_the_start_in_the_event_zone(event):
    # 23:30 UTC on 30 March is 00:30 on 31 March in Berlin: the event's second day.
    session = timed(event, at(UTC, 2024, 3, 30, 23, 30))

    session.refresh_from_db()
    assert (session.day, session.local_starts_at.date()) == (2, datetime.date(2024, 3, 31))


def test_day_follows_from_the_earliest_session_without_a_start_date(db):
    event = EventFactory(start_date=None, end_date=None, time_zone="Europe/Berlin")
    second = timed(event, at(BERLIN, 2024, 3, 31, 9))
    first = timed(event, at(BERLIN, 2024, 3, 30, 9))

    second.refresh_from_db()
    assert (first.day, second.day) == (1, 2)


def test_untimed_sessions_keep_their_day_and_position(event):
    session = SessionFactory(event=event, day=3, position=4)

    session.refresh_from_db()
    assert (session.day, session.position, session.starts_at) == (3, 4, None)


def test_session_before_the_first_day_is_refused(event):
    session = SessionFactory.build(event=event, starts_at=at(BERLIN, 2024, 3, 29, 23))

    assert validation_messages(session) == [
        "This session starts 29 March 2024, before the event's first day or more than 100 days "
        "after it: check the date (and the event's start date)."
    ]


def test_timed_sessions_of_one_day_may_share_a_position(event):
    SessionFactory(event=event, position=0, starts_at=at(BERLIN, 2024, 3, 30, 9))
    moved = SessionFactory(event=event, position=0, starts_at=at(BERLIN, 2024, 3, 31, 9))

    moved.starts_at = at(BERLIN, 2024, 3, 30, 11)
    moved.full_clean()
    moved.save()

    assert list(event.sessions.values_list("day", "position")) == [(1, 0), (1, 0)]


def test_skipped_time_on_the_spring_dst_night_lands_past_the_gap(db):
    """02:30 on 31 March 2024 does not exist in Berlin (clocks go from 02:00 to 03:00)."""
    event = zoned_event("Europe/Berlin", datetime.date(2024, 3, 31))

    moment = event.moment(1, datetime.time(2, 30))

    local = moment.astimezone(BERLIN)
    assert moment == at(UTC, 2024, 3, 31, 1, 30)
    assert (local.strftime("%H:%M %Z"), local.utcoffset()) == ("03:30 CEST", 2 * 60 * MINUTES)


def test_repeated_time_on_the_autumn_dst_night_is_its_first_occurrence(db):
    """02:30 on 27 October 2024 happens twice in Berlin: in summer time, then in winter time."""
    event = zoned_event("Europe/Berlin", datetime.date(2024, 10, 27))

    assert event.moment(1, datetime.time(2, 30)) == at(UTC, 2024, 10, 27, 0, 30)


def test_a_session_across_the_dst_change_lasts_its_duration(db):
    event = zoned_event("Europe/Berlin", datetime.date(2024, 3, 31))
    room = RoomFactory(event=event, name="Night club")
    session = timed(event, at(BERLIN, 2024, 3, 31, 1, 30), 120, room=room, title="All-nighter")

    session.refresh_from_db()
    assert (session.day, session.local_starts_at.hour, session.local_ends_at.hour) == (1, 1, 4)
    assert session.ends_at - session.starts_at == 120 * MINUTES


def test_the_repeated_hour_holds_two_sessions_in_one_room(db):
    """02:30 summer time and 02:30 winter time are an hour apart: no clash."""
    event = zoned_event("Europe/Berlin", datetime.date(2024, 10, 27))
    room = RoomFactory(event=event)
    timed(event, at(UTC, 2024, 10, 27, 0, 30), 30, room=room)
    session = timed(event, at(UTC, 2024, 10, 27, 1, 30), 30, room=room)

    session.full_clean()

    assert [s.local_starts_at.strftime("%H:%M %Z") for s in event.sessions.in_time_order()] == [
        "02:30 CEST",
        "02:30 CET",
    ]


@override_settings(TIME_ZONE="UTC")
def test_event_in_auckland_viewed_from_utc(db, client):
    """09:00 on 5 March in Auckland (NZDT, +13) is 20:00 on 4 March in UTC."""
    event = zoned_event("Pacific/Auckland", datetime.date(2024, 3, 5), slug="kiwicon")
    session = SessionFactory(event=event, slug="opening", start_time=datetime.time(9))

    session.refresh_from_db()
    page = client.get(session.get_absolute_url()).content.decode()

    assert session.starts_at == at(UTC, 2024, 3, 4, 20)
    assert (session.day, session.local_starts_at.isoformat()) == (1, "2024-03-05T09:00:00+13:00")
    assert re.search(r'class="session-meta__day">(.*?)</span>', page).group(1) == (
        'Day 1 · <time datetime="2024-03-05">Tuesday 5 March 2024</time> · 09:00'
    )


# Rooms, tracks, GUIDs, validation


@pytest.mark.parametrize(
    ("colour", "contrast", "accessible"),
    [
        ("#ffffff", 1.0, False),
        ("#000000", 21.0, True),
        ("#1f5fa8", 6.4, True),
        ("#777777", 4.48, False),
        ("#ffcc00", 1.51, False),
    ],
)
def test_track_colour_contrast_against_white_text(colour, contrast, accessible):
    track = Track(colour=colour)

    assert (round(track.text_contrast, 2 if contrast < 5 else 1), track.is_accessible) == (
        contrast,
        accessible,
    )


def test_track_colour_must_be_hex(event):
    track = Track(event=event, name="Cloud", slug="cloud", colour="red")

    with pytest.raises(ValidationError) as error:
        track.full_clean()

    assert error.value.message_dict == {
        "colour": ["Enter a colour as # and six hexadecimal digits, such as #1f5fa8."]
    }


def test_room_slug_is_unique_within_an_event(event, hall):
    RoomFactory(event=EventFactory(), slug="hall-b")  # another event may use it

    with pytest.raises(IntegrityError), transaction.atomic():
        RoomFactory(event=event, slug="hall-b")


def test_rooms_and_tracks_are_ordered_by_position(event):
    RoomFactory(event=event, name="Second", position=2)
    RoomFactory(event=event, name="First", position=1)
    TrackFactory(event=event, name="B", position=0)
    TrackFactory(event=event, name="A", position=0)

    assert [str(room) for room in event.rooms.all()] == ["First", "Second"]
    assert [str(track) for track in event.tracks.all()] == ["A", "B"]


def test_guid_is_unique_and_never_changes_on_save(event):
    session, other = SessionFactory(event=event), SessionFactory(event=event)
    guid = session.guid

    session.title = "Renamed"
    session.save()
    session.refresh_from_db()

    assert (session.guid, isinstance(guid, uuid.UUID), guid != other.guid) == (guid, True, True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=other.pk).update(guid=guid)


@pytest.mark.parametrize(
    ("language", "valid"),
    [("en", True), ("pt-BR", True), ("zh-Hant-TW", True), ("english", False), ("en_GB", False)],
)
def test_language_is_a_bcp47_tag(event, language, valid):
    session = SessionFactory.build(event=event, language=language)

    try:
        session.full_clean()
        errors = {}
    except ValidationError as error:
        errors = error.message_dict

    assert errors == (
        {}
        if valid
        else {"language": ["Enter a language tag (BCP 47) such as en, fr, pt-BR or zh-Hant."]}
    )


def test_event_time_zone_defaults_to_the_site_zone_and_refuses_unknown_names(db, settings):
    settings.TIME_ZONE = "Europe/Lisbon"
    event = EventFactory.build(slug="zoned", time_zone="Mars/Olympus_Mons")

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert Event().time_zone == "Europe/Lisbon"
    assert error.value.message_dict == {
        "time_zone": [
            "“Mars/Olympus_Mons” is not a time zone name: enter one from the IANA database, "
            "such as Europe/Paris, America/New_York or UTC."
        ]
    }


def test_in_time_order_sorts_by_start_then_room_then_title_untimed_last(event):
    left, right = RoomFactory(event=event, position=0), RoomFactory(event=event, position=1)
    untimed = SessionFactory(event=event, title="A untimed")
    b = timed(event, at(BERLIN, 2024, 3, 30, 10), 30, room=right, title="B")
    c = timed(event, at(BERLIN, 2024, 3, 30, 10), 30, room=left, title="C")
    a = timed(event, at(BERLIN, 2024, 3, 30, 9), 30, room=right, title="A")

    assert list(event.sessions.in_time_order()) == [a, c, b, untimed]
    assert (list(event.sessions.timed().in_time_order()), list(event.sessions.untimed())) == (
        [a, c, b],
        [untimed],
    )


# The migration of start_time


@pytest.mark.django_db(transaction=True)
def test_migration_moves_start_times_into_starts_at_in_the_event_zone(capsys):
    before = [("talks", "0005_url_validators"), ("conference", "0008_event_time_zone")]
    after = [("talks", "0008_guid_unique_and_no_start_time")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldEvent, OldSession = old.get_model("conference", "Event"), old.get_model("talks", "Session")
    dated = OldEvent.objects.create(
        name="Dated", slug="dated", time_zone="Europe/Berlin", start_date=datetime.date(2024, 3, 12)
    )
    undated = OldEvent.objects.create(name="Undated", slug="undated", time_zone="UTC")
    OldSession.objects.create(
        event=dated, title="Day two", slug="two", day=2, position=0, start_time=datetime.time(9, 30)
    )
    OldSession.objects.create(event=dated, title="Untimed", slug="untimed", day=1, position=0)
    OldSession.objects.create(
        event=undated, title="Lost", slug="lost", day=1, position=0, start_time=datetime.time(14)
    )

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    NewSession = new.get_model("talks", "Session")
    rows = list(NewSession.objects.order_by("slug").values_list("slug", "day", "starts_at", "guid"))

    assert [row[:3] for row in rows] == [
        ("lost", 1, None),
        ("two", 2, at(UTC, 2024, 3, 13, 8, 30)),
        ("untimed", 1, None),
    ]
    assert len({row[3] for row in rows}) == 3
    assert capsys.readouterr().out.strip() == (
        "Session “Lost” (undated/lost) keeps no time: its start time 14:00 needs a start date "
        "on event “Undated”."
    )
