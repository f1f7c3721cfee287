"""``/events/<slug>/sessions.ics``: one calendar entry per published session, parsed back."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from conference.models import Event
from tests.factories import EventFactory, SessionFactory, SessionSpeakerFactory, SpeakerFactory


def ical_url(event):
    return reverse("talks:event_ical", kwargs={"slug": event.slug})


def get_calendar(client, event):
    response = client.get(ical_url(event))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    return Calendar.from_ical(response.content)


@pytest.fixture
def event(db):
    event = EventFactory(
        name="Nimbus Summit, 2024",
        slug="nimbus",
        start_date=datetime.date(2024, 3, 12),
        end_date=datetime.date(2024, 3, 13),
    )
    timed = SessionFactory(
        event=event,
        title="Opening; keynote, with commas",
        description="About **clouds**.\n\nSee [the site](https://example.org/).",
        start_time=datetime.time(9, 30),
        day=1,
    )
    SessionSpeakerFactory(session=timed, speaker=SpeakerFactory(name="Ada Lovelace"))
    SessionSpeakerFactory(session=timed, speaker=SpeakerFactory(name="Grace Hopper"))
    SessionFactory(event=event, title="Day two, all day", day=2)
    SessionFactory(event=event, title="Draft", is_published=False)
    return event


def test_ical_calendar_properties(client, event):
    calendar = get_calendar(client, event)
    assert (str(calendar["VERSION"]), str(calendar["X-WR-CALNAME"])) == (
        "2.0",
        "Nimbus Summit, 2024",
    )
    assert str(calendar["PRODID"]) == "-//Conference Roundups//Sessions//EN"


def test_ical_one_event_per_published_session(client, event, settings):
    sessions = list(event.sessions.filter(is_published=True).order_by("day"))
    entries = get_calendar(client, event).walk("VEVENT")
    assert [(str(e["UID"]), str(e["SUMMARY"])) for e in entries] == [
        (f"{sessions[0].guid}@testserver", "Opening; keynote, with commas"),
        (f"{sessions[1].guid}@testserver", "Day two, all day"),
    ]
    timed, all_day = entries
    zone = ZoneInfo(settings.TIME_ZONE)
    assert timed.decoded("DTSTART") == datetime.datetime(2024, 3, 12, 9, 30, tzinfo=zone)
    assert timed.decoded("DTEND") == datetime.datetime(2024, 3, 12, 10, 30, tzinfo=zone)
    assert (all_day.decoded("DTSTART"), all_day.decoded("DTEND")) == (
        datetime.date(2024, 3, 13),
        datetime.date(2024, 3, 14),
    )
    url = f"http://testserver{sessions[0].get_absolute_url()}"
    assert str(timed["URL"]) == url
    assert str(timed["DESCRIPTION"]) == (
        f"Speakers: Ada Lovelace, Grace Hopper\n\nAbout clouds.\nSee the site.\n\n{url}"
    )
    assert str(timed["LOCATION"]) == "voco hotel, Paris, France"


def test_ical_uids_are_stable(client, event):
    def uids():
        return [str(e["UID"]) for e in get_calendar(client, event).walk("VEVENT")]

    assert uids() == uids()


def test_ical_time_zone_from_the_event(client, event):
    Event.objects.filter(pk=event.pk).update(time_zone="Europe/Paris")
    event.refresh_from_db()
    event.sessions.timed().update(starts_at=event.moment(1, datetime.time(9, 30)))
    calendar = get_calendar(client, event)
    timed = calendar.walk("VEVENT")[0]
    assert timed.decoded("DTSTART") == datetime.datetime(
        2024, 3, 12, 9, 30, tzinfo=ZoneInfo("Europe/Paris")
    )
    assert timed["DTSTART"].params["TZID"] == "Europe/Paris"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_ical_event_without_dates_has_no_entries(client, db):
    event = EventFactory(start_date=None, end_date=None)
    SessionFactory(event=event)
    assert get_calendar(client, event).walk("VEVENT") == []


def test_ical_draft_event_is_404_for_visitors(client, db):
    event = EventFactory(is_published=False)
    assert client.get(ical_url(event)).status_code == 404


def test_ical_query_count_does_not_grow(client, event, django_assert_num_queries):
    with django_assert_num_queries(7):
        get_calendar(client, event)
    for position in range(100, 105):
        SessionSpeakerFactory(session=SessionFactory(event=event, day=2, position=position))
    with django_assert_num_queries(7):
        assert len(get_calendar(client, event).walk("VEVENT")) == 7
