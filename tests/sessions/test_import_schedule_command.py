"""``manage.py import_schedule`` end to end, on every fixture format: what the fixture holds is
on the site, a second import changes nothing, ``--dry-run`` prints the diff and writes nothing,
a changed schedule is synced in place, and bad or hostile input exits non-zero with where it is
wrong and the database as it was (``dumpdata`` compared)."""

import datetime
import shutil
from html import escape
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError

from conference.models import Event
from sessions.interchange.readers import detect_format
from sessions.models import Session
from tests.factories import UserFactory
from tests.local_http import local_http_server

SCHEDULES = Path(__file__).resolve().parents[1] / "fixtures" / "schedules"
UTC = datetime.UTC
# The event each fixture makes; Sessionize and CSV files name none: the tests give these.
NAMED = {
    "sessionize-all.json": ("devday", "Dev Day 2024"),
    "schedule-comma.csv": ("csvconf", "CSV Conf"),
}


def at(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


# Per fixture: {title: (room, start in UTC, duration in minutes, speakers, recordings, decks,
# links)}, read off the fixture by hand (times converted from the file's offsets).
EXPECTED = {
    "pretalx.xml": ("democon-2025", {
        "Opening Keynote": ("Main Hall", at("2025-03-01T09:00"), 45, ["Ada Lovelace"],
                            ["https://www.youtube.com/watch?v=dQw4w9WgXcQ"], [],
                            ["https://pretalx.example.org/democon-2025/talk/ABCDEF/"]),
        "Hackathon": ("Main Hall", at("2025-03-01T10:00"), 26 * 60 + 30,
                      ["Ada Lovelace", "Grace Hopper"], [], [],
                      ["https://pretalx.example.org/democon-2025/talk/GHJKLM/"]),
        "Lightning Talks": ("Room B", at("2025-03-01T09:00"), 30, [], [], [],
                            ["https://pretalx.example.org/democon-2025/talk/NPQRST/"]),
        "Panel on the Future": ("Room B", at("2025-03-02T08:30"), 50, ["Grace Hopper"], [], [],
                                ["https://pretalx.example.org/democon-2025/talk/VWXYZ1/"]),
    }),
    "ccc.xml": ("99c3", {
        "Opening": ("Saal 1", at("2099-12-27T10:00"), 40, ["Herald"],
                    ["https://vimeo.com/76979871"], [],
                    ["https://cdn.media.example.org/congress/99c3/h264-hd/99c3-11001-opening.mp4",
                     "https://fahrplan.example.org/99c3/events/11001.html"]),
        "After Midnight": ("Saal 1", at("2099-12-27T23:30"), 60, ["Night Owl"], [],
                           ["https://speakerdeck.com/ada/after-midnight"], []),
        "Lockpicking": ("Saal Zwei", at("2099-12-27T10:00"), 120, ["Picker"], [], [], []),
    }),
    "fosdem-2013.xml": ("fosdem-2013", {
        "Welcome to FOSDEM 2013": ("Janson", at("2013-02-02T10:30"), 25, ["FOSDEM Staff"], [], [],
                                   ["https://video.example.org/2013/janson/welcome.mp4",
                                    "https://video.example.org/2013/janson/welcome.webm",
                                    "https://submission.example.org/feedback/1234.php",
                                    "https://archive.example.org/2013/welcome/slides.pdf"]),
        "Freedom": ("Janson", at("2013-02-02T09:30"), 50, ["Eben Example"], [], [],
                    ["https://video.example.org/2013/janson/freedom.mp4"]),
        "A tool in 15 minutes": ("K.1.105", at("2013-02-02T10:30"), 15, ["Eben Example"],
                                 [], [], []),
        "Welcome again": ("K.1.105", at("2013-02-03T12:00"), 15, [], [], [], []),
    }),
    "wafer-pentabarf.xml": ("pyconza2024", {
        "Typing in practice": ("Auditorium", at("2024-10-03T07:00"), 30, ["Thandi Example"],
                               [], [], ["https://za.pycon.example.org/talks/12-typing-in-practice/"]),
        "Tea": ("Auditorium", at("2024-10-03T07:30"), 15, [], [], [],
                ["https://za.pycon.example.org/schedule/13/"]),
    }),
    "schedule.json": ("jsoncon", {
        "Parsing JSON safely": ("Hall A/B", at("2025-06-10T13:00"), 45, ["Jay Son"],
                                ["https://www.youtube.com/watch?v=dQw4w9WgXcQ"],
                                ["https://www.slideshare.net/slideshow/embed_code/key/abcdefgh12"],
                                ["https://github.com/example/parser",
                                 "https://pretalx.example.org/jsoncon/talk/QWERTY/",
                                 "https://pretalx.example.org/jsoncon/talk/QWERTY/feedback/"]),
        "Hands-on: schemas": ("Studio", at("2025-06-10T13:00"), 90, ["Old Frab Person"], [], [],
                              ["https://pretalx.example.org/jsoncon/talk/ASDFGH/"]),
    }),
    "sessionize-all.json": ("devday", {
        "To Be Scheduled": (None, None, None, [], [], [], []),
        "Registration & Coffee": (None, at("2024-03-14T08:00"), 60, [], [], [], []),
        "Opening Keynote: Clouds Without Borders": (
            "Main Hall", at("2024-03-14T09:00"), 45, ["Amara Okafor"],
            ["https://www.youtube.com/watch?v=dQw4w9WgXcQ"], [],
            ["https://teams.example.com/l/meetup-join/abc"]),
        "Kubernetes für Einsteiger": ("Main Hall", at("2024-03-14T10:00"), 120, ["Zhu Li"],
                                      [], [], []),
        "Zero Trust, Zero Drama": ("Room B", at("2024-03-14T10:00"), 45,
                                   ["Jonas Willén", "Amara Okafor"],
                                   ["https://vimeo.com/76979871"], [], []),
        "Lunch": ("Main Hall", at("2024-03-14T12:00"), 60, [], [], [], []),
        "Five Minutes of Rust": ("Room B", at("2024-03-15T09:00"), 5, ["Jonas Willén"], [],
                                 ["https://speakerdeck.com/player/0123456789abcdef0123456789abcdef"], []),
        "Panel: Ask the Maintainers": ("Room C (Panels)", at("2024-03-15T09:00"), 60,
                                       ["Amara Okafor", "Zhu Li", "Jonas Willén"], [], [], []),
    }),
    "schedule-comma.csv": ("csvconf", {
        "Hallway track": (None, None, None, [], [], [], []),
        "Opening Keynote": ("Main Hall", at("2024-03-14T09:00"), 45, ["Amara Okafor"],
                            ["https://www.youtube.com/watch?v=dQw4w9WgXcQ"],
                            ["https://speakerdeck.com/player/0123456789abcdef0123456789abcdef"], []),
        "Kubernetes für Einsteiger 🚢": ("Main Hall", at("2024-03-14T10:00"), 120, ["Zhu Li"],
                                        [], [], []),
        "Zero Trust, Zero Drama": ("Room B", at("2024-03-14T10:00"), 45, ["Jonas Willén", "Zhu Li"],
                                   ["https://vimeo.com/76979871",
                                    "https://www.youtube.com/watch?v=dQw4w9WgXcQ"],
                                   ["https://www.slideshare.net/slideshow/embed_code/key/AbCdEf1234"],
                                   ["https://example.org/zero-trust.html"]),
        "Lunch": ("Main Hall", at("2024-03-14T12:00"), 60, [], [], [], []),
        "=1+2 ways to say hello": ("Room B", at("2024-03-15T09:00"), 5, ["@someone"], [], [], []),
    }),
}  # fmt: skip
FORMATS = {
    "pretalx.xml": "frab-xml", "ccc.xml": "frab-xml", "fosdem-2013.xml": "frab-xml",
    "wafer-pentabarf.xml": "frab-xml", "schedule.json": "frab-json",
    "sessionize-all.json": "sessionize", "schedule-comma.csv": "csv",
}  # fmt: skip


def run(*args, **options):
    """The command's output; ``CommandError`` when it refuses."""
    out = StringIO()
    call_command(
        "import_schedule", *[str(arg) for arg in args], stdout=out, stderr=StringIO(), **options
    )
    return out.getvalue()


def naming(name):
    """The ``--event``/``--name`` a fixture needs (none for files that name their event)."""
    if name not in NAMED:
        return []
    slug, title = NAMED[name]
    return ["--event", slug, "--name", title]


def import_fixture(name, *extra):
    return run(SCHEDULES / name, *naming(name), *extra)


def dump():
    """Every row of every table, as dumpdata prints it."""
    out = StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


def on_the_site(slug):
    """``{title: (room, start, minutes, speakers, recordings, decks, links)}`` of the event."""
    sessions = (
        Session.objects.filter(event__slug=slug)
        .select_related("room")
        .prefetch_related("session_speakers__speaker", "recordings", "slide_decks", "links")
    )
    return {
        session.title: (
            session.room.name if session.room else None,
            session.starts_at,
            int(session.duration.total_seconds()) // 60 if session.duration else None,
            [speaker.name for speaker in session.ordered_speakers],
            [recording.url for recording in session.recordings.all()],
            [deck.url for deck in session.slide_decks.all()],
            [link.url for link in session.links.all()],
        )
        for session in sessions
    }


def refused(*args, **options):
    """Run the command expecting a refusal; its message, checking nothing was written."""
    before = dump()
    with pytest.raises(CommandError) as error:
        run(*args, **options)
    assert dump() == before
    return str(error.value)


@pytest.mark.django_db
@pytest.mark.parametrize("name", EXPECTED)
def test_every_session_of_the_fixture_is_on_the_site(client, name):
    import_fixture(name)

    slug, expected = EXPECTED[name]
    assert on_the_site(slug) == expected
    event = Event.objects.get(slug=slug)
    timed = [title for title, row in expected.items() if row[1] is not None]
    pages = {
        event.get_absolute_url(): list(expected),
        f"{event.get_absolute_url()}schedule/": timed,
    }
    for path, titles in pages.items():
        page = client.get(path).content.decode()
        assert [title for title in titles if escape(title, quote=False) not in page] == [], path


@pytest.mark.django_db
@pytest.mark.parametrize("name", EXPECTED)
def test_second_import_changes_nothing(name):
    import_fixture(name)
    before = dump()

    output = import_fixture(name)

    assert dump() == before
    summary = next(line for line in output.splitlines() if line.startswith("Imported"))
    assert summary.endswith(f"(unchanged) -> /events/{EXPECTED[name][0]}/")
    assert "sessions: 0 created, 0 updated" in output


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMED)
def test_file_without_its_event_is_refused_without_event_and_name(name):
    message = refused(SCHEDULES / name)

    assert message == (
        f"1 of 1 file(s) not imported (imported: none):\n{SCHEDULES / name}:1: the file does "
        "not give its event's slug: say which event it is with --event SLUG and --name NAME "
        "(in the admin: the event's slug and name)"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", EXPECTED)
def test_format_is_detected_and_can_be_given(name):
    assert detect_format(SCHEDULES / name) == FORMATS[name]

    import_fixture(name, "--format", FORMATS[name])

    slug, expected = EXPECTED[name]
    assert set(on_the_site(slug)) == set(expected)
