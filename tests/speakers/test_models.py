import pytest
from django.core.exceptions import ValidationError

from speakers.models import ProfileLink, normalise_profile_url
from tests.factories import ProfileLinkFactory, SpeakerFactory

SAME_PERSON = [
    "https://www.linkedin.com/in/jonas-will%C3%A9n-6a745a56",
    "https://www.linkedin.com/in/jonas-willén-6a745a56/",
    "http://linkedin.com/in/jonas-will%c3%a9n-6a745a56/?originalSubdomain=se",
    "https://uk.linkedin.com/in/Jonas-Willén-6a745a56#about",
    "linkedin.com/in/jonas-willén-6a745a56",
]


@pytest.mark.parametrize("url", SAME_PERSON)
def test_normalise_profile_url_ignores_scheme_www_escapes_and_slashes(url):
    assert normalise_profile_url(url) == "linkedin.com/in/jonas-willén-6a745a56"


def test_normalise_profile_url_keeps_case_of_paths_on_other_sites():
    assert normalise_profile_url("https://www.Example.org/People/Ana/") == "example.org/People/Ana"


def test_normalise_profile_url_of_a_malformed_url_does_not_raise():
    assert normalise_profile_url("https://[X") == "https://[x"


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://www.linkedin.com/in/widodh/", ProfileLink.Kind.LINKEDIN),
        ("https://github.com/rp-", ProfileLink.Kind.GITHUB),
        ("https://x.com/someone", ProfileLink.Kind.TWITTER),
        ("https://www.shapeblue.com/", ProfileLink.Kind.WEBSITE),
    ],
)
def test_profile_link_kind_for_url(url, kind):
    assert ProfileLink.kind_for_url(url) == kind


@pytest.mark.django_db
def test_profile_link_clean_refuses_a_profile_owned_by_someone_else():
    ProfileLinkFactory(
        speaker=SpeakerFactory(name="Wido den Hollander"), url="https://www.linkedin.com/in/widodh/"
    )
    duplicate = ProfileLink(speaker=SpeakerFactory(), url="http://linkedin.com/in/widodh")

    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()

    assert error.value.message_dict == {
        "url": ["This profile already belongs to Wido den Hollander."]
    }
