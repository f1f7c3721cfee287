"""A big event in a browser: its page's one-line programme and its day pages at phone and
desktop widths (never a page-wide sideways scroll), the search box over the one-line rows,
the stars on a day page, and accessibility."""

import re

import pytest
from django.urls import reverse

from tests.sessions.big_event import build_big_event

pytestmark = pytest.mark.browser

OTHER_HOSTS = re.compile(r"^https?://(?!(localhost|127\.0\.0\.1)[:/])")


@pytest.fixture
def big_event(transactional_db):
    """160 sessions (past the one-page bound) in 10 rooms over 2 days, with long titles."""
    return build_big_event(sessions=160, rooms=10, days=2, name="FOSDEM", slug="fosdem")


@pytest.fixture
def new_page(browser, live_server):
    """``new_page(path, width=1280, bypass_csp=False)``: a page in a fresh context."""
    contexts = []

    def new_page(path, width=1280, bypass_csp=False):
        context = browser.new_context(
            viewport={"width": width, "height": 900}, bypass_csp=bypass_csp
        )
        context.route(OTHER_HOSTS, lambda route: route.fulfill(status=204, body=""))
        contexts.append(context)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.errors = errors
        page.goto(live_server.url + path)
        return page

    yield new_page
    for context in contexts:
        context.close()


def view_screenshot(page, name):
    """The part of the page in view (a day page is a long column of cards) as a PNG."""
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def day_path(event, day):
    return reverse("talks:event_day", kwargs={"slug": event.slug, "day": day})


def serious_violations(page, axe_script):
    page.add_script_tag(path=str(axe_script))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]][:3])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("width", [360, 1280])
def test_day_page_never_scrolls_sideways(new_page, big_event, width):
    page = new_page(day_path(big_event, 2), width=width)

    assert page.locator("article.session-card").count() == 80
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    assert page.get_by_role("link", name="Day 2 Fri 2 Feb 80 sessions").get_attribute(
        "aria-current"
    ) == ("page")
    # The stars are the agenda script's: shown and named on every card.
    assert page.get_by_role("button", name="Add to my agenda").count() == 80
    view_screenshot(page, f"day-page-{width}")
    page.locator(".pager").scroll_into_view_if_needed()
    view_screenshot(page, f"day-page-{width}-end")
    assert page.errors == []


@pytest.mark.parametrize("width", [360, 1280])
def test_big_event_page_lists_one_line_per_session_without_sideways_scroll(
    new_page, big_event, width
):
    page = new_page(big_event.get_absolute_url(), width=width)
    page.locator("#day-1").evaluate("day => day.scrollIntoView({behavior: 'instant'})")

    assert page.locator("li.programme-row").count() == 160
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    view_screenshot(page, f"event-page-big-{width}")
    assert page.errors == []


def test_search_box_narrows_the_one_line_rows(new_page, big_event):
    keynotes = list(
        big_event.sessions.filter(kind="keynote")
        .order_by("day", "starts_at", "title", "pk")
        .values_list("slug", flat=True)
    )
    page = new_page(big_event.get_absolute_url())

    page.get_by_label("Find a session or speaker").fill("keynote day-one")  # no such words
    assert page.locator("[data-filter-status]").inner_text() == "No session matches."
    page.get_by_label("Find a session or speaker").fill("KEYNOTE")  # the kind badge's text

    shown = page.locator("li.programme-row:visible").evaluate_all(
        "rows => rows.map(row => row.id.replace('session-', ''))"
    )
    assert shown == keynotes
    assert (
        page.locator("[data-filter-status]").inner_text()
        == f"{len(keynotes)} of 160 sessions shown."
    )


def test_star_on_a_day_page_reaches_the_agenda(new_page, big_event):
    session = big_event.sessions.get(slug="session-0085")  # on day 2
    page = new_page(day_path(big_event, 2))

    page.locator("#session-session-0085").get_by_role("button", name="Add to my agenda").click()
    page.goto(page.url.replace(day_path(big_event, 2), f"/events/{big_event.slug}/agenda/"))

    assert page.locator("[data-agenda-entry]:visible").evaluate_all(
        "entries => entries.map(entry => entry.getAttribute('data-agenda-entry'))"
    ) == [str(session.guid)]


@pytest.mark.parametrize("width", [360, 1280])
def test_day_page_and_big_event_page_have_no_serious_accessibility_violations(
    new_page, axe_script, big_event, width
):
    # axe-core is injected as an inline script, which our CSP forbids: lifted for the audit.
    day = new_page(day_path(big_event, 1), width=width, bypass_csp=True)
    event_page = new_page(big_event.get_absolute_url(), width=width, bypass_csp=True)

    assert serious_violations(day, axe_script) == []
    assert serious_violations(event_page, axe_script) == []
