"""The admin schedule editor: the page per event, its links, and the move endpoint."""

import datetime
import json
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sessions.models import Session, SessionSpeaker
from speakers.models import Speaker
from tests.conference.test_security import inline_executable_scripts, parse_page
from tests.factories import (
    EventFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    TrackFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
MINUTES = datetime.timedelta(minutes=1)
SCHEDULE_DATA = re.compile(
    r'<script id="schedule-data" type="application/json">(.*?)</script>', re.DOTALL
)


def at(hour, minute=0, *, day=23, zone=PARIS):
    """A moment of November 2024 in ``zone``."""
    return datetime.datetime(2024, 11, day, hour, minute, tzinfo=zone)


@pytest.fixture
def event():
    return EventFactory(
        name="Capitole du Libre",
        time_zone="Europe/Paris",
        start_date=datetime.date(2024, 11, 23),
        end_date=datetime.date(2024, 11, 24),
    )


@pytest.fixture
def hall_a(event):
    return RoomFactory(event=event, name="Hall A", slug="hall-a", position=0)


@pytest.fixture
def hall_b(event):
    return RoomFactory(event=event, name="Hall B", slug="hall-b", position=1)


@pytest.fixture
def keynote(event, hall_a):
    return SessionFactory(
        event=event, title="Keynote", room=hall_a, starts_at=at(10), duration=30 * MINUTES
    )


@pytest.fixture
def talk(event, hall_b):
    return SessionFactory(
        event=event, title="Talk", room=hall_b, starts_at=at(10), duration=60 * MINUTES
    )


def schedule_url(event):
    return reverse("admin:event_schedule", args=[event.pk])


def move_url(event):
    return reverse("admin:event_schedule_move", args=[event.pk])


def schedule_data(response):
    """The JSON block the page hands to its script."""
    [data] = SCHEDULE_DATA.findall(response.text)
    return json.loads(data)


def blocks(data):
    return [
        (block["title"], block["room"], block["start"], block["duration"])
        for block in data["sessions"]
    ]


def history(session):
    return list(
        LogEntry.objects.filter(object_id=str(session.pk), action_flag=CHANGE).values_list(
            "change_message", flat=True
        )
    )


# ---------- The page ----------


def test_schedule_page_lists_sessions_in_their_rooms(organiser_client, event, keynote, talk):
    track = TrackFactory(event=event, name="Community", colour="#1f5fa8")
    SessionFactory(event=event, title="Lightning", room=keynote.room, starts_at=at(14, 5, day=24))
    Session.objects.filter(pk=talk.pk).update(track=track)

    response = organiser_client.get(schedule_url(event))

    assert response.status_code == 200
    data = schedule_data(response)
    assert data["timeZone"] == "Europe/Paris"
    assert data["days"] == [
        {"date": "2024-11-23", "label": "Sat 23 Nov"},
        {"date": "2024-11-24", "label": "Sun 24 Nov"},
    ]
    assert data["rooms"] == [
        {"id": keynote.room.pk, "name": "Hall A"},
        {"id": talk.room.pk, "name": "Hall B"},
    ]
    assert data["tracks"] == [
        {"id": track.pk, "name": "Community", "colour": "#1f5fa8", "text": "#ffffff"}
    ]
    assert blocks(data) == [
        ("Keynote", keynote.room.pk, "2024-11-23T10:00", 30),
        ("Talk", talk.room.pk, "2024-11-23T10:00", 60),
        ("Lightning", keynote.room.pk, "2024-11-24T14:05", None),
    ]
    assert [block["track"] for block in data["sessions"]] == [None, track.pk, None]


def test_schedule_page_shows_times_in_the_event_zone(organiser_client):
    event = EventFactory(
        time_zone="Pacific/Auckland",
        start_date=datetime.date(2024, 11, 23),
        end_date=datetime.date(2024, 11, 23),
    )
    room = RoomFactory(event=event)
    SessionFactory(
        event=event,
        room=room,
        starts_at=datetime.datetime(2024, 11, 22, 21, 30, tzinfo=datetime.UTC),
    )

    data = schedule_data(organiser_client.get(schedule_url(event)))

    assert [block["start"] for block in data["sessions"]] == ["2024-11-23T10:30"]


def test_schedule_page_lists_unscheduled_sessions(organiser_client, event, keynote):
    SessionFactory(event=event, title="Untimed", day=2)
    SessionFactory(event=event, title="Timed, no room", starts_at=at(9))

    data = schedule_data(organiser_client.get(schedule_url(event)))

    unscheduled = [
        block["title"] for block in data["sessions"] if not (block["room"] and block["start"])
    ]
    assert unscheduled == ["Timed, no room", "Untimed"]


def test_schedule_page_flags_room_and_speaker_clashes(organiser_client, event, keynote, talk):
    # An imported schedule may keep a room overlap: written past the model's validation.
    overlap = SessionFactory(event=event, title="Overlap")
    Session.objects.filter(pk=overlap.pk).update(room=keynote.room, starts_at=at(10, 15))
    speaker = SpeakerFactory(name="Ada")
    SessionSpeakerFactory(session=keynote, speaker=speaker)
    SessionSpeakerFactory(session=talk, speaker=speaker)

    data = schedule_data(organiser_client.get(schedule_url(event)))

    clashes = {block["title"]: block["clashes"] for block in data["sessions"]}
    assert clashes == {
        "Keynote": [
            "Hall A is taken at 10:15 by “Overlap”.",
            "Ada also speaks in “Talk”, 10:00 to 11:00.",
        ],
        "Talk": ["Ada also speaks in “Keynote”, 10:00 to 10:30."],
        "Overlap": ["Hall A is taken from 10:00 to 10:30 by “Keynote”."],
    }


def test_schedule_page_has_no_inline_script_or_style(organiser_client, event, keynote):
    response = organiser_client.get(schedule_url(event))

    page = parse_page(response.text)
    assert inline_executable_scripts(page.scripts) == []
    assert (page.inline_styles, page.handlers) == ([], [])
    assert [
        script["attrs"]["src"]
        for script in page.scripts
        if "schedule" in script["attrs"].get("src", "")
    ] == ["/static/admin-extra/schedule-editor.js"]
    assert '<link rel="stylesheet" href="/static/admin-extra/schedule-editor.css">' in response.text


def test_event_change_form_and_list_link_to_the_schedule(organiser_client, event):
    change_form = organiser_client.get(reverse("admin:conference_event_change", args=[event.pk]))
    changelist = organiser_client.get(reverse("admin:conference_event_changelist"))

    link = f'href="{schedule_url(event)}"'
    assert change_form.text.count(link) == 1
    assert changelist.text.count(link) == 1


def test_schedule_page_of_unknown_event_is_not_found(organiser_client):
    assert organiser_client.get(reverse("admin:event_schedule", args=[999999])).status_code == 404


def test_schedule_page_queries_are_fixed_at_36_and_1000_sessions(
    organiser_client, django_assert_num_queries
):
    small, large = EventFactory(), EventFactory()
    for event, count in ((small, 36), (large, 1000)):
        fill_programme(event, sessions=count, rooms=min(count // 10, 100))

    with CaptureQueriesContext(connection) as small_queries:
        assert organiser_client.get(schedule_url(small)).status_code == 200
    with django_assert_num_queries(len(small_queries)):
        response = organiser_client.get(schedule_url(large))

    assert len(schedule_data(response)["sessions"]) == 1000
    assert len(small_queries) <= 15


def fill_programme(event, *, sessions, rooms):
    """``sessions`` timed sessions with a speaker each, spread over ``rooms`` rooms."""
    halls = [RoomFactory(event=event) for _ in range(rooms)]
    tracks = [TrackFactory(event=event) for _ in range(3)]
    speakers = Speaker.objects.bulk_create(
        Speaker(name=f"Speaker {event.pk}-{n}", slug=f"speaker-{event.pk}-{n}")
        for n in range(sessions)
    )
    created = Session.objects.bulk_create(
        Session(
            event=event,
            title=f"Session {n}",
            slug=f"session-{event.pk}-{n}",
            day=1,
            position=n,
            room=halls[n % rooms],
            track=tracks[n % 3],
            starts_at=datetime.datetime(2023, 11, 23, 9, tzinfo=datetime.UTC)
            + (n // rooms) * 30 * MINUTES,
            duration=30 * MINUTES,
        )
        for n in range(sessions)
    )
    SessionSpeaker.objects.bulk_create(
        SessionSpeaker(session=session, speaker=speaker, position=0)
        for session, speaker in zip(created, speakers, strict=True)
    )


# ---------- Moving ----------


def test_move_saves_the_session_with_a_history_entry(organiser_client, event, keynote, talk):
    response = organiser_client.post(
        move_url(event),
        {
            "session": keynote.pk,
            "room": talk.room.pk,
            "starts_at": "2024-11-23T11:00",
            "duration": 45,
        },
    )

    assert response.status_code == 200
    keynote.refresh_from_db()
    assert (keynote.room, keynote.starts_at, keynote.duration) == (
        talk.room,
        at(11),
        45 * MINUTES,
    )
    assert history(keynote) == ["Moved to Hall B, 2024-11-23 11:00, 45 min."]
    answer = response.json()
    assert answer["ok"] is True
    assert answer["message"] == "Moved to Hall B, 2024-11-23 11:00, 45 min."
    assert (
        answer["session"]["room"],
        answer["session"]["start"],
        answer["session"]["duration"],
    ) == (
        talk.room.pk,
        "2024-11-23T11:00",
        45,
    )


def test_move_to_another_day_sets_the_day(organiser_client, event, keynote):
    organiser_client.post(
        move_url(event),
        {"session": keynote.pk, "room": keynote.room.pk, "starts_at": "2024-11-24T09:00"},
    )

    keynote.refresh_from_db()
    assert (keynote.day, keynote.starts_at, keynote.duration) == (2, at(9, day=24), None)


def test_move_into_a_taken_room_is_refused_naming_the_other_session(
    organiser_client, event, hall_a, keynote, talk
):
    response = organiser_client.post(
        move_url(event),
        {
            "session": keynote.pk,
            "room": talk.room.pk,
            "starts_at": "2024-11-23T10:30",
            "duration": 30,
        },
    )

    assert response.status_code == 409
    assert response.json() == {"error": "Hall B is taken from 10:00 to 11:00 by “Talk”."}
    keynote.refresh_from_db()
    assert (keynote.room, keynote.starts_at) == (hall_a, at(10))
    assert history(keynote) == []


def test_move_answers_the_clashes_left_after_it(organiser_client, event, keynote, talk):
    speaker = SpeakerFactory(name="Ada")
    SessionSpeakerFactory(session=keynote, speaker=speaker)
    SessionSpeakerFactory(session=talk, speaker=speaker)

    response = organiser_client.post(
        move_url(event),
        {
            "session": keynote.pk,
            "room": keynote.room.pk,
            "starts_at": "2024-11-23T12:00",
            "duration": 30,
        },
    )

    assert response.json()["clashes"] == {}


def test_move_to_a_room_of_another_event_is_refused(organiser_client, event, keynote):
    elsewhere = RoomFactory(name="Elsewhere")

    response = organiser_client.post(
        move_url(event),
        {"session": keynote.pk, "room": elsewhere.pk, "starts_at": "2024-11-23T12:00"},
    )

    assert response.status_code == 400
    assert response.json() == {"error": "Room: That room is not one of this event's rooms."}
    keynote.refresh_from_db()
    assert (keynote.room.name, keynote.starts_at) == ("Hall A", at(10))


def test_move_of_a_session_of_another_event_is_refused(organiser_client, event, hall_a):
    other = SessionFactory(title="Elsewhere")

    response = organiser_client.post(
        move_url(event), {"session": other.pk, "room": hall_a.pk, "starts_at": "2024-11-23T12:00"}
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": "Session: That session is not one of this event's sessions."
    }


def test_move_to_a_time_the_clocks_skip_is_refused(organiser_client):
    event = EventFactory(
        time_zone="Europe/Paris",
        start_date=datetime.date(2024, 3, 30),
        end_date=datetime.date(2024, 3, 31),
    )
    room = RoomFactory(event=event)
    session = SessionFactory(event=event)

    response = organiser_client.post(
        move_url(event), {"session": session.pk, "room": room.pk, "starts_at": "2024-03-31T02:30"}
    )

    assert response.status_code == 400
    assert response.json()["error"].startswith("Start: 2024-03-31 02:30:00 couldn")
    session.refresh_from_db()
    assert session.starts_at is None


def test_move_without_a_start_is_refused(organiser_client, event, keynote):
    response = organiser_client.post(
        move_url(event), {"session": keynote.pk, "room": keynote.room.pk}
    )

    assert response.status_code == 400
    assert response.json() == {"error": "Start: A session on the grid needs a room and a start."}


def test_unscheduling_clears_room_and_start(organiser_client, event, keynote):
    response = organiser_client.post(move_url(event), {"session": keynote.pk, "unschedule": "on"})

    assert response.status_code == 200
    keynote.refresh_from_db()
    assert (keynote.room, keynote.starts_at, keynote.duration) == (None, None, 30 * MINUTES)
    assert history(keynote) == ["Unscheduled (was Hall A, 2024-11-23 10:00, 30 min)."]


# ---------- Who may ----------


@pytest.fixture
def staff_without_session_change(db):
    user = UserFactory(username="viewer", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_event", "change_event", "view_session"])
    )
    return user


def test_organisers_may_open_the_schedule(organiser_client, event):
    assert organiser_client.get(schedule_url(event)).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client, event, keynote):
    page = client.get(schedule_url(event))
    moved = client.post(move_url(event), {"session": keynote.pk, "unschedule": "on"})

    login = reverse("admin:login")
    assert (page.status_code, page.url) == (302, f"{login}?next={schedule_url(event)}")
    assert (moved.status_code, moved.url) == (302, f"{login}?next={move_url(event)}")
    keynote.refresh_from_db()
    assert keynote.starts_at == at(10)


def test_users_who_are_not_staff_are_sent_to_log_in(client, event, keynote):
    client.force_login(UserFactory(username="attendee"))

    assert client.get(schedule_url(event)).status_code == 302
    assert (
        client.post(move_url(event), {"session": keynote.pk, "unschedule": "on"}).status_code == 302
    )
    keynote.refresh_from_db()
    assert keynote.starts_at == at(10)


def test_staff_who_may_not_change_sessions_are_refused(
    client, event, keynote, staff_without_session_change
):
    client.force_login(staff_without_session_change)

    assert client.get(schedule_url(event)).status_code == 403
    assert (
        client.post(move_url(event), {"session": keynote.pk, "unschedule": "on"}).status_code == 403
    )
    keynote.refresh_from_db()
    assert keynote.starts_at == at(10)


def test_move_needs_the_csrf_token(organiser, event, keynote):
    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)
    data = {"session": keynote.pk, "unschedule": "on"}

    refused = client.post(move_url(event), data)
    client.get(schedule_url(event))  # sets the CSRF cookie, as the page does for its script
    accepted = client.post(
        move_url(event), data, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value
    )

    assert (refused.status_code, accepted.status_code) == (403, 200)


def test_move_refuses_get(organiser_client, event, keynote):
    response = organiser_client.get(move_url(event), {"session": keynote.pk, "unschedule": "on"})

    assert response.status_code == 405
    keynote.refresh_from_db()
    assert keynote.starts_at == at(10)
