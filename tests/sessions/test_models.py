import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sessions.models import Recording, Session, SlideDeck
from tests.factories import (
    EventFactory,
    RecordingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SlideDeckFactory,
)

pytestmark = pytest.mark.django_db


def test_recording_save_stores_the_canonical_url_provider_and_key():
    recording = RecordingFactory(
        url='<iframe src="https://www.youtube.com/embed/2TOM0oI80fU?si=I4k8&amp;controls=0">'
        "</iframe>"
    )

    recording.refresh_from_db()
    assert (recording.url, recording.provider, recording.provider_key) == (
        "https://www.youtube.com/watch?v=2TOM0oI80fU",
        "youtube",
        "2TOM0oI80fU",
    )
    assert recording.embed_url == "https://www.youtube-nocookie.com/embed/2TOM0oI80fU"


def test_recording_full_clean_reports_a_bad_url_on_the_url_field():
    recording = Recording(session=SessionFactory(), url="https://www.dailymotion.com/video/x8ab")

    with pytest.raises(ValidationError) as error:
        recording.full_clean()

    assert error.value.message_dict["url"] == [
        "This is not a supported video link. "
        "Supported: Video file, YouTube, Vimeo, PeerTube, media.ccc.de."
    ]


def test_slide_deck_needs_a_url_or_a_pdf():
    with pytest.raises(ValidationError):
        SlideDeck(session=SessionFactory(), url="").full_clean()


def test_slide_deck_save_normalises_slideshare_embed_codes():
    deck = SlideDeckFactory(
        url="https://www.slideshare.net/slideshow/embed_code/key/CeiT7H0R6N62rM"
        "?hostedIn=slideshare&amp;page=upload"
    )

    assert (deck.provider, deck.provider_key) == ("slideshare", "CeiT7H0R6N62rM")
    assert deck.embed_url == ("https://www.slideshare.net/slideshow/embed_code/key/CeiT7H0R6N62rM")


def test_session_slug_is_unique_within_its_event_only():
    first = SessionFactory(slug="state-of-the-union")
    SessionFactory(slug="state-of-the-union")  # another event

    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(event=first.event, slug="state-of-the-union")


def test_session_positions_are_unique_within_a_day():
    event = EventFactory()
    SessionFactory(event=event, day=1, position=1)
    SessionFactory(event=event, day=2, position=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(event=event, day=1, position=1)


def test_session_ordered_speakers_follow_their_positions():
    session = SessionFactory()
    second = SessionSpeakerFactory(session=session, position=2).speaker
    first = SessionSpeakerFactory(session=session, position=1).speaker

    fetched = Session.objects.for_cards().get(pk=session.pk)

    assert fetched.ordered_speakers == [first, second]


def test_session_queryset_published_hides_drafts_and_sessions_of_draft_events():
    shown = SessionFactory()
    SessionFactory(is_published=False)
    SessionFactory(event=EventFactory(is_published=False))

    assert list(Session.objects.published()) == [shown]


def test_session_queryset_with_media_flags():
    with_both = SessionFactory()
    RecordingFactory(session=with_both)
    SlideDeckFactory(session=with_both)
    bare = SessionFactory()

    flags = {s.pk: (s.has_video, s.has_slides) for s in Session.objects.with_media_flags()}

    assert flags == {with_both.pk: (True, True), bare.pk: (False, False)}


def test_an_events_own_sessions_hold_that_event_without_joining_it(django_assert_num_queries):
    event = EventFactory()
    SessionFactory.create_batch(3, event=event)
    with django_assert_num_queries(5) as captured:  # sessions, speakers, recordings, decks, tags
        sessions = list(event.sessions.for_card_pages())
    assert [session.event for session in sessions] == [event] * 3
    assert all(session.event is event for session in sessions)
    assert '"conference_event"."slug"' not in captured.captured_queries[0]["sql"]


def test_sessions_from_anywhere_have_their_event_joined(django_assert_num_queries):
    event = EventFactory(slug="camp-2024")
    SessionFactory.create_batch(2, event=event)
    sessions = list(Session.objects.filter(event=event).for_card_pages())
    with django_assert_num_queries(0):
        assert [session.event.slug for session in sessions] == ["camp-2024", "camp-2024"]


def test_a_sessions_media_are_in_position_order_read_without_joins():
    session = SessionFactory()
    second = RecordingFactory(session=session, position=2)
    first = RecordingFactory(session=session, position=1, url="https://youtu.be/dQw4w9WgXcQ")
    fetched = Session.objects.for_card_pages().get(pk=session.pk)
    assert fetched.recording_list == [first, second]
    assert list(session.recordings.all()) == [first, second]
    for model in (Recording, SlideDeck):
        assert "JOIN" not in str(model.objects.filter(session_id__in=[session.pk]).query)
