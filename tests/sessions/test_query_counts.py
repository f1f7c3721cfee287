"""Every public page reads the database a fixed number of times, however big the event.

Each page is measured at two sizes under the same ceiling: an N+1 query would pass at one size
and fail at the other.
"""

import pytest
from django.urls import reverse

from tests.factories import (
    EventFactory,
    RecordingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SlideDeckFactory,
    SpeakerFactory,
    SponsorshipFactory,
)

pytestmark = pytest.mark.django_db

SIZES = [36, 200]
# The event page lists every session (one line each past 150), so it is also held to its
# ceiling at 1,000.
EVENT_PAGE_SIZES = [36, 1000]
EVENT_PAGE_MAX_QUERIES = 8
# content version, session, its speakers, recordings, decks, links, tags, previous, next,
# profile links
SESSION_PAGE_MAX_QUERIES = 10
SPEAKER_PAGE_MAX_QUERIES = 5
SPEAKER_INDEX_MAX_QUERIES = 3
EVENT_LIST_MAX_QUERIES = 3


def build_event(session_count):
    """An event of ``session_count`` sessions over two days, each with two speakers, a video,
    slides and tags; one speaker holds every session, and nine sponsors support it."""
    event = EventFactory()
    regular = SpeakerFactory()
    for number in range(session_count):
        session = SessionFactory(event=event, day=1 + number % 2)
        SessionSpeakerFactory(session=session, speaker=regular, position=1)
        SessionSpeakerFactory(session=session, position=2)
        RecordingFactory(session=session)
        SlideDeckFactory(session=session)
        session.tags.add("kvm", f"topic-{number % 7}")
    SponsorshipFactory.create_batch(9, event=event)
    for other in range(3):
        EventFactory(name=f"Other event {other}")
    return event, regular


@pytest.mark.parametrize("size", EVENT_PAGE_SIZES)
def test_event_page_queries_stay_fixed_with_size(client, django_assert_max_num_queries, size):
    event, _ = build_event(size)

    with django_assert_max_num_queries(EVENT_PAGE_MAX_QUERIES):
        response = client.get(event.get_absolute_url())

    # Every session is on the page: as a card, or one line each for a big event.
    assert response.content.decode().count(" data-session ") == size


@pytest.mark.parametrize("size", SIZES)
def test_session_page_queries_stay_fixed_with_size(client, django_assert_max_num_queries, size):
    event, _ = build_event(size)
    session = event.sessions.order_by("day", "position")[size // 2]

    with django_assert_max_num_queries(SESSION_PAGE_MAX_QUERIES):
        response = client.get(session.get_absolute_url())

    content = response.content.decode()
    shown = [
        f'<h1 class="session-page__title">{session.title}</h1>',
        '<a class="speaker-chip"',
        '<figure class="media-figure"',  # the recording and the slides
        'rel="prev"',
        'rel="next"',
    ]
    assert [content.count(part) for part in shown] == [1, 2, 2, 1, 1]


@pytest.mark.parametrize("size", SIZES)
def test_speaker_page_queries_stay_fixed_with_size(client, django_assert_max_num_queries, size):
    _, regular = build_event(size)

    with django_assert_max_num_queries(SPEAKER_PAGE_MAX_QUERIES):
        response = client.get(regular.get_absolute_url())

    assert response.content.decode().count('<li class="session-row">') == size


@pytest.mark.parametrize("size", SIZES)
def test_speaker_index_queries_stay_fixed_with_size(client, django_assert_max_num_queries, size):
    build_event(size)

    with django_assert_max_num_queries(SPEAKER_INDEX_MAX_QUERIES):
        response = client.get(reverse("speakers:list"))

    assert response.content.decode().count('<a class="speaker-card"') == size + 1


@pytest.mark.parametrize("size", SIZES)
def test_event_list_queries_stay_fixed_with_size(client, django_assert_max_num_queries, size):
    build_event(size)

    with django_assert_max_num_queries(EVENT_LIST_MAX_QUERIES):
        response = client.get(reverse("conference:event_list"))

    assert response.content.decode().count('<article class="event-card">') == 4
