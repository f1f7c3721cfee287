"""The admin schedule editor in Chromium: drag and drop, the keyboard form, a refused move."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from sessions.models import Session
from tests.factories import (
    PASSWORD,
    EventFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    TrackFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

PARIS = ZoneInfo("Europe/Paris")
MINUTES = datetime.timedelta(minutes=1)
DASH = "\N{EN DASH}"  # between the times of a block
# The grid draws 2 pixels a minute from the first hour drawn (09:00 here).
PIXELS_PER_MINUTE = 2
FIRST_HOUR = 9


def at(hour, minute=0, *, day=23):
    return datetime.datetime(2024, 11, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def programme(transactional_db):
    event = EventFactory(
        name="Capitole du Libre",
        time_zone="Europe/Paris",
        start_date=datetime.date(2024, 11, 23),
        end_date=datetime.date(2024, 11, 24),
    )
    rooms = [
        RoomFactory(event=event, name=name, slug=name.lower().replace(" ", "-"), position=n)
        for n, name in enumerate(["Hall A", "Hall B", "Room 101", "Room 102"])
    ]
    tracks = [
        TrackFactory(event=event, name="Community", colour="#1f5fa8"),
        TrackFactory(event=event, name="Security", colour="#9a3412"),
        TrackFactory(event=event, name="Web", colour="#a7f3d0"),
    ]
    keynote = SessionFactory(
        event=event,
        title="Keynote",
        room=rooms[0],
        track=tracks[0],
        starts_at=at(10),
        duration=30 * MINUTES,
    )
    talk = SessionFactory(
        event=event,
        title="Talk in Hall B",
        room=rooms[1],
        track=tracks[1],
        starts_at=at(10),
        duration=60 * MINUTES,
    )
    return {"event": event, "rooms": rooms, "tracks": tracks, "keynote": keynote, "talk": talk}


def logged_in_page(context, live_server):
    """A page of ``context`` logged into the admin as the superuser "admin"."""
    page = context.new_page()
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))
    return page


@pytest.fixture
def admin_page(browser, live_server):
    """``admin_page(path)``: a page logged into the admin as a superuser, at ``path``."""
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = logged_in_page(context, live_server)

    def admin_page(path):
        page.goto(live_server.url + path)
        return page

    yield admin_page
    context.close()


def schedule_path(event):
    return reverse("admin:event_schedule", args=[event.pk])


def block(page, session):
    return page.locator(f'.schedule-block[data-session="{session.pk}"]')


def column(page, room):
    return page.locator(f'.schedule-grid__column[data-room="{room.pk}"]')


def y_of(hour, minute=0):
    return ((hour - FIRST_HOUR) * 60 + minute) * PIXELS_PER_MINUTE


def test_dragging_a_session_to_another_room_saves_it(admin_page, programme):
    keynote, room = programme["keynote"], programme["rooms"][2]
    page = admin_page(schedule_path(programme["event"]))

    block(page, keynote).drag_to(
        column(page, room),
        source_position={"x": 10, "y": 2},
        target_position={"x": 20, "y": y_of(11, 30) + 2},
    )
    page.locator("[data-schedule-status]").filter(has_text="Moved to").wait_for()
    page.reload()

    assert column(page, room).locator(".schedule-block").all_inner_texts() == [
        f"11:30{DASH}12:00\nKeynote\nCommunity"
    ]
    keynote.refresh_from_db()
    assert (keynote.room, keynote.starts_at) == (room, at(11, 30))
    assert list(LogEntry.objects.values_list("change_message", flat=True)) == [
        "Moved to Room 101, 2024-11-23 11:30, 30 min."
    ]


def test_dragging_a_session_to_the_unscheduled_list_takes_it_off_the_grid(admin_page, programme):
    keynote = programme["keynote"]
    page = admin_page(schedule_path(programme["event"]))

    block(page, keynote).drag_to(page.locator("[data-schedule-unscheduled]"))
    page.locator("[data-schedule-status]").filter(has_text="Unscheduled").wait_for()
    page.reload()

    assert page.locator("[data-schedule-unscheduled-list] .schedule-block").all_inner_texts() == [
        "Keynote\nCommunity"
    ]
    keynote.refresh_from_db()
    assert (keynote.room, keynote.starts_at) == (None, None)


def test_keyboard_form_moves_a_session(admin_page, programme):
    keynote, hall_b = programme["keynote"], programme["rooms"][1]
    page = admin_page(schedule_path(programme["event"]))

    block(page, keynote).focus()
    page.keyboard.press("Enter")
    dialog = page.locator("[data-schedule-dialog]")
    assert dialog.is_visible()
    assert page.evaluate("document.activeElement.id") == "schedule-move-room"
    page.keyboard.press("ArrowDown")  # Hall A → Hall B
    # (Tab walks the date's own parts inside a datetime-local field: type into each field.)
    page.locator("#schedule-move-start").fill("2024-11-24T14:15")
    page.locator("#schedule-move-duration").fill("45")
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden")

    assert page.evaluate("document.activeElement.dataset.session") == str(keynote.pk)
    assert column(page, hall_b).locator(".schedule-block").all_inner_texts() == [
        f"14:15{DASH}15:00\nKeynote\nCommunity"
    ]
    assert page.locator(".schedule-editor__day[aria-pressed=true]").inner_text() == "Sun 24 Nov"
    keynote.refresh_from_db()
    assert (keynote.room, keynote.starts_at, keynote.duration, keynote.day) == (
        hall_b,
        at(14, 15, day=24),
        45 * MINUTES,
        2,
    )


def test_a_move_into_a_taken_room_is_refused_with_its_reason(admin_page, programme):
    keynote, talk, hall_b = programme["keynote"], programme["talk"], programme["rooms"][1]
    page = admin_page(schedule_path(programme["event"]))

    block(page, keynote).drag_to(
        column(page, hall_b),
        source_position={"x": 10, "y": 2},
        target_position={"x": 20, "y": y_of(10, 30) + 2},
    )
    status = page.locator("[data-schedule-status]")
    status.filter(has_text="not moved").wait_for()

    assert status.inner_text() == (
        "“Keynote” was not moved: Hall B is taken from 10:00 to 11:00 by “Talk in Hall B”."
    )
    # Put back where it was.
    assert column(page, programme["rooms"][0]).locator(".schedule-block").all_inner_texts() == [
        f"10:00{DASH}10:30\nKeynote\nCommunity"
    ]

    block(page, keynote).focus()
    page.keyboard.press("Enter")
    error = page.locator("[data-schedule-move-error]")
    assert error.is_hidden()
    page.locator("#schedule-move-room").select_option(str(hall_b.pk))
    page.locator("#schedule-move-start").fill("2024-11-23T10:15")
    page.keyboard.press("Enter")
    error.wait_for()

    assert error.inner_text() == "Hall B is taken from 10:00 to 11:00 by “Talk in Hall B”."
    keynote.refresh_from_db()
    assert (keynote.room, keynote.starts_at) == (programme["rooms"][0], at(10))
    assert talk.pk in Session.objects.filter(room=hall_b).values_list("pk", flat=True)


def test_schedule_page_screenshot(admin_page, programme, screenshot):
    """A busy day to look at: tracks, a draft, clashes, the unscheduled list."""
    event, rooms, tracks = programme["event"], programme["rooms"], programme["tracks"]
    ada = SpeakerFactory(name="Ada Lovelace")
    SessionSpeakerFactory(session=programme["keynote"], speaker=ada)
    SessionSpeakerFactory(session=programme["talk"], speaker=ada)
    for n, (room, hour, minutes, track) in enumerate(
        [
            (rooms[0], 11, 45, tracks[2]),
            (rooms[1], 11, 30, tracks[0]),
            (rooms[2], 10, 90, tracks[1]),
            (rooms[3], 14, 20, None),
            (rooms[2], 14, 60, tracks[2]),
        ]
    ):
        session = SessionFactory(
            event=event,
            title=f"A session with a longer title, number {n}",
            room=room,
            track=track,
            starts_at=at(hour),
            duration=minutes * MINUTES,
            is_published=n != 3,
        )
        SessionSpeakerFactory(session=session, speaker=SpeakerFactory(name=f"Speaker {n}"))
    overlap = SessionFactory(event=event, title="Imported overlap")
    Session.objects.filter(pk=overlap.pk).update(room=rooms[3], starts_at=at(14, 10))
    for n in range(3):
        SessionFactory(event=event, title=f"Not placed yet {n}")

    page = admin_page(schedule_path(event))
    path = screenshot(page, "admin-schedule")

    assert path.exists()
    assert page.locator(".schedule-block--clash").count() == 4
    assert page.locator("[data-schedule-unscheduled-list] .schedule-block").count() == 3


def test_many_rooms_are_paged_and_filtered(admin_page, programme):
    event = programme["event"]
    for n in range(26):
        RoomFactory(event=event, name=f"Annex {n:02}", slug=f"annex-{n:02}", position=10 + n)
    page = admin_page(schedule_path(event))
    headings = page.locator(".schedule-grid__room")
    shown = page.locator("[data-schedule-room-range]")

    assert (headings.all_inner_texts(), shown.inner_text()) == (
        ["Hall A", "Hall B", "Room 101", "Room 102", *[f"Annex {n:02}" for n in range(4)]],
        f"1{DASH}8 of 30",
    )
    page.get_by_role("button", name="Next rooms").click()
    assert (headings.all_inner_texts()[0], shown.inner_text()) == ("Annex 04", f"9{DASH}16 of 30")
    page.locator("[data-schedule-room-filter]").fill("annex 1")
    assert headings.all_inner_texts() == [f"Annex {n}" for n in range(10, 18)]
    assert shown.inner_text() == f"1{DASH}8 of 10"


def test_schedule_page_runs_within_the_csp_and_without_errors(admin_page, programme):
    """The page's own script and styles only: no inline code for the CSP to refuse."""
    errors = []
    page = admin_page(reverse("admin:index"))
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    admin_page(schedule_path(programme["event"]))
    block(page, programme["keynote"]).focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")

    assert errors == []
    assert page.locator(".schedule-block").count() == 2


