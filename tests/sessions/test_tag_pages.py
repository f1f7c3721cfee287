"""Tag pages: every published session with one tag, across events, newest event first."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.factories import (
    EventFactory,
    RecordingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SlideDeckFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db

TAG_PAGE_MAX_QUERIES = 5


def row_titles(html):
    return re.findall(r'<h3 class="session-row__title"><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def kvm_sessions():
    older = EventFactory(name="CCC 2022", slug="ccc-2022", start_date=datetime.date(2022, 11, 14))
    newer = EventFactory(name="CCC 2023", slug="ccc-2023", start_date=datetime.date(2023, 11, 23))
    draft_event = EventFactory(name="CCC 2024", slug="ccc-2024", is_published=False)
    sessions = {
        "kvm-2022": SessionFactory(event=older, day=1, position=1, title="KVM in 2022"),
        "kvm-2023-day2": SessionFactory(event=newer, day=2, position=1, title="KVM Day Two"),
        "kvm-2023-day1": SessionFactory(event=newer, day=1, position=4, title="KVM Day One"),
        "draft": SessionFactory(
            event=newer, day=1, position=5, title="KVM Draft", is_published=False
        ),
        "draft-event": SessionFactory(event=draft_event, title="KVM Next Year"),
        "other-tag": SessionFactory(event=newer, day=1, position=6, title="Networking"),
    }
    for key, session in sessions.items():
        session.tags.add("networking" if key == "other-tag" else "KVM")
    return sessions


def test_tag_page_lists_published_sessions_across_events_newest_first(client, kvm_sessions):
    response = client.get(reverse("talks:tag_detail", kwargs={"slug": "kvm"}))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>KVM</h1>" in html
    assert row_titles(html) == ["KVM Day One", "KVM Day Two", "KVM in 2022"]
    assert "3 sessions about KVM, from every event." in html


def test_tag_page_shows_speakers_media_flags_and_links_to_events(client, kvm_sessions):
    session = kvm_sessions["kvm-2022"]
    SessionSpeakerFactory(session=session, speaker=SpeakerFactory(name="Rohit Yadav"), position=1)
    RecordingFactory(session=session)

    html = client.get(reverse("talks:tag_detail", kwargs={"slug": "kvm"})).content.decode()

    row = html[html.index("KVM in 2022") :]
    assert re.search(r'<p class="session-row__speakers"><a href="[^"]+">Rohit Yadav</a></p>', row)
    assert '<span class="media-flag media-flag--video">Video</span>' in row
    assert '<a href="/events/ccc-2022/">CCC 2022</a>' in html


def test_tag_page_of_unknown_or_draft_only_tag_is_not_found(client, kvm_sessions):
    SessionFactory(is_published=False).tags.add("secret")

    assert client.get("/tags/nope/").status_code == 404
    assert client.get("/tags/secret/").status_code == 404


def test_session_tags_link_to_their_tag_pages(client, kvm_sessions):
    session = kvm_sessions["kvm-2022"]

    session_html = client.get(session.get_absolute_url()).content.decode()
    event_html = client.get(session.event.get_absolute_url()).content.decode()

    link = '<a class="tag" href="/tags/kvm/">KVM</a>'
    assert link in session_html
    assert link in event_html


@pytest.mark.parametrize("size", [10, 60])
def test_tag_page_queries_stay_fixed_with_size(client, django_assert_max_num_queries, size):
    for _ in range(size):
        session = SessionFactory(event=EventFactory())
        SessionSpeakerFactory(session=session)
        RecordingFactory(session=session)
        SlideDeckFactory(session=session)
        session.tags.add("kvm")

    with django_assert_max_num_queries(TAG_PAGE_MAX_QUERIES):
        response = client.get("/tags/kvm/")

    assert len(row_titles(response.content.decode())) == size
