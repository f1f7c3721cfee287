"""What only a browser shows: layout at phone width, navigation by mouse and keyboard."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse

from conference.models import Sponsorship
from tests.factories import (
    EventFactory,
    RecordingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SlideDeckFactory,
    SpeakerFactory,
    SponsorFactory,
    SponsorshipFactory,
)

pytestmark = pytest.mark.browser

LONG_URL = "https://docs.example.org/" + "very-long-path-segment" * 8
TITLES_BY_DAY = {
    1: [
        "State of the Union",
        "Keynote Talk: Open Source is Not Dead",
        "Zero to Cloud Hero: Crafting a Private Cloud from Scratch with XCP-ng, Xen Orchestra "
        "and CloudStack",
    ],
    2: [
        "Hypervisor Agnostic DRS in CloudStack",
        "Panel: Project Sustainability and Vendor Contributions",
    ],
}


@pytest.fixture
def programme(transactional_db):
    """A two-day event committed to the database, so the live server thread can read it."""
    event = EventFactory(
        name="CloudStack Collaboration Conference 2023",
        slug="ccc-2023",
        start_date=datetime.date(2023, 11, 23),
        end_date=datetime.date(2023, 11, 24),
        venue="voco hotel, Porte de Clichy",
        attendee_count=350,
        country_count=30,
        photo_gallery_url="https://photos.example.org/ccc-2023",
        summary="The annual get-together of the **Apache CloudStack** community.",
    )
    for tier, name in [
        (Sponsorship.Tier.PLATINUM, "ShapeBlue"),
        (Sponsorship.Tier.GOLD, "StorPool"),
        (Sponsorship.Tier.GOLD, "LINBIT"),
        (Sponsorship.Tier.SILVER, "mitteldeutsche IT"),
    ]:
        SponsorshipFactory(event=event, tier=tier, sponsor=SponsorFactory(name=name))
    speakers = [
        SpeakerFactory(name="Rohit Yadav", company="Apache CloudStack"),
        SpeakerFactory(name="Wido den Hollander", company="Clouding"),
        SpeakerFactory(name="Charles Schulz", company="Vates"),
    ]
    sessions = []
    for day, titles in TITLES_BY_DAY.items():
        for position, title in enumerate(titles, start=1):
            session = SessionFactory(
                event=event,
                day=day,
                position=position,
                title=title,
                kind="panel" if title.startswith("Panel") else "talk",
                description=f"Notes and the full write-up: {LONG_URL}",
            )
            for billing, speaker in enumerate(speakers[: 1 + position % 3], start=1):
                SessionSpeakerFactory(session=session, speaker=speaker, position=billing)
            RecordingFactory(session=session)
            SlideDeckFactory(session=session)
            session.tags.add("cloudstack", "kvm" if day == 1 else "networking")
            sessions.append(session)
    return SimpleNamespace(event=event, sessions=sessions, speakers=speakers)


def scroll_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_event_page_shows_every_session_under_its_day(open_page, programme):
    page = open_page(programme.event.get_absolute_url())

    assert page.locator(".day__number").all_inner_texts() == ["Day 1", "Day 2"]
    for day, titles in TITLES_BY_DAY.items():
        assert page.locator(f"#day-{day} .session-card__title").all_inner_texts() == titles
    assert "system-ui" in page.evaluate("getComputedStyle(document.body).fontFamily")


@pytest.mark.parametrize("width", [360, 1280])
def test_event_page_fits_the_viewport_without_horizontal_scroll(
    open_page, screenshot, programme, width
):
    page = open_page(programme.event.get_absolute_url(), width=width)

    assert scroll_width(page) <= width
    video = page.locator(".embed--video").first.bounding_box()
    assert video["width"] / video["height"] == pytest.approx(16 / 9, rel=0.01)
    screenshot(page, f"event-page-{width}")


@pytest.mark.parametrize("width", [360, 1280])
def test_other_public_pages_fit_the_viewport_without_horizontal_scroll(
    open_page, screenshot, programme, width
):
    pages = {
        "home": reverse("conference:event_list"),
        "session-page": programme.sessions[2].get_absolute_url(),
        "speakers-index": reverse("speakers:list"),
        "speaker-page": programme.speakers[0].get_absolute_url(),
        "tag-page": reverse("talks:tag_detail", kwargs={"slug": "cloudstack"}),
    }
    for name, path in pages.items():
        page = open_page(path, width=width)
        assert scroll_width(page) <= width, name
        screenshot(page, f"{name}-{width}")


def test_clicking_a_session_title_opens_the_session_page(open_page, live_server, programme):
    session = programme.sessions[3]
    page = open_page(programme.event.get_absolute_url(), width=360)

    page.get_by_role("link", name=session.title).click()

    page.wait_for_url(live_server.url + session.get_absolute_url())
    assert page.locator("h1").inner_text() == session.title


def test_tab_reaches_the_skip_link_first_and_it_jumps_to_main(open_page, programme):
    page = open_page(programme.event.get_absolute_url(), width=360)

    page.keyboard.press("Tab")

    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0 and box["x"] >= 0  # visible once focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_session_filter_keeps_matching_sessions_and_their_day(open_page, programme):
    page = open_page(programme.event.get_absolute_url())

    page.get_by_label("Find a session or speaker").fill("hypervisor drs")

    visible = page.locator(".session-card:visible .session-card__title")
    assert visible.all_inner_texts() == ["Hypervisor Agnostic DRS in CloudStack"]
    assert page.locator(".day:visible .day__number").all_inner_texts() == ["Day 2"]
    assert page.get_by_role("status").inner_text() == "1 of 5 sessions shown."


def test_previous_and_next_links_walk_the_programme_across_days(open_page, live_server, programme):
    last_of_day_one, first_of_day_two = programme.sessions[2], programme.sessions[3]
    page = open_page(last_of_day_one.get_absolute_url(), width=360)

    page.get_by_role("link", name=f"Next session {first_of_day_two.title}").click()

    page.wait_for_url(live_server.url + first_of_day_two.get_absolute_url())
    page.get_by_role("link", name=f"Previous session {last_of_day_one.title}").click()
    page.wait_for_url(live_server.url + last_of_day_one.get_absolute_url())
