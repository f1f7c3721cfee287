"""Drag-and-drop ordering in the programme's admin (django-admin-sortable2): the inlines of a
session and of an event post the positions its script sets, and the session list of one day's
untimed sessions posts each drag to its reorder endpoint."""

import datetime
import json

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse

from sessions.models import Session
from tests.admin_forms import admin_url, change, form_errors, open_form
from tests.factories import (
    EventFactory,
    RecordingFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SlideDeckFactory,
    SpeakerFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:talks_session_changelist")
VIDEOS = ["cCNCmJxxEPA", "dQw4w9WgXcQ", "jNQXAC9IVRw"]
DECKS = ["https://www.slideshare.net/someone/first", "https://www.slideshare.net/someone/second"]
DECKS.append("https://www.slideshare.net/someone/third")


def dragged(prefix, rows_in_new_order):
    """What sortable2's script sets after a drag: the saved rows (by their index in the form)
    numbered 1, 2, 3… in the order they were dropped."""
    return {
        f"{prefix}-{index}-position": [str(number)]
        for number, index in enumerate(rows_in_new_order, start=1)
    }


def assert_saved(response):
    assert response.status_code == 302, form_errors(response)


# Inlines of a session: speakers, recordings, slide decks


@pytest.fixture
def session(db):
    return SessionFactory(title="Opening keynote")


def speakers_of(session):
    return [link.speaker.name for link in session.session_speakers.order_by("position")]


@pytest.mark.parametrize("start", [0, 1], ids=["numbered-from-0", "numbered-from-1"])
def test_session_speakers_dragged_to_a_new_order_are_saved_in_it(admin_client, session, start):
    for offset, name in enumerate(["Ada", "Grace", "Linus"]):
        SessionSpeakerFactory(session=session, speaker__name=name, position=start + offset)

    # Linus dragged to the top: every row moves, each onto a position another row had.
    response = change(admin_client, session, **dragged("session_speakers", [2, 0, 1]))

    assert_saved(response)
    assert speakers_of(session) == ["Linus", "Ada", "Grace"]
    assert list(session.session_speakers.values_list("position", flat=True)) == [1, 2, 3]


def test_session_speakers_swapped_keep_their_unique_positions(admin_client, session):
    SessionSpeakerFactory(session=session, speaker__name="Ada", position=1)
    SessionSpeakerFactory(session=session, speaker__name="Grace", position=2)

    response = change(admin_client, session, **dragged("session_speakers", [1, 0]))

    assert_saved(response)
    assert list(session.session_speakers.values_list("speaker__name", "position")) == [
        ("Grace", 1),
        ("Ada", 2),
    ]


def test_recordings_and_decks_dragged_are_saved_in_the_new_order(admin_client, session):
    for position, key in enumerate(VIDEOS):
        RecordingFactory(session=session, url=f"https://youtu.be/{key}", position=position)
    for position, url in enumerate(DECKS):
        SlideDeckFactory(session=session, url=url, position=position)

    response = change(
        admin_client,
        session,
        **dragged("recordings", [1, 2, 0]),
        **dragged("slide_decks", [2, 1, 0]),
    )

    assert_saved(response)
    assert list(session.recordings.values_list("provider_key", flat=True)) == [
        VIDEOS[1],
        VIDEOS[2],
        VIDEOS[0],
    ]
    assert list(session.slide_decks.values_list("url", flat=True)) == DECKS[::-1]


def test_session_inlines_are_sortable_with_the_position_hidden(admin_client, session):
    SessionSpeakerFactory(session=session, position=0)

    page = admin_client.get(admin_url(session, "change", session.pk)).content.decode()

    for prefix in ["session_speakers", "recordings", "slide_decks", "links"]:
        assert f'aria-labelledby="{prefix}-heading"' in page
    assert page.count('<fieldset class="module sortable"') == 4
    assert (
        '<input type="hidden" name="session_speakers-0-position" value="0" class="_reorder_"'
        in (page)
    )
    assert "adminsortable2/js/adminsortable2" in page


def test_a_blank_row_filled_after_a_drag_goes_after_the_dragged_rows(admin_client, session):
    SessionSpeakerFactory(session=session, speaker__name="Ada", position=0)
    SessionSpeakerFactory(session=session, speaker__name="Grace", position=1)
    newcomer = SpeakerFactory(name="Linus")
    data = open_form(admin_client, admin_url(session, "change", session.pk))
    # The page's first blank row is numbered after every saved row and after the 1, 2 a drag
    # gives them, so it never takes a dragged row's place.
    assert data["session_speakers-2-position"] == ["3"]

    response = change(
        admin_client,
        session,
        **dragged("session_speakers", [1, 0]),
        **{"session_speakers-2-speaker": [str(newcomer.pk)]},
    )

    assert_saved(response)
    assert list(session.session_speakers.values_list("speaker__name", "position")) == [
        ("Grace", 1),
        ("Ada", 2),
        ("Linus", 3),
    ]


def test_rows_added_with_add_another_go_last_in_the_order_they_were_added(admin_client, session):
    SessionSpeakerFactory(session=session, speaker__name="Ada", position=5)
    first, second = SpeakerFactory(name="Grace"), SpeakerFactory(name="Linus")
    data = open_form(admin_client, admin_url(session, "change", session.pk))
    page = admin_client.get(admin_url(session, "change", session.pk)).content.decode()
    # The template row "Add another" copies carries no position.
    assert 'name="session_speakers-__prefix__-position" class="_reorder_"' in page

    # Two rows added in the browser: copies of that template, after the page's blank rows.
    total = int(data["session_speakers-TOTAL_FORMS"][0])
    data["session_speakers-TOTAL_FORMS"] = [str(total + 2)]
    for index, speaker in [(total, first), (total + 1, second)]:
        data[f"session_speakers-{index}-speaker"] = [str(speaker.pk)]
        data[f"session_speakers-{index}-position"] = [""]
    response = admin_client.post(admin_url(session, "change", session.pk), data)

    assert_saved(response)
    assert speakers_of(session) == ["Ada", "Grace", "Linus"]
    assert list(session.session_speakers.values_list("position", flat=True)) == [5, 6, 7]


def test_a_saved_row_posted_without_a_position_keeps_its_own(admin_client, session):
    SessionSpeakerFactory(session=session, speaker__name="Ada", position=4)

    response = change(admin_client, session, **{"session_speakers-0-position": [""]})

    assert_saved(response)
    assert list(session.session_speakers.values_list("position", flat=True)) == [4]


def test_a_bad_hidden_position_is_said_on_its_row(admin_client, session):
    SessionSpeakerFactory(session=session, position=0)
    before = list(session.session_speakers.values_list("pk", "position"))

    response = change(admin_client, session, **{"session_speakers-0-position": ["-1"]})

    assert response.status_code == 200
    [speakers] = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "session_speakers"
    ]
    assert speakers.forms[0].non_field_errors() == [
        "Position: Ensure this value is greater than or equal to 0."
    ]
    assert list(session.session_speakers.values_list("pk", "position")) == before


