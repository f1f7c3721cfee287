"""Drag-and-drop ordering in the admin, in Chromium: django-admin-sortable2's script works under
the site's Content-Security-Policy, and what is dragged is what is saved."""

import pytest
from django.urls import reverse

from sessions.models import Session
from tests.factories import (
    PASSWORD,
    EventFactory,
    SessionFactory,
    SessionSpeakerFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

# Every Content-Security-Policy violation of the page, recorded from before its first script.
RECORD_CSP_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def record_failure(errors, response):
    """A failed request of the page's own, but the favicon the admin does not have."""
    if response.status >= 400 and not response.url.endswith("/favicon.ico"):
        errors.append(f"{response.status} {response.url}")


@pytest.fixture
def admin_page(browser, live_server):
    """``admin_page(path)``: a page logged into the admin as a superuser, at ``path``; the
    fixture fails the test on any CSP violation or script error the page reported."""
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda response: record_failure(errors, response))
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))

    def admin_page(path):
        page.goto(live_server.url + path)
        return page

    yield admin_page
    violations = page.evaluate("window.cspViolations")
    context.close()
    assert (violations, errors) == ([], [])


def speaker_rows(page):
    return page.locator("#session_speakers-group tr.has_original td.original p")


def speaker_positions(page):
    """``[name, position]`` of each saved speaker row, in the order the page shows them."""
    return page.locator("#session_speakers-group tr.has_original").evaluate_all(
        """rows => rows.map(row => [
            row.querySelector(".field-speaker select").selectedOptions[0].text,
            row.querySelector("input._reorder_").value,
        ])"""
    )


def test_dragging_a_speaker_of_a_session_saves_the_new_order(admin_page, screenshot, live_server):
    session = SessionFactory(title="Panel on sovereignty")
    for position, name in enumerate(["Ada", "Grace", "Linus"]):
        SessionSpeakerFactory(session=session, speaker__name=name, position=position)
    page = admin_page(reverse("admin:talks_session_change", args=[session.pk]))
    rows = speaker_rows(page)
    assert rows.all_inner_texts() == [
        f"{name} in Panel on sovereignty" for name in ["Ada", "Grace", "Linus"]
    ]

    # Linus's handle dropped on the top edge of Ada's row: Linus first.
    first_row = page.locator("#session_speakers-group tr.has_original").first
    rows.nth(2).drag_to(first_row, target_position={"x": 20, "y": 1})
    # The script numbered the rows as they now stand, in their hidden position inputs.
    assert speaker_positions(page) == [["Linus", "1"], ["Ada", "2"], ["Grace", "3"]]
    screenshot(page, "admin-sortable-speakers-dragged")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    page.reload()
    assert speaker_rows(page).all_inner_texts() == [
        f"{name} in Panel on sovereignty" for name in ["Linus", "Ada", "Grace"]
    ]
    assert [link.speaker.name for link in session.session_speakers.order_by("position")] == [
        "Linus",
        "Ada",
        "Grace",
    ]
    screenshot(page, "admin-sortable-speakers-saved")


def test_dragging_an_untimed_session_on_its_days_list_saves_the_new_order(admin_page, screenshot):
    event = EventFactory(name="Capitole du Libre")
    for position, title in enumerate(["Welcome", "Lightning talks", "Closing"]):
        SessionFactory(event=event, day=2, title=title, position=position)
    filters = f"?event__id__exact={event.pk}&day__exact=2&timed=no"
    page = admin_page(reverse("admin:talks_session_changelist") + filters)
    titles = page.locator("#result_list tbody th.field-title")
    assert titles.all_inner_texts() == ["Welcome", "Lightning talks", "Closing"]

    handles = page.locator("#result_list tbody .drag.handle")
    with page.expect_response(lambda response: "/reorder/" in response.url) as posted:
        handles.nth(2).drag_to(handles.nth(0), target_position={"x": 5, "y": 2})
    assert posted.value.status == 200
    screenshot(page, "admin-sortable-day-list")

    page.reload()
    assert titles.all_inner_texts() == ["Closing", "Welcome", "Lightning talks"]
    assert list(
        Session.objects.filter(event=event, day=2)
        .order_by("position")
        .values_list("title", flat=True)
    ) == ["Closing", "Welcome", "Lightning talks"]
