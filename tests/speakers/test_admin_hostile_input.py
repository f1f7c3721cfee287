"""Hostile input through the speaker admin and its profile link inline: refused with a clear
form error and nothing changed, or accepted when it is legitimately fine; never a server error.

Each case posts what a browser would (the change form as opened, with one value replaced) and
compares the whole database before and after a refusal. The same cases run on SQLite and on
PostgreSQL, which is stricter (NUL characters, integer ranges, ``varchar`` lengths).
"""

import pytest

from speakers.models import Speaker
from tests.admin_forms import (
    CHOICE_ERROR,
    CONTROL_ERROR,
    LONG,
    NUL_ERROR,
    SLUG_ERROR,
    URL_ERROR,
    add,
    admin_url,
    assert_refused,
    change,
    database_state,
    link_rows,
    open_form,
)
from tests.factories import ProfileLinkFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


SPEAKER_CASES = [
    pytest.param({"name": "n" * 201}, "at most 200 characters", id="name-too-long"),
    pytest.param({"name": "Ada\x00"}, NUL_ERROR, id="name-nul"),
    pytest.param({"name": "Ada\x7f"}, CONTROL_ERROR, id="name-delete-char"),
    pytest.param({"company": "A\x0cB"}, CONTROL_ERROR, id="company-form-feed"),
    pytest.param({"bio": "bio\x00"}, NUL_ERROR, id="bio-nul"),
    pytest.param({"bio": "bio\x1fmore"}, CONTROL_ERROR, id="bio-unit-separator"),
    pytest.param({"slug": "taken"}, "Speaker with this Slug already exists.", id="slug-taken"),
    pytest.param({"slug": "ада"}, SLUG_ERROR, id="slug-cyrillic"),
]


@pytest.mark.parametrize(("fields", "message"), SPEAKER_CASES)
def test_speaker_add_form_refuses_hostile_value(organiser_client, fields, message):
    SpeakerFactory(slug="taken")
    before = database_state()

    response = add(organiser_client, Speaker, **{"name": "Ada", "slug": "ada", **fields})

    assert_refused(response, message, before)


@pytest.mark.parametrize(("fields", "message"), SPEAKER_CASES)
def test_speaker_change_form_refuses_hostile_value(organiser_client, fields, message):
    SpeakerFactory(slug="taken")
    speaker = SpeakerFactory(name="Ada", slug="ada")
    before = database_state()

    response = change(organiser_client, speaker, **fields)

    assert_refused(response, message, before)


# GitHub paths are compared in lower case, and "İ" lower-cases to two characters.
LOWER_CASE_LONGER = "https://github.com/" + "\u0130" * 480


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        pytest.param([{"url": "javascript:alert(1)", "kind": "website"}], URL_ERROR, id="js"),
        pytest.param([{"url": "data:text/html,x", "kind": "website"}], URL_ERROR, id="data"),
        pytest.param([{"url": "https://a@b.example", "kind": "website"}], URL_ERROR, id="userinfo"),
        pytest.param([{"url": "https://" + LONG, "kind": "website"}], "at most 500", id="10k"),
        pytest.param([{"url": "https://x.org\x00", "kind": "website"}], NUL_ERROR, id="nul"),
        pytest.param([{"url": "https://x.org", "kind": "evil"}], CHOICE_ERROR, id="bad-kind"),
        pytest.param(
            [{"url": "https://x.org", "kind": "website", "position": str(2**40)}],
            "less than or equal to",
            id="position-2-40",
        ),
        pytest.param(
            [
                {"url": "https://github.com/ada", "kind": "github"},
                {"url": "https://github.com/ada", "kind": "github"},
            ],
            "This profile is listed twice.",
            id="same-url-twice",
        ),
        pytest.param(
            [
                {"url": "https://github.com/Ada/", "kind": "github"},
                {"url": "http://www.github.com/ada", "kind": "github"},
            ],
            "This profile is listed twice.",
            id="same-profile-written-twice",
        ),
        pytest.param(
            [{"url": "https://github.com/grace", "kind": "github"}],
            "This profile already belongs to Grace.",
            id="profile-of-another-speaker",
        ),
        pytest.param(
            [{"url": LOWER_CASE_LONGER, "kind": "github"}],
            "This link is too long",
            id="idn-host-longer-once-normalised",
        ),
    ],
)
def test_speaker_profile_link_inline_refuses_hostile_rows(organiser_client, rows, message):
    ProfileLinkFactory(speaker__name="Grace", url="https://github.com/grace")
    speaker = SpeakerFactory(name="Ada", slug="ada")
    before = database_state()

    response = change(organiser_client, speaker, **link_rows(rows))

    assert_refused(response, message, before)


def test_speaker_profile_links_swapped_between_rows_are_refused_unchanged(organiser_client):
    speaker = SpeakerFactory()
    first = ProfileLinkFactory(speaker=speaker, url="https://github.com/a", position=0)
    second = ProfileLinkFactory(speaker=speaker, url="https://github.com/b", position=1)
    url = admin_url(speaker, "change", speaker.pk)
    data = open_form(organiser_client, url)
    data["links-0-url"], data["links-1-url"] = [second.url], [first.url]
    before = database_state()

    response = organiser_client.post(url, data)

    # Each row is checked against the other rows as saved, so a swap reads as a taken profile.
    assert_refused(response, f"This profile already belongs to {speaker.name}.", before)