# Rooms and tracks on the event form


@pytest.mark.parametrize("factory", [RoomFactory, TrackFactory], ids=["rooms", "tracks"])
def test_rooms_and_tracks_dragged_on_the_event_form_are_saved_in_order(organiser_client, factory):
    event = EventFactory()
    for position, name in enumerate(["Hall A", "Hall B", "Hall C"]):
        factory(event=event, name=name, slug=name.lower().replace(" ", "-"), position=position)
    prefix = factory._meta.model._meta.get_field("event").remote_field.related_name

    response = change(organiser_client, event, **dragged(prefix, [2, 0, 1]))

    assert_saved(response)
    rows = getattr(event, prefix).order_by("position")
    assert list(rows.values_list("name", "position")) == [
        ("Hall C", 1),
        ("Hall A", 2),
        ("Hall B", 3),
    ]


# Untimed sessions within a day: the session list, filtered to one event's day


@pytest.fixture
def day(db):
    """Day 2 of an event: three untimed sessions, one timed, and a session of another day."""
    event = EventFactory(name="Capitole du Libre")
    untimed = [
        SessionFactory(event=event, day=2, title=title, position=position)
        for position, title in [(0, "Welcome"), (1, "Lightning talks"), (2, "Closing")]
    ]
    SessionFactory(event=event, day=2, title="Timed talk", start_time=datetime.time(10), position=0)
    SessionFactory(event=event, day=1, title="Day one", position=0)
    return {"event": event, "sessions": untimed}


def day_list(event, day, **more):
    return {"event__id__exact": str(event.pk), "day__exact": str(day), "timed": "no", **more}


def reorder_url(event, day):
    return reverse("admin:talks_session_reorder_day", args=[event.pk, day])


