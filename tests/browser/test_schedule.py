"""The schedule grid and the personal agenda in a browser: layout at phone and desktop widths,
stars kept across a reload, overlaps flagged on the agenda, the visitor's time zone, the
"now" line and Now & next, and accessibility.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.factories import EventFactory, RoomFactory, SessionFactory, TrackFactory

pytestmark = pytest.mark.browser

PARIS = ZoneInfo("Europe/Paris")
MINUTES = datetime.timedelta(minutes=1)
OTHER_HOSTS = re.compile(r"^https?://(?!(localhost|127\.0\.0\.1)[:/])")
ROOMS = 12  # more columns than 1280 px hold: the grid scrolls sideways, not the page


def at(day, hour, minute=0):
    return datetime.datetime(2023, 11, 22 + day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def programme(transactional_db):
    """Twelve rooms and three tracks; "Talk" (10:00-10:30, Hall) and "Workshop" (10:00-11:30,
    Lab) overlap, "Opening" (9:00-10:00) overlaps neither."""
    event = EventFactory(time_zone="Europe/Paris")
    rooms = [
        RoomFactory(event=event, name=name, slug=name.lower().replace(" ", "-"), position=n)
        for n, name in enumerate(["Hall", "Lab"] + [f"Room {n}" for n in range(ROOMS - 2)])
    ]
    tracks = [
        TrackFactory(event=event, name=name, slug=name.lower(), colour=colour, position=n)
        for n, (name, colour) in enumerate(
            [("Core", "#1d4ed8"), ("Ops", "#b45309"), ("Community", "#0f766e")]
        )
    ]
    sessions = {
        "Opening": SessionFactory(
            event=event,
            title="Opening",
            kind="keynote",
            starts_at=at(1, 9),
            duration=60 * MINUTES,
            room=rooms[0],
            track=tracks[0],
        ),
        "Talk": SessionFactory(
            event=event,
            title="Talk",
            starts_at=at(1, 10),
            duration=30 * MINUTES,
            room=rooms[0],
            track=tracks[0],
        ),
        "Workshop": SessionFactory(
            event=event,
            title="Workshop",
            kind="workshop",
            starts_at=at(1, 10),
            duration=90 * MINUTES,
            room=rooms[1],
            track=tracks[1],
        ),
    }
    for n, room in enumerate(rooms[2:]):
        SessionFactory(
            event=event,
            title=f"Parallel session {n}",
            starts_at=at(1, 9, 30) + n * 10 * MINUTES,
            duration=45 * MINUTES,
            room=room,
            track=tracks[n % 3],
        )
    SessionFactory(
        event=event, title="Closing", starts_at=at(2, 16), duration=30 * MINUTES, room=rooms[0]
    )
    return event, sessions


@pytest.fixture
def new_page(browser, live_server):
    """``new_page(path, width=1280, zone=None, now=None)``: a page in a fresh context with that
    time zone and, when given, a clock fixed at ``now``."""
    contexts = []

    def new_page(path, width=1280, zone=None, now=None, bypass_csp=False):
        options = {"viewport": {"width": width, "height": 800}, "bypass_csp": bypass_csp}
        if zone:
            options["timezone_id"] = zone
        context = browser.new_context(**options)
        context.route(OTHER_HOSTS, lambda route: route.fulfill(status=204, body=""))
        contexts.append(context)
        page = context.new_page()
        errors = []
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.errors = errors
        if now:
            page.clock.install(time=now)
        page.goto(live_server.url + path)
        return page

    yield new_page
    for context in contexts:
        context.close()


def schedule_path(event):
    return reverse("talks:event_schedule", kwargs={"slug": event.slug})


def agenda_path(event):
    return reverse("talks:event_agenda", kwargs={"slug": event.slug})


@pytest.mark.parametrize("width", [360, 1280])
def test_grid_never_scrolls_the_page_sideways(new_page, screenshot, programme, width):
    event, _ = programme

    page = new_page(schedule_path(event), width=width)

    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    grid = page.locator("#day-1 [data-grid]")
    scroller = page.locator("#day-1 .schedule-scroll")
    if width == 1280:
        assert grid.evaluate("el => getComputedStyle(el).display") == "grid"
        assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")
        # Talk and Workshop start on one row, in the Hall and Lab columns.
        talk = page.locator(".block", has_text="Talk").bounding_box()
        workshop = page.locator(".block", has_text="Workshop").bounding_box()
        assert (round(talk["y"]), talk["x"] < workshop["x"]) == (round(workshop["y"]), True)
        assert workshop["height"] > 2.5 * talk["height"]
    else:
        assert grid.evaluate("el => getComputedStyle(el).display") == "block"
        room = page.locator(".block", has_text="Talk").locator(".block__room")
        assert room.inner_text().strip() == "· Hall"
    assert page.errors == []
    screenshot(page, f"schedule-{width}")


def test_starred_sessions_survive_a_reload_and_fill_the_agenda(new_page, screenshot, programme):
    event, sessions = programme
    page = new_page(schedule_path(event))

    for title in ("Workshop", "Talk"):
        star = page.locator(".block", has_text=title).get_by_role("button", name="Add to my agenda")
        star.click()
    page.reload()

    pressed = page.locator('.agenda-star[aria-pressed="true"]')
    assert [pressed.nth(i).inner_text() for i in range(pressed.count())] == [
        "Remove from my agenda",
        "Remove from my agenda",
    ]
    page.goto(page.url.split("/schedule/")[0] + "/agenda/")
    shown = page.locator("[data-agenda-entry]:visible")
    assert [shown.nth(i).locator(".agenda-entry__title").inner_text() for i in range(2)] == [
        "Talk",
        "Workshop",
    ]
    assert shown.count() == 2
    assert page.locator(".agenda-entry--clash").count() == 2
    clash = page.locator(".agenda-entry__clash:visible").first
    assert (
        clash.inner_text()
        == "Overlaps with \N{LEFT DOUBLE QUOTATION MARK}Workshop\N{RIGHT DOUBLE QUOTATION MARK}"
    )
    guids = f"{sessions['Talk'].guid},{sessions['Workshop'].guid}"
    assert (
        page.locator("[data-agenda-download]")
        .get_attribute("href")
        .endswith(f"/agenda.ics?s={guids}")
    )
    assert page.locator("[data-agenda-share]").input_value().endswith(f"/agenda/#s={guids}")
    assert page.errors == []
    screenshot(page, "agenda")


def test_share_link_opens_the_agenda_on_another_device(new_page, programme):
    event, sessions = programme

    page = new_page(f"{agenda_path(event)}#s={sessions['Opening'].guid},bogus")

    titles = page.locator("[data-agenda-entry]:visible .agenda-entry__title")
    assert [titles.nth(i).inner_text() for i in range(titles.count())] == ["Opening"]
    page.get_by_role("button", name="Add them to my agenda").click()
    page.reload()
    assert page.locator("[data-agenda-entry]:visible").count() == 1
    assert page.locator("[data-agenda-shared]").is_hidden()


def test_visitor_zone_switch_changes_the_shown_times(new_page, programme):
    event, _ = programme
    page = new_page(schedule_path(event), zone="America/New_York")
    opening = page.locator(".block", has_text="Opening").locator("time").first

    assert opening.inner_text() == "09:00"
    page.get_by_role("button", name="My time (America/New_York)").click()

    assert opening.inner_text() == "03:00"
    page.reload()  # the choice is remembered
    assert page.locator(".block", has_text="Opening").locator("time").first.inner_text() == "03:00"
    page.get_by_role("button", name="Event time (Europe/Paris)").click()
    assert page.locator(".block", has_text="Opening").locator("time").first.inner_text() == "09:00"


def test_now_line_and_now_and_next_while_the_event_runs(new_page, screenshot, programme):
    event, _ = programme

    page = new_page(schedule_path(event), now=at(1, 10, 15))

    assert page.locator("#day-1 [data-now-line]").is_visible()
    assert page.locator("#day-2 [data-now-line]").is_hidden()
    rooms = page.locator(".now-next__room")
    first_two = [rooms.nth(i).inner_text().split("\n") for i in range(2)]
    assert first_two == [
        ["Hall", "Now Talk until 10:30"],
        ["Lab", "Now Workshop until 11:30"],
    ]
    page.clock.set_fixed_time(at(1, 10, 45))
    page.clock.run_for(31_000)
    # The Hall has nothing more that day: the Lab comes first.
    assert rooms.first.inner_text().split("\n") == ["Lab", "Now Workshop until 11:30"]
    screenshot(page, "schedule-now")


def test_now_and_next_stays_hidden_outside_the_event(new_page, programme):
    event, _ = programme

    page = new_page(schedule_path(event), now=at(3, 12))

    assert page.locator("[data-now-next]").is_hidden()


def test_room_filter_applies_without_a_reload(new_page, programme):
    event, _ = programme
    page = new_page(schedule_path(event))
    page.evaluate("window.marker = 1")
    page.get_by_text("Filter by room, track, kind or topic").click()

    page.locator('[data-filter="room"][data-value="lab"]').click()

    assert page.evaluate("window.marker") == 1
    assert page.locator(".block:visible .block__title").all_inner_texts() == ["Workshop"]
    assert page.url.endswith("?room=lab")


def serious_violations(page, axe_script):
    page.add_script_tag(path=str(axe_script))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]][:3])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("width", [360, 1280])
def test_schedule_and_agenda_have_no_serious_accessibility_violations(
    new_page, axe_script, programme, width
):
    event, sessions = programme
    # axe-core is injected as an inline script, which our CSP forbids: lifted for the audit.
    grid = new_page(schedule_path(event), width=width, now=at(1, 10, 15), bypass_csp=True)
    grid.locator(".block", has_text="Talk").get_by_role("button").click()
    agenda = new_page(
        f"{agenda_path(event)}#s={sessions['Talk'].guid},{sessions['Workshop'].guid}",
        width=width,
        bypass_csp=True,
    )

    assert serious_violations(grid, axe_script) == []
    assert serious_violations(agenda, axe_script) == []
