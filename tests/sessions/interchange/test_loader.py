"""The loader and its report: what the database holds, and each change with its fields."""

import pytest

from conference.models import Event
from sessions.interchange.document import MAX_DAY, Origin
from sessions.interchange.loader import load_event
from sessions.interchange.readers.roundup import parse
from sessions.interchange.report import CHANGED, CREATED, DELETED
from sessions.interchange.snapshot import snapshot_event
from sessions.interchange.writers import WRITERS
from sessions.models import Recording, Session
from speakers.models import Speaker
from tests.factories import EventFactory, SessionFactory
from tests.sessions.interchange.test_hostile_files import YOUTUBE, post, session


def programme(event):
    return list(
        event.sessions.order_by("day", "position").values_list(
            "title", "slug", "kind", "day", "position", "description", "is_published"
        )
    )


@pytest.mark.django_db
def test_session_on_the_last_day_round_trips_through_export_and_import():
    event = EventFactory(slug="long-conference", name="Long Conference 2023")
    SessionFactory(event=event, title="Opening", slug="opening", day=1, position=0)
    SessionFactory(
        event=event, title="Storage Deep Dive", slug="storage-deep-dive", day=MAX_DAY, position=0
    )
    held = programme(event)
    text = WRITERS["roundup"](snapshot_event(event, include_drafts=True))
    assert f"## Day {MAX_DAY} Sessions" in text

    event.delete()
    load_event(document=parse(text, filename="long-conference.md"))

    assert programme(Event.objects.get(slug="long-conference")) == held


def load(text, **options):
    return load_event(document=parse(text, filename="post.md"), **options)


@pytest.mark.django_db
def test_report_of_a_first_load_lists_what_it_created_with_origins():
    report = load(post(session("First Talk", text="About it.\n\n" + YOUTUBE)))

    assert [(change.action, change.model, change.origin) for change in report.changes] == [
        (CREATED, Event, None),
        (CREATED, Speaker, Origin(line=10)),
        (CREATED, Recording, Origin(line=14)),
        (CREATED, Session, Origin(line=10)),
    ]
    assert (report.sessions_created, report.speakers_created, report.recordings_added) == (1, 1, 1)


@pytest.mark.django_db
def test_report_of_a_reload_gives_each_changed_field_old_and_new():
    load(post(session("First Talk"), session("Second Talk")))
    first, second = Session.objects.order_by("position")

    report = load(post(session("First Talk", text="Now about more.")))

    session_changes = [c for c in report.changes if c.model is Session]
    assert [(c.action, c.object_id, c.fields, c.origin) for c in session_changes] == [
        (DELETED, str(second.pk), {}, None),
        (
            CHANGED,
            str(first.pk),
            {"description": ("About it.", "Now about more.")},
            Origin(line=10),
        ),
    ]
    assert (report.sessions_updated, report.sessions_deleted, report.sessions_unchanged) == (
        1,
        1,
        0,
    )
    assert report.deleted_sessions == ["Second Talk"]
    assert report.session_actions == [("updated", report.document.sessions[0])]


@pytest.mark.django_db
def test_report_of_an_unchanged_reload_is_empty():
    text = post(session("First Talk"))
    load(text)

    report = load(text)

    assert (report.changes, report.event_created, report.event_updated) == ([], False, False)
    assert report.sessions_unchanged == 1


@pytest.mark.django_db
def test_dry_run_reports_the_changes_and_writes_nothing():
    report = load(post(session("First Talk")), dry_run=True)

    assert (report.sessions_created, Event.objects.count(), Session.objects.count()) == (1, 0, 0)
