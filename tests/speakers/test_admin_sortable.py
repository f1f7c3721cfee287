"""A speaker's profile links, ordered by dragging (django-admin-sortable2)."""

import pytest

from tests.admin_forms import admin_url, change, form_errors
from tests.factories import ProfileLinkFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

GITHUB = ["https://github.com/ada", "https://github.com/grace", "https://github.com/linus"]


def test_profile_links_dragged_to_a_new_order_are_saved_in_it(organiser_client):
    speaker = SpeakerFactory()
    for position, url in enumerate(GITHUB):
        ProfileLinkFactory(speaker=speaker, kind="github", url=url, position=position)
    page = organiser_client.get(admin_url(speaker, "change", speaker.pk)).content.decode()
    assert 'name="links-0-position" value="0" class="_reorder_"' in page

    # The last link dragged to the top: the script numbers the rows 1, 2, 3 as they now stand.
    response = change(
        organiser_client,
        speaker,
        **{"links-2-position": ["1"], "links-0-position": ["2"], "links-1-position": ["3"]},
    )

    assert response.status_code == 302, form_errors(response)
    assert list(speaker.links.values_list("url", "position")) == [
        (GITHUB[2], 1),
        (GITHUB[0], 2),
        (GITHUB[1], 3),
    ]