def test_schedule_page_has_no_serious_accessibility_violations(
    browser, live_server, axe_script, programme
):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    # axe-core is injected as an inline script: lift the CSP for the audit only.
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    page = logged_in_page(context, live_server)
    page.goto(live_server.url + schedule_path(programme["event"]))
    page.locator(".schedule-block").first.wait_for()
    page.add_script_tag(path=str(axe_script))
    results = page.evaluate(
        "axe.run(document.querySelector('[data-schedule-editor]'), {resultTypes: ['violations']})"
    )
    context.close()

    assert [
        (violation["id"], [node["target"] for node in violation["nodes"]][:3])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ] == []


def test_dragging_an_unscheduled_session_onto_the_grid_schedules_it(admin_page, programme):
    waiting = SessionFactory(event=programme["event"], title="Waiting", duration=20 * MINUTES)
    hall_a = programme["rooms"][0]
    page = admin_page(schedule_path(programme["event"]))

    block(page, waiting).drag_to(
        column(page, hall_a), target_position={"x": 20, "y": y_of(15, 10) + 3}
    )
    page.locator("[data-schedule-status]").filter(has_text="Moved to").wait_for()

    waiting.refresh_from_db()
    assert (waiting.room, waiting.starts_at, waiting.duration) == (hall_a, at(15, 10), 20 * MINUTES)
    assert page.locator("[data-schedule-unscheduled-list]").inner_text() == (
        "Every session is on the grid."
    )


def test_hostile_titles_are_shown_as_text(admin_page, programme):
    """Titles travel in the JSON block and are drawn with textContent: nothing in them runs."""
    hostile = [
        "</script><script>window.__xss = 1</script>",
        '<img src=x onerror="window.__xss = 1">',
        '"><svg onload="window.__xss = 1">',
    ]
    for n, title in enumerate(hostile):
        SessionFactory(
            event=programme["event"],
            title=title,
            room=programme["rooms"][3],
            starts_at=at(12 + n),
            duration=30 * MINUTES,
        )
    dialogs = []
    page = admin_page(reverse("admin:index"))
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    admin_page(schedule_path(programme["event"]))

    titles = column(page, programme["rooms"][3]).locator(".schedule-block__title")
    assert titles.all_inner_texts() == hostile
    assert (page.evaluate("window.__xss || 0"), dialogs) == (0, [])
    assert page.locator("[data-schedule-editor] img, [data-schedule-editor] svg").count() == 0
