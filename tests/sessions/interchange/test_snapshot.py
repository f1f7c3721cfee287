"""``snapshot_event`` / ``snapshot_for_visitor``: one read of an event, in fixed queries."""

import pytest
from django.contrib.auth.models import AnonymousUser

from sessions.interchange.snapshot import snapshot_event, snapshot_for_visitor
from tests.factories import (
    EventFactory,
    ProfileLinkFactory,
    RecordingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SlideDeckFactory,
    SpeakerFactory,
    SponsorshipFactory,
)


def programme(count):
    """An event with ``count`` published sessions (each with a linked speaker, a recording, a
    deck and a tag), a draft and two sponsorships."""
    event = EventFactory()
    SponsorshipFactory(event=event, position=1)
    SponsorshipFactory(event=event, position=2)
    for position in range(count):
        session = SessionFactory(event=event, day=1 + position % 3, position=position)
        speaker = SpeakerFactory()
        ProfileLinkFactory(speaker=speaker)
        SessionSpeakerFactory(session=session, speaker=speaker)
        RecordingFactory(session=session)
        SlideDeckFactory(session=session)
        session.tags.add(f"tag-{position % 4}")
    SessionFactory(event=event, day=1, position=1000, slug="draft", is_published=False)
    return event


def read_everything(snapshot):
    """Every relation a writer reads, so a missing prefetch would show as a query."""
    return [
        (
            session.event.slug,
            [(speaker.name, list(speaker.links.all())) for speaker in session.ordered_speakers],
            list(session.recordings.all()),
            list(session.slide_decks.all()),
            list(session.tags.all()),
        )
        for session in snapshot.sessions
    ] + [sponsorship.sponsor.name for sponsorship in snapshot.sponsorships]


# sessions, session speakers with speakers, profile links, recordings, decks, tags, sponsorships,
# rooms, tracks
SNAPSHOT_QUERIES = 9


@pytest.mark.parametrize("count", [3, 30])
def test_snapshot_event_reads_in_fixed_queries(db, count, django_assert_num_queries):
    event = programme(count)
    with django_assert_num_queries(SNAPSHOT_QUERIES):
        read = read_everything(snapshot_event(event))
    assert len(read) == count + 2


@pytest.mark.parametrize("count", [3, 30])
def test_snapshot_for_visitor_reads_in_fixed_queries(db, count, django_assert_num_queries):
    event = programme(count)
    with django_assert_num_queries(SNAPSHOT_QUERIES):
        read = read_everything(snapshot_for_visitor(event, AnonymousUser()))
    assert len(read) == count + 2


@pytest.mark.parametrize("count", [3, 30])
def test_snapshot_without_sponsors_and_links_saves_their_queries(
    db, count, django_assert_num_queries
):
    event = programme(count)
    with django_assert_num_queries(SNAPSHOT_QUERIES - 2):
        snapshot = snapshot_event(event, sponsorships=False, speaker_links=False)
        names = [
            speaker.name for session in snapshot.sessions for speaker in session.ordered_speakers
        ]
    assert len(names) == count
    assert snapshot.sponsorships is None


def test_snapshot_sessions_in_programme_order_without_drafts(db):
    event = programme(5)
    snapshot = snapshot_event(event)
    expected = list(event.sessions.filter(is_published=True).order_by("day", "position"))
    assert snapshot.sessions == expected
    assert [(day, [s.position for s in sessions]) for day, sessions in snapshot.days()] == [
        (1, [0, 3]),
        (2, [1, 4]),
        (3, [2]),
    ]
    assert snapshot.sponsorships == list(event.sponsorships.order_by("tier", "position"))


def test_snapshot_include_drafts_and_staff_see_the_draft(db, staff_user):
    event = programme(2)
    with_drafts = [s.slug for s in snapshot_event(event, include_drafts=True).sessions]
    for_staff = [s.slug for s in snapshot_for_visitor(event, staff_user).sessions]
    for_visitor = [s.slug for s in snapshot_for_visitor(event, AnonymousUser()).sessions]
    assert with_drafts == for_staff == [for_visitor[0], "draft", for_visitor[1]]
    assert "draft" not in for_visitor


def test_snapshot_speakers_once_each_by_name(db):
    event = EventFactory()
    zoe, ada = SpeakerFactory(name="Zoe", slug="zoe"), SpeakerFactory(name="Ada", slug="ada")
    for position in range(2):
        session = SessionFactory(event=event, position=position)
        SessionSpeakerFactory(session=session, speaker=zoe, position=0)
        SessionSpeakerFactory(session=session, speaker=ada, position=1)
    assert snapshot_event(event).speakers == [ada, zoe]
