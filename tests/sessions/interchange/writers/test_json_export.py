"""``/events/<slug>/export.json``: the documented schema, the right values, fixed queries."""

import datetime
import json
from pathlib import Path

import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator

from conference.models import Sponsorship
from sessions.models import Session
from tests.factories import (
    EventFactory,
    ProfileLinkFactory,
    RecordingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SlideDeckFactory,
    SpeakerFactory,
    SponsorFactory,
    SponsorshipFactory,
)

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[4] / "docs" / "export.schema.json").read_text()
)


def export_url(event):
    return reverse("talks:event_export_json", kwargs={"slug": event.slug})


def get_json(client, event, status=200):
    response = client.get(export_url(event))
    assert response.status_code == status
    if status != 200:
        return None
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content.decode("utf-8"))
    Draft202012Validator(SCHEMA).validate(data)
    return data


@pytest.fixture
def event(db):
    event = EventFactory(
        name="Nimbus Summit 2024",
        slug="nimbus-summit-2024",
        summary="All about **clouds** & <rain>.",
        website="https://nimbus.example.org/",
        attendee_count=120,
        country_count=None,
    )
    SponsorshipFactory(
        event=event,
        sponsor=SponsorFactory(name="Gold Co", slug="gold-co", website=""),
        tier=Sponsorship.Tier.GOLD,
        position=0,
    )
    SponsorshipFactory(
        event=event,
        sponsor=SponsorFactory(name="Plat Inc", slug="plat-inc", website="https://plat.example/"),
        tier=Sponsorship.Tier.PLATINUM,
        position=3,
    )
    ada = SpeakerFactory(name="Ada Lovelace", slug="ada", company="Analytical", bio="Notes.")
    ProfileLinkFactory(speaker=ada, url="https://github.com/ada", kind="github", position=0)
    ProfileLinkFactory(speaker=ada, url="https://ada.example.org/", kind="website", position=1)
    bob = SpeakerFactory(name='Bob "Tables" O\'Neil', slug="bob", company="")
    keynote = SessionFactory(
        event=event,
        slug="opening",
        title='Opening "keynote" </script>',
        kind="keynote",
        day=1,
        position=0,
        start_time=datetime.time(9, 30),
    )
    keynote.tags.add("cloud", "community")
    SessionSpeakerFactory(session=keynote, speaker=bob, position=0)
    SessionSpeakerFactory(session=keynote, speaker=ada, position=1)
    RecordingFactory(session=keynote, url="https://youtu.be/cCNCmJxxEPA", kind="recap")
    SlideDeckFactory(session=keynote)
    SlideDeckFactory(session=keynote, url="https://www.slideshare.net/ShapeBlue/some-deck")
    workshop = SessionFactory(
        event=event, slug="hands-on", title="Hands-on", kind="workshop", day=2, position=0
    )
    SessionSpeakerFactory(session=workshop, speaker=ada, position=0)
    SessionFactory(event=event, slug="draft", title="Draft", is_published=False)
    return event


def test_export_json_values(client, event):
    data = get_json(client, event)
    assert data["version"] == 1
    assert data["event"] == {
        "name": "Nimbus Summit 2024",
        "slug": "nimbus-summit-2024",
        "summary": "All about **clouds** & <rain>.",
        "start_date": "2023-11-23",
        "end_date": "2023-11-24",
        "venue": "voco hotel",
        "city": "Paris",
        "country": "France",
        "website": "https://nimbus.example.org/",
        "photo_gallery_url": "",
        "attendee_count": 120,
        "country_count": None,
        "time_zone": "UTC",
        "url": "http://testserver/events/nimbus-summit-2024/",
    }
    assert data["sponsors"] == [
        {
            "name": "Plat Inc",
            "slug": "plat-inc",
            "website": "https://plat.example/",
            "tier": "Platinum",
            "position": 3,
        },
        {"name": "Gold Co", "slug": "gold-co", "website": "", "tier": "Gold", "position": 0},
    ]
    assert [session["slug"] for session in data["sessions"]] == ["opening", "hands-on"]
    opening = data["sessions"][0]
    assert opening == {
        "slug": "opening",
        "title": 'Opening "keynote" </script>',
        "kind": "keynote",
        "day": 1,
        "position": 0,
        "start_time": "09:30:00",
        "starts_at": "2023-11-23T09:30:00+00:00",
        "ends_at": None,
        "duration": None,
        "room": None,
        "track": None,
        "language": "",
        "guid": str(Session.objects.get(slug="opening").guid),
        "description": "What this session is about.",
        "url": "http://testserver/events/nimbus-summit-2024/sessions/opening/",
        "speakers": ["bob", "ada"],
        "tags": ["cloud", "community"],
        "recordings": [
            {
                "provider": "youtube",
                "key": "cCNCmJxxEPA",
                "url": "https://www.youtube.com/watch?v=cCNCmJxxEPA",
                "embed_url": "https://www.youtube-nocookie.com/embed/cCNCmJxxEPA",
                "kind": "recap",
            }
        ],
        "slide_decks": [
            {
                "provider": "slideshare",
                "key": "hH2CO8kHcQaCQo",
                "url": "https://www.slideshare.net/slideshow/embed_code/key/hH2CO8kHcQaCQo",
                "embed_url": "https://www.slideshare.net/slideshow/embed_code/key/hH2CO8kHcQaCQo",
            },
            {
                "provider": "slideshare",
                "key": "ShapeBlue/some-deck",
                "url": "https://www.slideshare.net/ShapeBlue/some-deck",
                "embed_url": None,
            },
        ],
    }
    assert data["sessions"][1]["start_time"] is None
    assert data["speakers"] == [
        {
            "slug": "ada",
            "name": "Ada Lovelace",
            "company": "Analytical",
            "bio": "Notes.",
            "url": "http://testserver/speakers/ada/",
            "links": [
                {"kind": "github", "url": "https://github.com/ada"},
                {"kind": "website", "url": "https://ada.example.org/"},
            ],
        },
        {
            "slug": "bob",
            "name": 'Bob "Tables" O\'Neil',
            "company": "",
            "bio": "",
            "url": "http://testserver/speakers/bob/",
            "links": [],
        },
    ]


def test_export_json_escapes_markup(client, event):
    body = client.get(export_url(event)).content.decode("utf-8")
    assert '"title": "Opening \\"keynote\\" </script>"' in body


def test_export_json_of_draft_event_is_404_for_visitors(client, db):
    get_json(client, EventFactory(is_published=False), status=404)


def test_export_json_of_draft_event_for_staff(client, staff_user):
    event = EventFactory(is_published=False)
    SessionFactory(event=event, is_published=False, slug="draft")
    client.force_login(staff_user)
    assert [s["slug"] for s in get_json(client, event)["sessions"]] == ["draft"]


def test_export_json_unknown_event_is_404(client, db):
    assert client.get("/events/nope/export.json").status_code == 404


def test_export_json_query_count_does_not_grow(client, event, django_assert_num_queries):
    # Two of them read the event's rooms and tracks.
    with django_assert_num_queries(11):
        client.get(export_url(event))
    for position in range(1, 6):
        session = SessionFactory(event=event, day=3, position=position)
        SessionSpeakerFactory(session=session, position=0)
        RecordingFactory(session=session)
        session.tags.add(f"tag-{position}")
    with django_assert_num_queries(11):
        data = get_json(client, event)
    assert len(data["sessions"]) == 7
