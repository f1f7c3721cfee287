"""Session cards are cached under a key of what each one shows: an edit re-renders its card(s)
only, the page made of cached cards is the page made afresh, and drafts stay out of the cache."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.test import Client, override_settings
from taggit.models import Tag

from conference import markup
from conference.caching import content_changed_for, event_scopes
from sessions.models import Session
from sessions.templatetags import cards
from tests.factories import (
    EventFactory,
    RecordingFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SlideDeckFactory,
    SpeakerFactory,
)
from tests.sessions.big_event import build_big_event


@pytest.fixture
def event(db):
    event = EventFactory(slug="cards")
    shared = SpeakerFactory(name="Ada Lovelace", slug="ada")
    for number in range(3):
        session = SessionFactory(event=event, slug=f"talk-{number}", title=f"Talk {number}")
        RecordingFactory(session=session)
        session.tags.add("kvm")
        if number < 2:
            SessionSpeakerFactory(session=session, speaker=shared)
        SessionSpeakerFactory(session=session, speaker=SpeakerFactory(slug=f"other-{number}"))
    return event


def card_keys(event):
    return {
        session.slug: session.card_version()
        for session in Session.objects.filter(event=event).for_card_pages()
    }


def changed_cards(event, edit):
    before = card_keys(event)
    edit()
    after = card_keys(event)
    return {slug for slug in before if before[slug] != after[slug]}


def session(slug):
    return Session.objects.get(slug=slug)


def test_an_edit_to_a_session_changes_its_card_only(event):
    def rename():
        talk = session("talk-1")
        talk.title = "Renamed"
        talk.save()

    assert changed_cards(event, rename) == {"talk-1"}


def test_a_speaker_rename_changes_every_card_showing_them(event):
    def rename():
        speaker = event.sessions.get(slug="talk-0").speakers.get(slug="ada")
        speaker.name = "Augusta Ada King"
        speaker.save()

    assert changed_cards(event, rename) == {"talk-0", "talk-1"}


@pytest.mark.parametrize(
    "edit",
    [
        lambda talk: talk.tags.add("storage"),
        lambda talk: talk.tags.remove("kvm"),
        lambda talk: RecordingFactory(session=talk, url="https://vimeo.com/76979871"),
        lambda talk: talk.recordings.update(title="The full talk"),
        lambda talk: SlideDeckFactory(session=talk),
        lambda talk: talk.session_speakers.all().delete(),
    ],
    ids=["tag added", "tag removed", "recording added", "recording retitled", "deck", "speakers"],
)
def test_tags_recordings_decks_and_speakers_of_a_session_change_its_card(event, edit):
    assert changed_cards(event, lambda: edit(session("talk-2"))) == {"talk-2"}


def test_a_tag_renamed_changes_every_card_with_it(event):
    assert changed_cards(event, lambda: Tag.objects.filter(slug="kvm").update(name="KVM")) == {
        "talk-0",
        "talk-1",
        "talk-2",
    }


def test_what_shapes_every_card_changes_every_key(event, monkeypatch):
    everything = {"talk-0", "talk-1", "talk-2"}

    def move_event():
        event.time_zone = "Asia/Tokyo"
        event.save()

    assert changed_cards(event, move_event) == everything
    keys = card_keys(event)
    with override_settings(EMBED_THUMBNAILS=True):
        assert card_keys(event).keys() == keys.keys()
        assert all(card_keys(event)[slug] != keys[slug] for slug in everything)
    with override_settings(PEERTUBE_INSTANCES=["video.example.org"]):
        assert all(card_keys(event)[slug] != keys[slug] for slug in everything)
    monkeypatch.setattr(markup, "LINK_REL", "nofollow")
    assert all(card_keys(event)[slug] != keys[slug] for slug in everything)


def test_card_keys_read_only_what_the_page_prefetched(event, django_assert_num_queries):
    sessions = list(Session.objects.filter(event=event).for_card_pages())
    with django_assert_num_queries(0):
        for talk in sessions:
            talk.card_version()


def count_card_renders():
    return mock.patch.object(cards, "render_card", wraps=cards.render_card)


def test_the_event_page_after_one_edit_renders_one_card(client, event):
    with count_card_renders() as render:
        first = client.get(event.get_absolute_url())
    assert first.status_code == 200
    assert render.call_count == 3

    talk = session("talk-1")
    talk.title = "Renamed"
    talk.save()
    with count_card_renders() as render:
        response = client.get(event.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert render.call_count == 1
    assert [call.args[0].slug for call in render.call_args_list] == ["talk-1"]
    assert "Renamed" in response.content.decode()


def test_a_page_of_cached_cards_is_the_page_rendered_afresh(client, event):
    fresh = client.get(event.get_absolute_url()).content
    content_changed_for(event_scopes([event.slug]))  # a new page version, the same cards
    with count_card_renders() as render:
        response = client.get(event.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert render.call_count == 0
    assert response.content == fresh


def test_the_cards_tag_draws_each_card_as_rendered_alone(event):
    sessions = list(Session.objects.filter(event=event).for_card_pages())
    alone = "".join(cards.render_card(session) for session in sessions)
    tag = Template("{% load cards %}{% session_cards sessions %}")
    assert (
        tag.render(Context({"sessions": sessions, "size": "large", "speakers": ["leak"]})) == alone
    )
    assert tag.render(Context({"sessions": sessions})) == alone  # now from the cache


def test_a_draft_card_is_shown_to_staff_and_never_cached(admin_client, event):
    draft = session("talk-2")
    draft.is_published = False
    draft.title = "Secret plans"
    draft.save()
    cache.clear()

    with count_card_renders() as render:
        preview = admin_client.get(event.get_absolute_url()).content.decode()
    assert "Secret plans" in preview
    assert render.call_count == 3
    draft = Session.objects.filter(pk=draft.pk).for_card_pages().get()
    assert cache.get(cards.card_key(draft, None)) is None

    public = Client().get(event.get_absolute_url()).content.decode()  # a visitor
    assert "Talk 1" in public
    assert "Secret plans" not in public


def test_a_room_renamed_changes_the_keys_of_its_sessions_only(event):
    hall = RoomFactory(event=event, name="Hall B")
    Session.objects.filter(slug__in=["talk-0", "talk-1"]).update(room=hall)

    def rename():
        hall.name = "Hall C"
        hall.save()

    assert changed_cards(event, rename) == {"talk-0", "talk-1"}


def count_row_renders():
    return mock.patch.object(cards, "render_row", wraps=cards.render_row)


@pytest.mark.django_db
def test_a_big_event_page_after_one_edit_renders_one_programme_row(client):
    event = build_big_event(sessions=160, rooms=10, days=1)
    with count_row_renders() as render:
        first = client.get(event.get_absolute_url())
    assert first.status_code == 200
    assert render.call_count == 160

    talk = event.sessions.order_by("pk")[5]
    talk.title = "Renamed"
    talk.save()
    with count_row_renders() as render:
        response = client.get(event.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert [call.args[0].pk for call in render.call_args_list] == [talk.pk]
    assert ">Renamed</a>" in response.content.decode()


@pytest.mark.django_db
def test_the_rows_tag_draws_each_row_as_rendered_alone():
    event = build_big_event(sessions=12, rooms=3, days=1)
    sessions = list(event.sessions.for_card_pages())
    alone = "".join(cards.render_row(session) for session in sessions)
    tag = Template("{% load cards %}{% programme_rows sessions %}")
    assert tag.render(Context({"sessions": sessions})) == alone
    assert tag.render(Context({"sessions": sessions})) == alone  # from the cache
    assert "Room 001" in alone