def post_drag(client, event, day, items):
    return client.post(
        reorder_url(event, day),
        json.dumps({"updatedItems": items}),
        content_type="application/json",
    )


def day_order(event, day):
    return list(
        Session.objects.untimed()
        .filter(event=event, day=day)
        .order_by("position")
        .values_list("title", "position")
    )


def test_the_list_of_one_days_untimed_sessions_is_sortable(organiser_client, day):
    response = organiser_client.get(CHANGELIST, day_list(day["event"], 2))

    page = response.content.decode()
    assert [session.title for session in response.context["cl"].result_list] == [
        "Welcome",
        "Lightning talks",
        "Closing",
    ]
    assert page.count('class="drag handle"') == 3
    assert f'"update_url": "{reorder_url(day["event"], 2)}"' in page
    assert response.context["cl"].list_display[:2] == ["action_checkbox", "_reorder_"]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"event__id__exact": "{event}", "day__exact": "2"},  # timed sessions too
        {"event__id__exact": "{event}", "timed": "no"},  # every day
        {"event__id__exact": "{event}", "day__exact": "2", "timed": "no", "kind": "talk"},
        {"event__id__exact": "{event}", "day__exact": "2", "timed": "no", "q": "talks"},
        {"event__id__exact": "{event}", "day__exact": "2", "timed": "no", "o": "1"},
    ],
    ids=["all", "timed-too", "every-day", "another-filter", "search", "sorted-by-a-column"],
)
def test_other_session_lists_show_the_position_without_handles(organiser_client, day, params):
    params = {name: value.format(event=day["event"].pk) for name, value in params.items()}

    response = organiser_client.get(CHANGELIST, params)

    assert response.status_code == 200
    assert "drag handle" not in response.content.decode()
    assert "position" in response.context["cl"].list_display
    assert "_reorder_" not in response.context["cl"].list_display


def test_a_drag_on_the_day_list_saves_the_positions_with_history(organiser_client, day):
    welcome, lightning, closing = day["sessions"]

    # "Closing" dragged to the top: the script posts the rows between where it was and where
    # it went, numbered from the first row's position.
    response = post_drag(
        organiser_client,
        day["event"],
        2,
        [[str(closing.pk), 0], [str(welcome.pk), 1], [str(lightning.pk), 2]],
    )

    assert response.status_code == 200
    assert response.json() == {"updated": 3}
    assert day_order(day["event"], 2) == [("Closing", 0), ("Welcome", 1), ("Lightning talks", 2)]
    assert sorted(
        LogEntry.objects.filter(object_id__in=[welcome.pk, lightning.pk, closing.pk]).values_list(
            "object_repr", "change_message"
        )
    ) == [
        ("Closing", "Moved to position 0 in its day."),
        ("Lightning talks", "Moved to position 2 in its day."),
        ("Welcome", "Moved to position 1 in its day."),
    ]


def test_a_swap_on_the_day_list_does_not_clash_and_leaves_other_days_alone(organiser_client, day):
    welcome, lightning, _ = day["sessions"]

    response = post_drag(organiser_client, day["event"], 2, [[lightning.pk, 0], [welcome.pk, 1]])

    assert response.status_code == 200
    assert day_order(day["event"], 2) == [("Lightning talks", 0), ("Welcome", 1), ("Closing", 2)]
    assert day_order(day["event"], 1) == [("Day one", 0)]


def test_a_reorder_shows_on_the_cached_public_event_page(client, organiser_client, day):
    welcome, lightning, closing = day["sessions"]
    page = client.get(day["event"].get_absolute_url()).content.decode()
    assert page.index("Welcome") < page.index("Closing")

    post_drag(
        organiser_client, day["event"], 2, [[closing.pk, 0], [welcome.pk, 1], [lightning.pk, 2]]
    )

    page = client.get(day["event"].get_absolute_url()).content.decode()
    assert page.index("Closing") < page.index("Welcome") < page.index("Lightning talks")


