"""Session links in the session admin, in Chromium: a link typed into the inline is saved, a
javascript: address is refused with the message beside it."""

import pytest
from django.urls import reverse

from tests.browser.test_admin_schedule import admin_page  # noqa: F401  (a fixture)
from tests.factories import SessionFactory

pytestmark = pytest.mark.browser


def test_organiser_adds_a_link_and_a_bad_one_is_refused(
    admin_page,  # noqa: F811
    transactional_db,
    screenshot,
):
    session = SessionFactory(title="Opening keynote")
    page = admin_page(reverse("admin:talks_session_change", args=[session.pk]))

    page.fill("#id_links-0-url", "javascript:alert(1)")
    page.fill("#id_links-0-title", "Bad")
    page.click("input[name=_continue]")
    error = page.locator("#links-group .errorlist")
    error.first.scroll_into_view_if_needed()
    screenshot(page, "admin-session-link-refused")
    assert error.all_inner_texts() == ["Enter a valid URL."]
    assert list(session.links.all()) == []

    page.fill("#id_links-0-url", "https://example.org/project")
    page.fill("#id_links-0-title", "Project page")
    page.click("input[name=_continue]")
    page.locator("#links-group").scroll_into_view_if_needed()
    screenshot(page, "admin-session-link-added")

    assert list(session.links.values_list("url", "title")) == [
        ("https://example.org/project", "Project page")
    ]
    assert page.locator("#id_links-0-url").input_value() == "https://example.org/project"
