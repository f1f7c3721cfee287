"""RSS and Atom feeds of new recordings: newest first, published sessions only, fixed queries."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from sessions.feeds import FEED_LENGTH
from sessions.models import Recording
from tests.factories import (
    EventFactory,
    RecordingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
)

ATOM = "{http://www.w3.org/2005/Atom}"
START = datetime.datetime(2024, 3, 1, 12, 0, tzinfo=datetime.UTC)


def published_at(recording, hours):
    Recording.objects.filter(pk=recording.pk).update(
        created_at=START + datetime.timedelta(hours=hours)
    )


@pytest.fixture
def recordings(db):
    event = EventFactory(name="Nimbus Summit 2024", slug="nimbus")
    keynote = SessionFactory(
        event=event, title="Clouds & <Rain>", slug="clouds", description="About **clouds**."
    )
    SessionSpeakerFactory(session=keynote, speaker=SpeakerFactory(name="Ada Lovelace"))
    SessionSpeakerFactory(session=keynote, speaker=SpeakerFactory(name="Grace Hopper"))
    older = RecordingFactory(session=keynote, url="https://youtu.be/cCNCmJxxEPA")
    newer = RecordingFactory(session=keynote, url="https://youtu.be/2TOM0oI80fU", kind="recap")
    talk = SessionFactory(event=event, title="Storage", slug="storage", description="")
    newest = RecordingFactory(session=talk)
    hidden_session = SessionFactory(event=event, title="Draft session", is_published=False)
    draft_event = SessionFactory(event=EventFactory(is_published=False), title="Draft event")
    for hours, recording in enumerate(
        [
            older,
            newer,
            newest,
            RecordingFactory(session=hidden_session),
            RecordingFactory(session=draft_event),
        ]
    ):
        published_at(recording, hours)
    return [newest, newer, older]


def rss_items(client):
    response = client.get(reverse("feeds:recordings_rss"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).find("channel").findall("item")


def atom_entries(client):
    response = client.get(reverse("feeds:recordings_atom"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def test_rss_items_newest_first_without_drafts(client, recordings):
    items = rss_items(client)
    assert [item.findtext("title") for item in items] == [
        "Storage — Nimbus Summit 2024",
        "Clouds & <Rain> — Nimbus Summit 2024",
        "Clouds & <Rain> — Nimbus Summit 2024",
    ]
    assert [item.findtext("link") for item in items] == [
        f"http://testserver{r.session.get_absolute_url()}#recording-{r.pk}" for r in recordings
    ]
    assert [item.findtext("guid") for item in items] == [item.findtext("link") for item in items]
    assert items[1].findtext("description") == "Ada Lovelace, Grace Hopper\n\nAbout clouds."
    assert items[0].findtext("pubDate") == "Fri, 01 Mar 2024 14:00:00 +0000"


def test_atom_entries_newest_first_without_drafts(client, recordings):
    entries = atom_entries(client)
    assert [entry.find(f"{ATOM}link").get("href") for entry in entries] == [
        f"http://testserver{r.session.get_absolute_url()}#recording-{r.pk}" for r in recordings
    ]
    assert len({entry.findtext(f"{ATOM}id") for entry in entries}) == 3
    assert entries[0].findtext(f"{ATOM}title") == "Storage — Nimbus Summit 2024"
    assert entries[0].findtext(f"{ATOM}published") == "2024-03-01T14:00:00+00:00"
    assert entries[0].findtext(f"{ATOM}updated") == "2024-03-01T14:00:00+00:00"


def test_feeds_hold_the_newest_fifty(client, db):
    session = SessionFactory()
    for hours in range(FEED_LENGTH + 2):
        recording = RecordingFactory(
            session=session, url=f"https://youtu.be/{hours:011d}", position=hours
        )
        published_at(recording, hours)
    items = rss_items(client)
    assert len(items) == FEED_LENGTH
    assert items[0].findtext("link").endswith(f"#recording-{recording.pk}")


def test_feeds_query_count_does_not_grow(client, recordings, django_assert_num_queries):
    with django_assert_num_queries(3):
        rss_items(client)
    for _ in range(5):
        session = SessionFactory()
        SessionSpeakerFactory(session=session)
        RecordingFactory(session=session)
    with django_assert_num_queries(3):
        assert len(atom_entries(client)) == 8


def test_feed_links_for_the_page_head():
    html = render_to_string("includes/_feed_links.html")
    assert re.findall(
        r'<link rel="alternate" type="([^"]+)" title="[^"]+" href="([^"]+)">', html
    ) == [
        ("application/rss+xml", "/feeds/recordings.rss"),
        ("application/atom+xml", "/feeds/recordings.atom"),
    ]