@pytest.mark.parametrize(
    "pick, message",
    [
        (lambda day, event: Session.objects.get(title="Timed talk"), "no longer untimed sessions"),
        (lambda day, event: Session.objects.get(title="Day one"), "no longer untimed sessions"),
        (lambda day, event: SessionFactory(day=2, title="Elsewhere"), "no longer untimed sessions"),
    ],
    ids=["a-timed-session", "another-day", "another-event"],
)
def test_a_drag_naming_a_session_outside_the_day_is_refused(organiser_client, day, pick, message):
    stranger = pick(day, day["event"])
    welcome = day["sessions"][0]
    before = day_order(day["event"], 2)

    response = post_drag(organiser_client, day["event"], 2, [[stranger.pk, 5], [welcome.pk, 6]])

    assert response.status_code == 400
    assert message in response.content.decode()
    assert day_order(day["event"], 2) == before


def test_a_drag_onto_the_position_of_a_session_not_moved_is_refused(organiser_client, day):
    welcome = day["sessions"][0]
    before = day_order(day["event"], 2)

    response = post_drag(organiser_client, day["event"], 2, [[welcome.pk, 2]])

    assert response.status_code == 400
    assert response.content.decode() == (
        "Position 2 belongs to “Closing”, which was not moved: reload the list and drag again."
    )
    assert day_order(day["event"], 2) == before


@pytest.mark.parametrize(
    "body, message",
    [
        ("not json", "Expected JSON"),
        ("\udcff", "Expected JSON"),
        ("[]", "Expected JSON"),
        ('{"updatedItems": []}', "list of [id, position] pairs"),
        ('{"updatedItems": {"1": 2}}', "list of [id, position] pairs"),
        ('{"updatedItems": [[1, 2, 3]]}', "list of [id, position] pairs"),
        ('{"updatedItems": [["abc", 1]]}', "is not a session id"),
        ('{"updatedItems": [[1e400, 1]]}', "is not a session id"),
        ('{"updatedItems": [[true, 1]]}', "is not a session id"),
        ('{"updatedItems": [["99999999999999999999999", 1]]}', "is not a session id"),
        ('{"updatedItems": [["{pk}", -1]]}', "whole number from 0 to 100000"),
        ('{"updatedItems": [["{pk}", 100001]]}', "whole number from 0 to 100000"),
        ('{"updatedItems": [["{pk}", "3"]]}', "whole number from 0 to 100000"),
        ('{"updatedItems": [["{pk}", 1.5]]}', "whole number from 0 to 100000"),
        ('{"updatedItems": [["{pk}", 7], ["{pk}", 8]]}', "may appear only once"),
        ('{"updatedItems": [["{pk}", 7], ["{other}", 7]]}', "may appear only once"),
    ],
)
def test_a_malformed_drag_is_refused_with_the_reason(organiser_client, day, body, message):
    welcome, lightning, _ = day["sessions"]
    body = body.replace("{pk}", str(welcome.pk)).replace("{other}", str(lightning.pk))
    before = day_order(day["event"], 2)

    response = organiser_client.post(
        reorder_url(day["event"], 2),
        body.encode(errors="surrogateescape"),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert day_order(day["event"], 2) == before


def test_the_reorder_endpoint_is_for_staff_who_may_change_sessions(client, staff_user, day):
    welcome, lightning, _ = day["sessions"]
    items = [[lightning.pk, 0], [welcome.pk, 1]]
    before = day_order(day["event"], 2)

    anonymous = post_drag(client, day["event"], 2, items)
    client.force_login(staff_user)  # staff, but not an organiser: no permission on sessions
    staff = post_drag(client, day["event"], 2, items)
    staff_get = client.get(reorder_url(day["event"], 2))

    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("admin:login"))
    assert (staff.status_code, staff_get.status_code) == (403, 403)
    assert day_order(day["event"], 2) == before


def test_the_reorder_endpoint_needs_a_post_with_the_csrf_token(organiser, day):
    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)
    welcome, lightning, _ = day["sessions"]
    before = day_order(day["event"], 2)

    response = post_drag(client, day["event"], 2, [[lightning.pk, 0], [welcome.pk, 1]])
    wrong_method = client.get(reorder_url(day["event"], 2))

    assert response.status_code == 403
    assert wrong_method.status_code == 405
    assert day_order(day["event"], 2) == before


def test_a_new_session_keeps_the_position_typed_in_its_form(organiser_client, day):
    data = {
        **open_form(organiser_client, admin_url(Session, "add")),
        "event": [str(day["event"].pk)],
        "title": ["Break"],
        "slug": ["break"],
        "day": ["2"],
        "position": ["7"],
    }

    response = organiser_client.post(admin_url(Session, "add"), data)

    assert_saved(response)
    assert Session.objects.get(slug="break").position == 7
