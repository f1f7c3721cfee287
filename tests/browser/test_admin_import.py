"""The admin import in Chromium: upload the reference post, read the diff, confirm, follow the
progress to the end and click through to the event, with a real worker in its own process."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from conference.models import Event
from tests.browser.test_admin_schedule import logged_in_page
from tests.factories import UserFactory
from tests.workers import worker_process

pytestmark = pytest.mark.browser


def test_an_organiser_imports_a_post_from_the_admin(
    browser, live_server, transactional_db, reference_roundup, screenshot
):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = logged_in_page(context, live_server)
    with worker_process():
        page.goto(live_server.url + reverse("admin:conference_event_changelist"))
        page.get_by_role("link", name="Import", exact=True).click()
        page.set_input_files("#id_file", str(reference_roundup))
        page.get_by_role("button", name="Check the file").click()

        page.get_by_role("heading", name="What the import would do").wait_for(timeout=60_000)
        screenshot(page, "admin-import-diff")
        assert Event.objects.count() == 0
        counts = page.locator(".import__counts tr").all_inner_texts()
        assert counts[:4] == [
            "Sessions created\t36",
            "Sessions changed\t0",
            "Sessions unchanged\t0",
            "Sessions removed\t0",
        ]
        first_session = page.locator(".import__diff").first.locator("tbody tr").first
        assert first_session.locator("td").first.inner_text() == "created"

        page.get_by_role("button", name="Confirm the import").click()
        link = page.locator("[data-import-event]")
        link.wait_for(timeout=60_000)
        screenshot(page, "admin-import-done")
        assert page.locator("[data-import-message]").inner_text() == "Imported."

        link.click()
        page.wait_for_url(live_server.url + Event.objects.get().get_absolute_url())
    assert page.locator("h1").first.inner_text() == "CloudStack Collaboration Conference 2023"
    assert set(LogEntry.objects.values_list("user__username", flat=True)) == {"admin"}
    context.close()
