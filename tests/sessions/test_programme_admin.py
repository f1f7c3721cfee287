"""The programme in the admin: rooms and tracks on the event form, the session's schedule
fields in the event's zone, its list columns and filters, and clash messages."""

import datetime

import pytest
from django.contrib.messages import get_messages

from sessions.models import Room, Session, Track
from tests.admin_forms import admin_url, change, form_errors, open_form
from tests.factories import (
    EventFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def event(db):
    return EventFactory(
        name="Berlin Summit",
        slug="berlin",
        time_zone="Europe/Berlin",
        start_date=datetime.date(2024, 3, 30),
        end_date=datetime.date(2024, 3, 31),
    )


def messages_of(response):
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


# Rooms and tracks on the event form


def test_event_form_has_rooms_and_tracks_inlines_with_a_colour_input(organiser_client, event):
    response = organiser_client.get(admin_url(event, "change", event.pk))

    prefixes = [inline.formset.prefix for inline in response.context["inline_admin_formsets"]]
    assert prefixes == ["sponsorships", "rooms", "tracks"]
    assert '<input type="color" name="tracks-0-colour" value="#1f5fa8"' in response.content.decode()


def test_event_form_saves_rooms_and_tracks_and_warns_of_a_pale_track(organiser_client, event):
    response = change(
        organiser_client,
        event,
        **{
            "time_zone": "Europe/Berlin",
            "rooms-0-name": "Hall B",
            "rooms-0-slug": "hall-b",
            "rooms-0-position": "1",
            "rooms-0-capacity": "300",
            "tracks-0-name": "Cloud",
            "tracks-0-slug": "cloud",
            "tracks-0-colour": "#ffcc00",
            "tracks-0-position": "0",
        },
    )

    assert response.status_code == 302, form_errors(response)
    assert list(event.rooms.values_list("name", "slug", "position", "capacity")) == [
        ("Hall B", "hall-b", 1, 300)
    ]
    assert list(event.tracks.values_list("name", "slug", "colour")) == [
        ("Cloud", "cloud", "#ffcc00")
    ]
    warning = (
        "White text on the colour of track “Cloud” (#ffcc00) has a contrast of 1.5:1, below "
        "the 4.5:1 that WCAG AA asks for: choose a darker colour so its sessions stay "
        "readable on the schedule."
    )
    assert [message for _level, message in messages_of(response)][:1] == [warning]
    assert [level for level, _message in messages_of(response)] == ["warning", "success"]


def test_event_form_says_nothing_of_a_dark_track(organiser_client, event):
    TrackFactory(event=event, name="Cloud", colour="#1f5fa8")

    response = change(organiser_client, event)

    assert response.status_code == 302, form_errors(response)
    assert [level for level, _message in messages_of(response)] == ["success"]


def test_event_form_refuses_an_unknown_time_zone(organiser_client, event):
    response = change(organiser_client, event, time_zone="Europe/Atlantis")

    assert form_errors(response) == [
        "“Europe/Atlantis” is not a time zone name: enter one from the IANA database, such as "
        "Europe/Paris, America/New_York or UTC."
    ]


# The session form: times in the event's zone


@pytest.fixture
def hall(event):
    return RoomFactory(event=event, name="Hall B", slug="hall-b")


def test_session_form_reads_the_start_in_the_event_zone(organiser_client, event, hall):
    session = SessionFactory(event=event, title="Keynote", slug="keynote")
    track = TrackFactory(event=event, name="Cloud")

    response = change(
        organiser_client,
        session,
        starts_at_0="2024-03-31",
        starts_at_1="10:00",
        duration="00:45:00",
        room=str(hall.pk),
        track=str(track.pk),
        language="de",
    )

    assert response.status_code == 302, form_errors(response)
    session.refresh_from_db()
    assert (session.starts_at, session.duration, session.day, session.room, session.track) == (
        datetime.datetime(2024, 3, 31, 8, tzinfo=UTC),  # 10:00 summer time in Berlin
        datetime.timedelta(minutes=45),
        2,
        hall,
        track,
    )
    assert session.language == "de"


def test_session_form_shows_the_start_in_the_event_zone(organiser_client, event):
    session = SessionFactory(event=event, starts_at=datetime.datetime(2024, 3, 30, 9, tzinfo=UTC))

    data = open_form(organiser_client, admin_url(session, "change", session.pk))

    assert (data["starts_at_0"], data["starts_at_1"]) == (["2024-03-30"], ["10:00:00"])


def test_session_form_refuses_a_room_overlap_naming_the_other_session(
    organiser_client, event, hall
):
    SessionFactory(
        event=event,
        title="Other talk",
        room=hall,
        starts_at=datetime.datetime(2024, 3, 30, 9, tzinfo=UTC),
        duration=HOUR,
    )
    session = SessionFactory(event=event, title="New")
    before = list(Session.objects.values_list("pk", "starts_at", "room"))

    response = change(
        organiser_client, session, starts_at_0="2024-03-30", starts_at_1="10:30", room=str(hall.pk)
    )

    assert form_errors(response) == ["Hall B is taken from 10:00 to 11:00 by “Other talk”."]
    assert list(Session.objects.values_list("pk", "starts_at", "room")) == before


def test_session_form_refuses_a_room_of_another_event(organiser_client, event):
    session = SessionFactory(event=event)
    elsewhere = RoomFactory(name="Aula")

    response = change(organiser_client, session, room=str(elsewhere.pk))

    assert form_errors(response) == [
        "“Aula” belongs to another event: choose one of Berlin Summit's rooms."
    ]


def test_session_save_warns_of_a_speaker_elsewhere_and_shows_it(organiser_client, event, hall):
    ada = SpeakerFactory(name="Ada Lovelace")
    panel = SessionFactory(
        event=event,
        title="Panel",
        room=hall,
        starts_at=datetime.datetime(2024, 3, 30, 9, tzinfo=UTC),
        duration=HOUR,
    )
    SessionSpeakerFactory(session=panel, speaker=ada)
    session = SessionFactory(
        event=event, title="Talk", starts_at=datetime.datetime(2024, 3, 30, 9, 30, tzinfo=UTC)
    )
    SessionSpeakerFactory(session=session, speaker=ada)
    warning = "Ada Lovelace also speaks in “Panel” in Hall B, 10:00 to 11:00."

    saved = change(organiser_client, session)
    page = organiser_client.get(admin_url(session, "change", session.pk))

    assert saved.status_code == 302, form_errors(saved)
    assert [m for m in messages_of(saved) if m[0] == "warning"] == [("warning", warning)]
    [shown] = [
        field.contents()
        for fieldset in page.context["adminform"]
        for line in fieldset
        for field in line
        if field.is_readonly and field.field["name"] == "speaker_clashes"
    ]
    assert shown == warning


def test_session_form_shows_the_guid_read_only(organiser_client, event):
    session = SessionFactory(event=event)

    response = organiser_client.get(admin_url(session, "change", session.pk))

    form = response.context["adminform"].form
    assert ("guid" in form.fields, str(session.guid) in response.content.decode()) == (False, True)


# The session list


def test_session_list_shows_start_in_the_event_zone_room_and_track(organiser_client, event, hall):
    track = TrackFactory(event=event, name="Cloud")
    SessionFactory(
        event=event,
        title="Timed",
        room=hall,
        track=track,
        starts_at=datetime.datetime(2024, 3, 30, 9, tzinfo=UTC),
    )
    SessionFactory(event=event, title="Untimed")

    response = organiser_client.get(admin_url(Session, "changelist"), {"o": "4"})

    changelist = response.context["cl"]
    columns = ["title", "start", "room", "track"]
    rows = [
        [changelist.model_admin.start(s) if c == "start" else getattr(s, c) for c in columns]
        for s in changelist.result_list
    ]
    assert changelist.list_display[:6] == [
        "action_checkbox",
        "title",
        "event",
        "day",
        "start",
        "room",
    ]
    assert sorted(rows, key=lambda row: row[0]) == [
        ["Timed", "Sat 30 Mar 10:00", hall, track],
        ["Untimed", None, None, None],
    ]


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ({"timed": "yes"}, ["In Hall B"]),
        ({"timed": "no"}, ["Untimed"]),
        ({"room__id__exact": "ROOM"}, ["In Hall B"]),
        ({"track__id__exact": "TRACK"}, ["In Hall B"]),
    ],
)
def test_session_list_filters_by_room_track_and_start(organiser_client, event, hall, query, titles):
    track = TrackFactory(event=event)
    SessionFactory(
        event=event,
        title="In Hall B",
        room=hall,
        track=track,
        starts_at=datetime.datetime(2024, 3, 30, 9, tzinfo=UTC),
    )
    SessionFactory(event=event, title="Untimed")
    values = {"ROOM": str(hall.pk), "TRACK": str(track.pk)}
    query = {key: values.get(value, value) for key, value in query.items()}

    response = organiser_client.get(admin_url(Session, "changelist"), query)

    assert [session.title for session in response.context["cl"].result_list] == titles


def test_deleting_a_room_or_track_keeps_its_sessions(event):
    hall = RoomFactory(event=event)
    session = SessionFactory(event=event, room=hall, track=TrackFactory(event=event))

    Room.objects.filter(pk=hall.pk).delete()
    Track.objects.all().delete()
    session.refresh_from_db()

    assert (session.room, session.track) == (None, None)


@pytest.mark.parametrize(
    ("date", "time", "words"),
    [("2024-03-31", "02:30", "31 March 2024"), ("2024-10-27", "02:30", "27 October 2024")],
)
def test_session_form_refuses_a_time_the_clocks_skip_or_repeat(organiser_client, date, time, words):
    event = EventFactory(
        time_zone="Europe/Berlin",
        start_date=datetime.date(2024, 3, 30),
        end_date=datetime.date(2024, 10, 30),
    )
    session = SessionFactory(event=event)

    response = change(organiser_client, session, starts_at_0=date, starts_at_1=time)

    assert form_errors(response) == [
        f"02:30 does not exist or happens twice on {words} in Europe/Berlin, as the clocks "
        "change that night: choose another time."
    ]
