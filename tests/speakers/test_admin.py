"""The speaker admin with its profile links."""

import pytest
from django.urls import reverse

from speakers.models import ProfileLink, Speaker
from tests.admin_forms import shown_on
from tests.factories import (
    ProfileLinkFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
)

CHANGELIST = reverse("admin:speakers_speaker_changelist")

pytestmark = pytest.mark.django_db


def speaker_form(speaker, *, links=(), **fields):
    """What the speaker change form posts, with new profile-link rows."""
    data = {
        "name": speaker.name,
        "slug": speaker.slug,
        "company": speaker.company,
        "bio": speaker.bio,
        "links-TOTAL_FORMS": str(len(links)),
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for index, row in enumerate(links):
        data.update({f"links-{index}-{name}": value for name, value in row.items()})
    return data


SPEAKER_FORM = {
    "fields": ["name", "slug", "company", "bio", "photo"],
    "inlines": ["links"],
    "can_change": True,
    "can_delete": True,
}


@pytest.mark.parametrize("page", ["changelist", "add", "change"])
def test_speaker_admin_pages_show_rows_or_form_to_superuser(admin_client, page):
    link = ProfileLinkFactory(speaker__name="Rohit Yadav")
    SessionSpeakerFactory(speaker=link.speaker)
    args = [link.speaker.pk] if page == "change" else []
    expected = {
        "changelist": {"rows": ["Rohit Yadav"], "actions": ["delete_selected"], "can_add": True},
        "add": {**SPEAKER_FORM, "object": None},
        "change": {
            **SPEAKER_FORM,
            "object": "Rohit Yadav",
            "fields": [*SPEAKER_FORM["fields"], "opened_at"],
        },
    }[page]

    response = admin_client.get(reverse(f"admin:speakers_speaker_{page}", args=args))

    assert shown_on(response) == expected


def test_speaker_changelist_shows_company_and_session_count(admin_client):
    speaker = SpeakerFactory(name="Rohit Yadav", company="ShapeBlue")
    SessionSpeakerFactory.create_batch(2, speaker=speaker)

    response = admin_client.get(CHANGELIST)

    [row] = response.context["cl"].result_list
    assert (row.company, response.context["cl"].model_admin.session_count(row)) == ("ShapeBlue", 2)


def test_speaker_changelist_search_finds_company(admin_client):
    SpeakerFactory(name="Rohit Yadav", company="ShapeBlue")
    SpeakerFactory(name="Someone", company="LINBIT")

    response = admin_client.get(CHANGELIST, {"q": "linbit"})

    assert [speaker.name for speaker in response.context["cl"].result_list] == ["Someone"]


def test_speaker_changelist_filter_by_event_lists_its_speakers_once(admin_client):
    session = SessionFactory()
    twice = SpeakerFactory(name="Twice")
    SessionSpeakerFactory(session=session, speaker=twice)
    SessionSpeakerFactory(session=SessionFactory(event=session.event), speaker=twice)
    SessionSpeakerFactory(speaker__name="Elsewhere")

    response = admin_client.get(CHANGELIST, {"sessions__event__id__exact": session.event.pk})

    assert [speaker.name for speaker in response.context["cl"].result_list] == ["Twice"]


@pytest.mark.parametrize("size", [3, 30])
def test_speaker_changelist_queries_do_not_grow_with_speakers(
    admin_client, django_assert_max_num_queries, size
):
    for speaker in SpeakerFactory.create_batch(size):
        SessionSpeakerFactory(speaker=speaker)

    with django_assert_max_num_queries(6):
        response = admin_client.get(CHANGELIST)

    assert len(response.context["cl"].result_list) == size


def test_speaker_add_form_saves_profile_links(admin_client):
    unsaved = SpeakerFactory.build(name="Jonas Willén", slug="jonas-willen")

    response = admin_client.post(
        reverse("admin:speakers_speaker_add"),
        speaker_form(
            unsaved,
            links=[
                {"kind": "linkedin", "url": "https://www.linkedin.com/in/jonas/", "position": 0},
                {"kind": "github", "url": "https://github.com/jonas", "position": 1},
            ],
        ),
    )

    assert response.status_code == 302
    speaker = Speaker.objects.get(slug="jonas-willen")
    assert list(speaker.links.values_list("kind", "normalised_url")) == [
        ("linkedin", "linkedin.com/in/jonas"),
        ("github", "github.com/jonas"),
    ]


def test_speaker_form_rejects_profile_of_another_speaker(admin_client):
    ProfileLinkFactory(speaker__name="Owner", url="https://www.linkedin.com/in/jonas/")
    speaker = SpeakerFactory()

    response = admin_client.post(
        reverse("admin:speakers_speaker_change", args=[speaker.pk]),
        speaker_form(
            speaker,
            links=[{"kind": "linkedin", "url": "http://linkedin.com/in/jonas", "position": 0}],
        ),
    )

    assert response.status_code == 200
    assert "This profile already belongs to Owner." in response.text
    assert ProfileLink.objects.count() == 1


def test_speaker_view_on_site_opens_public_page(admin_client):
    speaker = SpeakerFactory()

    response = admin_client.get(reverse("admin:speakers_speaker_change", args=[speaker.pk]))

    view_on_site = reverse(
        "admin:view_on_site", args=[response.context["content_type_id"], speaker.pk]
    )
    assert admin_client.get(view_on_site).url == f"http://testserver{speaker.get_absolute_url()}"
