"""Hostile URLs opened in real Chromium: the page renders, runs none of the URL, and its script
keeps working (tests/conference/test_public_hostile_requests.py holds the same requests without
a browser).
"""

from urllib.parse import quote

import pytest

from tests.factories import EventFactory, SessionFactory

pytestmark = pytest.mark.browser

PAYLOAD = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
HOSTILE_URLS = [
    "/search/?q=" + quote(PAYLOAD),
    "/search/?q=%00" + quote(PAYLOAD) + "%00",
    "/search/?q=%ff%ed%a0%80",
    "/events/ccc2023/?kind=" + quote(PAYLOAD) + "&tag=%00&tag=" + quote(PAYLOAD),
    "/events/ccc2023/?kind=%ff&page=99999999999999999999",
    "/events/" + quote("<script>alert(3)</script>") + "/",
]


@pytest.fixture
def event(transactional_db):
    event = EventFactory(slug="ccc2023")
    SessionFactory(event=event, title="State of the Union", slug="state", kind="talk")
    panel = SessionFactory(event=event, title="Vendor panel", slug="panel", kind="panel")
    panel.tags.add("kvm")
    return event


@pytest.mark.parametrize("path", HOSTILE_URLS)
def test_hostile_url_renders_and_runs_nothing(browser, live_server, event, path):
    context = browser.new_context()
    try:
        page = context.new_page()
        dialogs, errors = [], []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: errors.append(str(error)))
        response = page.goto(live_server.url + path, wait_until="load")

        assert response.status in (200, 404)
        assert (dialogs, errors) == ([], [])
        assert page.locator("img[src='x'], script:not([src]):not([type])").count() == 0
        if path.startswith("/search/"):
            query = page.locator("#search-page-input").input_value()
            assert "\x00" not in query
            assert query == PAYLOAD or set(query) == {"\ufffd"}  # NUL dropped, bad bytes replaced
    finally:
        context.close()


def test_filter_chips_work_after_hostile_filter_values(browser, live_server, event):
    context = browser.new_context()
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{live_server.url}/events/ccc2023/?kind={quote(PAYLOAD)}&tag=%00")
        cards = page.locator("article[data-session]:visible")
        everything = cards.count()

        page.locator('[data-filter="kind"][data-value="panel"]').click()

        assert everything == 2  # values the event does not use filter nothing
        assert cards.count() == 1
        assert "kind=panel" in page.url
        assert errors == []
    finally:
        context.close()
