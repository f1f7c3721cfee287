import pytest
from django.test import override_settings
from django.urls import reverse, set_script_prefix

from conference.paths import page_path


@pytest.mark.parametrize(
    ("viewname", "kwargs"),
    [
        ("conference:event_detail", {"slug": "camp-2024"}),
        ("talks:session_detail", {"event_slug": "camp-2024", "slug": "opening"}),
        ("speakers:detail", {"slug": "ada-lovelace"}),
        ("talks:tag_detail", {"slug": "kvm"}),
    ],
)
def test_a_path_is_that_of_reverse(viewname, kwargs):
    assert page_path(viewname, **kwargs) == reverse(viewname, kwargs=kwargs)


def test_the_arguments_are_part_of_the_key():
    assert page_path("speakers:detail", slug="ada") == "/speakers/ada/"
    assert page_path("speakers:detail", slug="grace") == "/speakers/grace/"


def test_a_site_below_the_root_gets_its_prefix():
    assert page_path("speakers:detail", slug="ada") == "/speakers/ada/"
    set_script_prefix("/conference/")
    try:
        assert page_path("speakers:detail", slug="ada") == "/conference/speakers/ada/"
    finally:
        set_script_prefix("/")
    assert page_path("speakers:detail", slug="ada") == "/speakers/ada/"


def test_another_url_configuration_is_never_answered_from_the_first():
    assert page_path("speakers:detail", slug="ada") == "/speakers/ada/"
    with override_settings(ROOT_URLCONF="tests.conference.other_urls"):
        assert page_path("speakers:detail", slug="ada") == "/people/ada/"
    assert page_path("speakers:detail", slug="ada") == "/speakers/ada/"
