"""The public programme: the schedule grid, its filters and days, the agenda page, the session
page's programme facts and the calendars (one session, an agenda) parsed back with icalendar.

Grids are compared on what the view computed (which session in which room, row and span) and
on what the page holds; big events are held to their query ceiling and to 1 MB a page.
"""

import datetime
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from conference.caching import content_changed_for, event_scopes
from sessions.exports import MAX_AGENDA_SESSIONS
from sessions.models import Room, Session, SessionSpeaker
from sessions.programme import ALL_DAYS_MAX_SESSIONS
from speakers.models import Speaker
from tests.bulk_rows import saved_in_bulk, tagged_in_bulk
from tests.factories import (
    EventFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
MINUTES = datetime.timedelta(minutes=1)
# content version, event, the days' counts, sessions (with event, room, track), speakers, tags
SCHEDULE_MAX_QUERIES = 7
AGENDA_MAX_QUERIES = 6
PAGE_BYTES = 1_000_000


def at(day, hour, minute=0):
    """A moment of day ``day`` of the events below (23-24 November 2023), in Paris."""
    return datetime.datetime(2023, 11, 22 + day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def programme():
    """Two rooms, two tracks, four timed sessions over two days and one untimed session."""
    event = EventFactory(time_zone="Europe/Paris")
    hall = RoomFactory(event=event, name="Hall", slug="hall", position=1)
    lab = RoomFactory(event=event, name="Lab", slug="lab", position=2)
    core = TrackFactory(event=event, name="Core", slug="core", colour="#1d4ed8", position=1)
    ops = TrackFactory(event=event, name="Ops", slug="ops", colour="#b45309", position=2)
    sessions = {
        "opening": SessionFactory(
            event=event,
            title="Opening",
            kind="keynote",
            starts_at=at(1, 9),
            duration=60 * MINUTES,
            room=hall,
            track=core,
            language="en",
        ),
        "talk": SessionFactory(
            event=event,
            title="Talk",
            starts_at=at(1, 10),
            duration=30 * MINUTES,
            room=hall,
            track=core,
        ),
        "workshop": SessionFactory(
            event=event,
            title="Workshop",
            kind="workshop",
            starts_at=at(1, 10),
            duration=90 * MINUTES,
            room=lab,
            track=ops,
        ),
        "closing": SessionFactory(
            event=event,
            title="Closing",
            starts_at=at(2, 9, 30),
            duration=45 * MINUTES,
            room=hall,
        ),
        "untimed": SessionFactory(event=event, title="Hallway track", day=2),
    }
    sessions["workshop"].tags.add("kvm")
    SessionSpeakerFactory(session=sessions["talk"], speaker=SpeakerFactory(name="Ada"))
    return event, sessions


def schedule_url(event, **query):
    url = reverse("talks:event_schedule", kwargs={"slug": event.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def grid(response):
    """``{day: [(slot label, [(room, title, row, span)])]}`` of a schedule response."""
    return {
        day.number: [
            (
                slot.starts.label,
                [(b.room.name, b.session.title, b.row, b.span) for b in slot.blocks],
            )
            for slot in day.slots
        ]
        for day in response.context["schedule"].days
    }


def test_schedule_places_each_session_in_its_room_and_slot(client, programme):
    event, _ = programme

    response = client.get(schedule_url(event))

    assert response.status_code == 200
    assert grid(response) == {
        1: [
            ("09:00", [("Hall", "Opening", 1, 12)]),
            ("10:00", [("Hall", "Talk", 13, 6), ("Lab", "Workshop", 13, 18)]),
        ],
        2: [("09:30", [("Hall", "Closing", 7, 9)])],
    }
    days = response.context["schedule"].days
    assert [(d.rows, [r.name for r in d.rooms]) for d in days] == [
        (30, ["Hall", "Lab"]),
        (15, ["Hall"]),
    ]
    content = response.content.decode()
    assert content.count("data-block ") == 4
    assert '<time datetime="2023-11-23T10:00:00+01:00">10:00</time>' in content
    assert "Hallway track" not in content


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ({"room": "lab"}, ["Workshop"]),
        ({"track": "core"}, ["Opening", "Talk"]),
        ({"kind": "keynote"}, ["Opening"]),
        ({"tag": "kvm"}, ["Workshop"]),
        ({"day": "2"}, ["Closing"]),
        ({"room": "nowhere", "tag": "unknown"}, ["Opening", "Talk", "Workshop", "Closing"]),
    ],
)
def test_schedule_filters_narrow_the_grid(client, programme, query, titles):
    event, _ = programme

    response = client.get(schedule_url(event, **query))

    shown = [b.session.title for d in response.context["schedule"].days for b in d.blocks]
    assert shown == titles


def test_schedule_filter_links_keep_the_other_filters(client, programme):
    event, _ = programme

    response = client.get(schedule_url(event, day="1", kind="talk"))

    filters = {f.name: f for f in response.context["schedule"].filters}
    rooms = [(c.label, c.href, c.active) for c in filters["room"].choices]
    path = schedule_url(event)
    assert rooms == [
        ("Hall", f"{path}?day=1&room=hall&kind=talk", False),
        ("Lab", f"{path}?day=1&room=lab&kind=talk", False),
    ]
    assert filters["kind"].all_href == f"{path}?day=1"


def test_schedule_is_404_without_timed_sessions(client):
    event = EventFactory()
    SessionFactory(event=event)

    assert client.get(schedule_url(event)).status_code == 404
    assert client.get(reverse("talks:event_agenda", kwargs={"slug": event.slug})).status_code == 404
    page = client.get(event.get_absolute_url()).content.decode()
    assert (schedule_url(event) in page, "agenda.js" in page) == (False, False)


def test_event_page_links_the_schedule_when_a_session_has_a_time(client, programme):
    event, sessions = programme

    page = client.get(event.get_absolute_url()).content.decode()

    assert page.count(f'href="{schedule_url(event)}"') == 1
    # A star on each timed session's card, none on the untimed one.
    assert page.count("data-agenda-star=") == 4
    assert f'data-agenda-star="{sessions["untimed"].guid}"' not in page


def test_session_page_shows_its_place_in_the_programme(client, programme):
    _, sessions = programme

    content = client.get(sessions["opening"].get_absolute_url()).content.decode()

    facts = [
        "<dt>Room</dt><dd>Hall</dd>",
        '<time datetime="2023-11-23T09:00:00+01:00">09:00</time>\N{EN DASH}'
        '<time datetime="2023-11-23T10:00:00+01:00">10:00</time>',
        "<dt>Duration</dt><dd>1 h</dd>",
        "<dt>Track</dt><dd>Core</dd>",
        "<dt>Language</dt><dd>English</dd>",
        'href="/events/{}/sessions/{}/session.ics"'.format(
            sessions["opening"].event.slug, sessions["opening"].slug
        ),
        f'data-agenda-star="{sessions["opening"].guid}"',
    ]
    assert [content.count(fact) for fact in facts] == [1, 1, 1, 1, 1, 1, 1]


def test_session_page_neighbours_follow_time_order(client, programme):
    _, sessions = programme

    response = client.get(sessions["talk"].get_absolute_url())

    neighbours = (response.context["previous_session"], response.context["next_session"])
    assert neighbours == (sessions["opening"], sessions["workshop"])


def test_session_ical_is_one_event_in_the_event_zone(client, programme):
    _, sessions = programme
    opening = sessions["opening"]
    url = reverse(
        "talks:session_ical", kwargs={"event_slug": opening.event.slug, "slug": opening.slug}
    )

    response = client.get(url)

    calendar = Calendar.from_ical(response.content)
    entries = calendar.walk("VEVENT")
    assert [(str(e["uid"]), e["location"], e["dtstart"].params["TZID"]) for e in entries] == [
        (f"{opening.guid}@testserver", "Hall, voco hotel, Paris, France", "Europe/Paris")
    ]
    assert (entries[0].decoded("dtstart"), entries[0].decoded("dtend")) == (at(1, 9), at(1, 10))
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_session_ical_is_404_for_an_untimed_session(client, programme):
    _, sessions = programme
    untimed = sessions["untimed"]
    url = reverse(
        "talks:session_ical", kwargs={"event_slug": untimed.event.slug, "slug": untimed.slug}
    )

    assert client.get(url).status_code == 404


def test_event_ical_carries_guids_rooms_and_zone(client, programme):
    event, sessions = programme

    response = client.get(reverse("talks:event_ical", kwargs={"slug": event.slug}))

    calendar = Calendar.from_ical(response.content)
    timed = [
        (str(e["uid"]), str(e.get("location", "")), e["dtstart"].params.get("TZID"))
        for e in calendar.walk("VEVENT")
        if str(e["uid"]) != f"{sessions['untimed'].guid}@testserver"
    ]
    assert sorted(timed) == sorted(
        (f"{sessions[name].guid}@testserver", f"{room}, voco hotel, Paris, France", "Europe/Paris")
        for name, room in [
            ("opening", "Hall"),
            ("talk", "Hall"),
            ("workshop", "Lab"),
            ("closing", "Hall"),
        ]
    )
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_agenda_ical_lists_only_the_valid_guids_asked_for(client, programme):
    event, sessions = programme
    other_event_session = SessionFactory(starts_at=at(1, 9), duration=30 * MINUTES)
    guids = [
        sessions["workshop"].guid,
        "not-a-guid",
        uuid.uuid4(),
        sessions["opening"].guid,
        other_event_session.guid,
        sessions["untimed"].guid,
    ]
    url = reverse("talks:event_agenda_ical", kwargs={"slug": event.slug})

    response = client.get(url, {"s": ",".join(str(g) for g in guids)})

    calendar = Calendar.from_ical(response.content)
    assert [str(e["uid"]) for e in calendar.walk("VEVENT")] == [
        f"{sessions['opening'].guid}@testserver",
        f"{sessions['workshop'].guid}@testserver",
    ]
    assert response.status_code == 200


def test_agenda_ical_keeps_at_most_its_cap(client, programme):
    event, sessions = programme
    guids = [str(uuid.uuid4()) for _ in range(MAX_AGENDA_SESSIONS)] + [str(sessions["talk"].guid)]
    url = reverse("talks:event_agenda_ical", kwargs={"slug": event.slug})

    calendar = Calendar.from_ical(client.get(url, {"s": ",".join(guids)}).content)

    assert calendar.walk("VEVENT") == []


def test_agenda_page_lists_every_timed_session_hidden(client, programme):
    event, sessions = programme
    response = client.get(reverse("talks:event_agenda", kwargs={"slug": event.slug}))

    content = response.content.decode()

    order = ["opening", "talk", "workshop", "closing"]
    positions = [content.index(f'data-agenda-entry="{sessions[name].guid}"') for name in order]
    assert positions == sorted(positions)
    assert content.count("data-agenda-entry=") == 4


# ---------- Big events: days, query ceilings, page size ----------


def build_event(session_count, room_count, *, days=2):
    """An event of ``session_count`` timed sessions of 25 minutes in ``room_count`` rooms over
    ``days`` days, each with two speakers (one of them everywhere), two tags and a track. The
    rooms, sessions, speakers and tags go in with ``bulk_create`` (see tests/bulk_rows.py)."""
    event = EventFactory(time_zone="Europe/Paris")
    rooms = saved_in_bulk(
        Room,
        [
            RoomFactory.build(event=event, name=f"Room {n}", slug=f"room-{n}", position=n)
            for n in range(room_count)
        ],
    )
    tracks = [
        TrackFactory(event=event, name=f"Track {n}", slug=f"track-{n}", position=n)
        for n in range(5)
    ]
    regular = SpeakerFactory()
    per_day = -(-session_count // days)
    sessions = []
    for number in range(session_count):
        day, index = divmod(number, per_day)
        slot, room = divmod(index, room_count)
        sessions.append(
            Session(
                event=event,
                title=f"A session on a topic of some length, number {number}",
                slug=f"session-{number}",
                description="Not shown on the grid. " * 20,
                day=day + 1,
                position=number,
                starts_at=at(day + 1, 9) + slot * 30 * MINUTES,
                duration=25 * MINUTES,
                room=rooms[room],
                track=tracks[number % len(tracks)],
                is_published=True,
            )
        )
    Session.objects.bulk_create(sessions)
    sessions = list(event.sessions.all())
    guests = saved_in_bulk(Speaker, SpeakerFactory.build_batch(session_count))
    SessionSpeaker.objects.bulk_create(
        [SessionSpeaker(session=s, speaker=regular, position=1) for s in sessions]
        + [
            SessionSpeaker(session=s, speaker=g, position=2)
            for s, g in zip(sessions, guests, strict=True)
        ]
    )
    tagged_in_bulk(
        {session: ["kvm", f"topic-{number % 7}"] for number, session in enumerate(sessions)}
    )
    content_changed_for(event_scopes([event.slug]))
    return event


def test_big_event_shows_one_day_a_page(client):
    event = build_event(ALL_DAYS_MAX_SESSIONS + 2, 10)

    first = client.get(schedule_url(event))
    second = client.get(schedule_url(event, day="2"))

    assert [d.number for d in first.context["schedule"].days] == [1]
    assert [d.number for d in second.context["schedule"].days] == [2]
    links = [(day.number, day.count, day.active) for day in second.context["schedule"].day_links]
    assert links == [(1, 101, False), (2, 101, True)]
    assert first.context["schedule"].all_days_href == ""


@pytest.mark.parametrize(("size", "rooms"), [(36, 6), (1000, 100)])
def test_schedule_queries_stay_fixed_with_size(client, django_assert_max_num_queries, size, rooms):
    event = build_event(size, rooms)

    for query in ({}, {"day": "2"}):
        with django_assert_max_num_queries(SCHEDULE_MAX_QUERIES):
            response = client.get(schedule_url(event, **query))
        # A small event shows all its days by default, a big one its first day.
        all_days = not query and size <= ALL_DAYS_MAX_SESSIONS
        assert response.content.decode().count("data-block ") == (size if all_days else size // 2)


@pytest.mark.parametrize("size", [36, 1000])
def test_agenda_queries_stay_fixed_with_size(client, django_assert_max_num_queries, size):
    event = build_event(size, 10)

    with django_assert_max_num_queries(AGENDA_MAX_QUERIES):
        response = client.get(reverse("talks:event_agenda", kwargs={"slug": event.slug}))

    assert response.content.decode().count("data-agenda-entry=") == size


def test_schedule_pages_of_a_big_event_stay_under_1_mb(client):
    # The worst case: all 1,000 sessions on one day (about 700 KB; two days make 370 KB each).
    event = build_event(1000, 100, days=1)

    grid = client.get(schedule_url(event))
    agenda = client.get(reverse("talks:event_agenda", kwargs={"slug": event.slug}))

    assert grid.content.decode().count("data-block ") == 1000
    assert (len(grid.content) < PAGE_BYTES, len(agenda.content) < PAGE_BYTES) == (True, True)
