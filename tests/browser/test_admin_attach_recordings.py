""" "Attach recordings" in Chromium: from the event's form, upload a list, review the matches
(one confident, one to choose, one unmatched), attach, and see the video on the session page."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from sessions.models import Recording
from tests.browser.test_admin_schedule import logged_in_page
from tests.factories import EventFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.browser


def test_an_organiser_attaches_recordings_from_a_list(
    browser, live_server, transactional_db, tmp_path, screenshot
):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    event = EventFactory(name="PyCon Atlantis 2024", slug="pycon-atlantis-2024")
    django = SessionFactory(event=event, title="Intro to Django")
    SessionFactory(event=event, title="Community Update Day 1")
    day_two = SessionFactory(event=event, title="Community Update Day 2")
    videos = tmp_path / "videos.csv"
    videos.write_text(
        "title,url\n"
        "PyCon Atlantis 2024 - Intro to Djnago,https://www.youtube.com/watch?v=video000001\n"
        "Community Update,https://www.youtube.com/watch?v=video000002\n"
        "Closing party highlights,https://www.youtube.com/watch?v=video000003\n",
        encoding="utf-8",
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = logged_in_page(context, live_server)
    page.goto(live_server.url + reverse("admin:conference_event_change", args=[event.pk]))
    page.get_by_role("link", name="Attach recordings").click()
    page.set_input_files("#id_file", str(videos))
    page.get_by_role("button", name="Match the videos").click()

    page.get_by_role("heading", name="Matches in videos.csv").wait_for()
    screenshot(page, "admin-attach-recordings-review")
    rows = page.locator(".attach-recordings__matches tbody tr")
    assert rows.count() == 3
    assert rows.nth(0).locator("input[type=checkbox]").is_checked()
    assert rows.nth(0).locator("td").nth(2).inner_text() == "Intro to Django"
    assert rows.nth(2).locator("td").first.inner_text() == "No match"
    select = rows.nth(1).locator("select")
    assert select.locator("option").all_inner_texts()[0] == "— skip —"
    select.select_option(str(day_two.pk))
    page.get_by_role("button", name="Attach the checked and chosen recordings").click()

    page.locator(".messagelist .success").wait_for()
    screenshot(page, "admin-attach-recordings-done")
    assert page.locator(".messagelist .success").inner_text() == (
        "Attached 2 recordings to “Intro to Django”, “Community Update Day 2”."
    )
    assert sorted(Recording.objects.values_list("session__title", "provider_key")) == [
        ("Community Update Day 2", "video000002"),
        ("Intro to Django", "video000001"),
    ]
    assert set(LogEntry.objects.values_list("user__username", flat=True)) == {"admin"}
    context.close()

    visitor = browser.new_context()
    session_page = visitor.new_page()
    session_page.goto(live_server.url + django.get_absolute_url())
    assert "video000001" in session_page.content()
    visitor.close()
