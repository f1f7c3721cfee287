"""The session change page's preview in Chromium: the public posters, and a player on click."""

import pytest
from django.urls import reverse

from tests.browser.test_admin_schedule import admin_page  # noqa: F401  (a fixture)
from tests.factories import (
    RecordingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SlideDeckFactory,
)

pytestmark = pytest.mark.browser


def test_preview_draws_the_public_posters_and_plays_on_click(
    admin_page,  # noqa: F811
    transactional_db,
    screenshot,
):
    session = SessionFactory(title="Opening keynote")
    SessionSpeakerFactory(session=session)
    RecordingFactory(session=session)
    SlideDeckFactory(session=session)
    page = admin_page(reverse("admin:talks_session_change", args=[session.pk]))
    preview = page.locator(".session-preview")
    preview.scroll_into_view_if_needed()
    screenshot(page, "admin-session-preview")

    posters = page.locator(".session-preview .embed__poster")
    # Styled as on the public pages: a dark 16:9 (video) or 4:3 (slides) poster, not a text link.
    shapes = posters.evaluate_all(
        "posters => posters.map(p => { const box = p.getBoundingClientRect();"
        " return [Math.round(box.width / box.height * 100) / 100,"
        " getComputedStyle(p).position, getComputedStyle(p).color]; })"
    )
    assert shapes == [
        [1.78, "absolute", "rgb(255, 255, 255)"],
        [1.33, "absolute", "rgb(255, 255, 255)"],
    ]

    posters.first.click()

    assert page.locator(".session-preview iframe").evaluate_all(
        "frames => frames.map(f => f.title)"
    ) == ["Video: Opening keynote"]
