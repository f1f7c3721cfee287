"""Every public page reads the database a fixed number of times, however big the event.

Each page is measured at two sizes under the same ceiling: an N+1 query would pass at one size
and fail at the other. Each size's event is built once (with ``bulk_create``) and shared by the
tests of this module, which only read it.
"""

from typing import NamedTuple

import pytest
from django.urls import reverse

from conference.caching import content_changed_for, event_scopes
from sessions.models import Recording, Session, SessionSpeaker, SlideDeck
from speakers.models import Speaker
from tests.bulk_rows import built_once, saved_in_bulk, tagged_in_bulk
from tests.factories import (
    EventFactory,
    RecordingFactory,
    SessionFactory,
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


class Built(NamedTuple):
    event: object
    regular: object
    size: int


def build_event(session_count):
    """An event of ``session_count`` sessions over two days, each with two speakers, a video,
    slides and tags; one speaker holds every session, and nine sponsors support it. The
    sessions and what hangs off them go in with ``bulk_create`` (see tests/bulk_rows.py)."""
    event = EventFactory()
    regular = SpeakerFactory()
    saved_in_bulk(
        Session,
        [SessionFactory.build(event=event, day=1 + number % 2) for number in range(session_count)],
    )
    sessions = list(event.sessions.order_by("pk"))
    guests = saved_in_bulk(Speaker, SpeakerFactory.build_batch(session_count))
    SessionSpeaker.objects.bulk_create(
        [
            link
            for session, guest in zip(sessions, guests, strict=True)
            for link in (
                SessionSpeaker(session=session, speaker=regular, position=1),
                SessionSpeaker(session=session, speaker=guest, position=2),
            )
        ]
    )
    saved_in_bulk(Recording, [RecordingFactory.build(session=session) for session in sessions])
    saved_in_bulk(SlideDeck, [SlideDeckFactory.build(session=session) for session in sessions])
    tagged_in_bulk(
        {session: ["kvm", f"topic-{number % 7}"] for number, session in enumerate(sessions)}
    )
    content_changed_for(event_scopes([event.slug]))
    SponsorshipFactory.create_batch(9, event=event)
    for other in range(3):
        EventFactory(name=f"Other event {other}")
    return Built(event, regular, session_count)


@pytest.fixture(scope="module")
def programme(request, django_db_setup, django_db_blocker):
    """The event of ``build_event`` at the size the test is parametrized with, built once for
    the module's tests of that size."""
    yield from built_once(django_db_blocker, build_event, request.param)


@pytest.mark.parametrize("programme", EVENT_PAGE_SIZES, indirect=True)
def test_event_page_queries_stay_fixed_with_size(client, django_assert_max_num_queries, programme):
    event, _, size = programme

    with django_assert_max_num_queries(EVENT_PAGE_MAX_QUERIES):
        response = client.get(event.get_absolute_url())

    # Every session is on the page: as a card, or one line each for a big event.
    assert response.content.decode().count(" data-session ") == size


@pytest.mark.parametrize("programme", SIZES, indirect=True)
def test_session_page_queries_stay_fixed_with_size(
    client, django_assert_max_num_queries, programme
):
    event, _, size = programme
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


@pytest.mark.parametrize("programme", SIZES, indirect=True)
def test_speaker_page_queries_stay_fixed_with_size(
    client, django_assert_max_num_queries, programme
):
    _, regular, size = programme

    with django_assert_max_num_queries(SPEAKER_PAGE_MAX_QUERIES):
        response = client.get(regular.get_absolute_url())

    assert response.content.decode().count('<li class="session-row">') == size


@pytest.mark.parametrize("programme", SIZES, indirect=True)
def test_speaker_index_queries_stay_fixed_with_size(
    client, django_assert_max_num_queries, programme
):
    size = programme.size

    with django_assert_max_num_queries(SPEAKER_INDEX_MAX_QUERIES):
        response = client.get(reverse("speakers:list"))

    assert response.content.decode().count('<a class="speaker-card"') == size + 1


@pytest.mark.parametrize("programme", SIZES, indirect=True)
def test_event_list_queries_stay_fixed_with_size(client, django_assert_max_num_queries, programme):
    with django_assert_max_num_queries(EVENT_LIST_MAX_QUERIES):
        response = client.get(reverse("conference:event_list"))

    assert response.content.decode().count('<article class="event-card">') == 4
