"""Two organisers save the same change form: the second is told, and the first edit is kept."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conference.models import Event, Sponsor
from sessions.models import Session
from speakers.models import Speaker
from tests.admin_forms import FormFields
from tests.factories import EventFactory, SessionSpeakerFactory, SpeakerFactory, SponsorFactory

pytestmark = pytest.mark.django_db

CHANGED_AT = datetime.datetime(2026, 11, 24, 15, 42, tzinfo=datetime.UTC)


def open_change_form(client, obj):
    """GET the change form of ``obj``, as an organiser opening it: what the browser would post."""
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    response = client.get(url)
    assert response.status_code == 200
    parser = FormFields()
    parser.feed(response.content.decode())
    return url, parser.data


@pytest.fixture
def session():
    return SessionSpeakerFactory(session__title="Opening keynote").session


@pytest.mark.parametrize(
    ("model", "factory", "field", "noun"),
    [
        (Session, lambda: SessionSpeakerFactory().session, "title", "session"),
        (Event, EventFactory, "name", "event"),
        (Speaker, SpeakerFactory, "name", "speaker"),
        (Sponsor, SponsorFactory, "name", "sponsor"),
    ],
)
def test_second_save_of_same_object_is_refused_and_first_edit_kept(
    organiser_client, model, factory, field, noun
):
    obj = factory()
    url, first = open_change_form(organiser_client, obj)
    _, second = open_change_form(organiser_client, obj)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: CHANGED_AT)
        saved = organiser_client.post(url, {**first, field: "First organiser's edit"})
    refused = organiser_client.post(url, {**second, field: "Second organiser's edit"})

    assert saved.status_code == 302
    assert refused.status_code == 200
    assert refused.context["adminform"].form.non_field_errors() == [
        f"This {noun} was changed by someone else at 15:42 after you opened it. "
        "Reload to see their changes; your changes were not saved."
    ]
    assert model.objects.values_list(field, flat=True).get(pk=obj.pk) == "First organiser's edit"


def test_message_gives_time_in_the_site_time_zone(organiser_client, settings, session):
    settings.TIME_ZONE = "Europe/Paris"
    url, first = open_change_form(organiser_client, session)
    _, second = open_change_form(organiser_client, session)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: CHANGED_AT)
        organiser_client.post(url, first)
    refused = organiser_client.post(url, second)

    assert "at 16:42 after you opened it" in refused.content.decode()


def test_second_save_refused_keeps_first_edit_of_inlines(organiser_client, session):
    url, first = open_change_form(organiser_client, session)
    _, second = open_change_form(organiser_client, session)
    speaker = session.speakers.get()

    organiser_client.post(url, {**first, "session_speakers-0-DELETE": "on"})
    refused = organiser_client.post(url, {**second, "title": "Renamed"})

    assert refused.status_code == 200
    assert list(Session.objects.values_list("title", flat=True)) == ["Opening keynote"]
    assert list(session.speakers.all()) == []
    assert Speaker.objects.get() == speaker


def test_saves_in_turn_each_from_a_fresh_form_both_succeed(organiser_client, session):
    url, first = open_change_form(organiser_client, session)
    organiser_client.post(url, {**first, "title": "First"})
    _, reopened = open_change_form(organiser_client, session)

    response = organiser_client.post(url, {**reopened, "title": "Second"})

    assert response.status_code == 302
    assert list(Session.objects.values_list("title", flat=True)) == ["Second"]


def test_form_saved_twice_after_a_publish_action_is_refused(organiser_client, session):
    url, opened = open_change_form(organiser_client, session)
    organiser_client.post(
        reverse("admin:talks_session_changelist"),
        {"action": "unpublish", "_selected_action": [session.pk]},
    )

    refused = organiser_client.post(url, opened)

    assert refused.status_code == 200
    assert list(Session.objects.values_list("is_published", flat=True)) == [False]


def test_change_form_carries_updated_at_of_when_it_was_opened(organiser_client, session):
    _, opened = open_change_form(organiser_client, session)

    assert opened["opened_at"] == [session.updated_at.isoformat()]


def test_add_form_has_no_opened_at(organiser_client):
    response = organiser_client.get(reverse("admin:talks_session_add"))

    assert 'name="opened_at"' not in response.content.decode()
