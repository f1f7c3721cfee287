"""``manage.py import_schedule`` end to end, on every fixture format: what the fixture holds is
on the site, a second import changes nothing, ``--dry-run`` prints the diff and writes nothing,
a changed schedule is synced in place, and bad or hostile input exits non-zero with where it is
wrong and the database as it was (``dumpdata`` compared)."""

import datetime
from html import escape
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError

from conference.models import Event
from sessions.interchange.files import MAX_SCHEDULE_BYTES
from sessions.interchange.readers import detect_format
from sessions.models import Session
from tests.factories import UserFactory
from tests.local_http import local_http_server

SCHEDULES = Path(__file__).resolve().parents[1] / "fixtures" / "schedules"
UTC = datetime.UTC
SPEAKERDECK = "https://speakerdeck.com/player/0123456789abcdef0123456789abcdef"
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
        "Welcome to FOSDEM 2013": ("Janson", at("2013-02-02T10:30"), 25, ["FOSDEM Staff"], [],
                                   ["https://archive.example.org/2013/welcome/slides.pdf"],
                                   ["https://video.example.org/2013/janson/welcome.mp4",
                                    "https://video.example.org/2013/janson/welcome.webm",
                                    "https://submission.example.org/feedback/1234.php"]),
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
                                 [SPEAKERDECK], []),
        "Panel: Ask the Maintainers": ("Room C (Panels)", at("2024-03-15T09:00"), 60,
                                       ["Amara Okafor", "Zhu Li", "Jonas Willén"], [], [], []),
    }),
    "schedule-comma.csv": ("csvconf", {
        "Hallway track": (None, None, None, [], [], [], []),
        "Opening Keynote": ("Main Hall", at("2024-03-14T09:00"), 45, ["Amara Okafor"],
                            ["https://www.youtube.com/watch?v=dQw4w9WgXcQ"],
                            [SPEAKERDECK], []),
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


@pytest.mark.django_db
def test_dry_run_prints_the_diff_and_writes_nothing():
    before = dump()

    output = run(SCHEDULES / "ccc.xml", "--dry-run")

    assert dump() == before
    lines = output.splitlines()
    assert lines[2] == (
        f"Would import {SCHEDULES / 'ccc.xml'}: 99th Chaos Example Congress (created) "
        "-> /events/99c3/"
    )
    assert [line.strip() for line in lines if line.startswith("  created")] == [
        "created  event 99th Chaos Example Congress",
        "created  room Saal 1 (line 23)", "created  room Saal Zwei (line 70)",
        "created  track Security (line 18)", "created  track Art & Beauty (line 19)",
        "created  track Ethics (line 20)",
        "created  speaker Herald (line 42)", "created  speaker Picker (line 83)",
        "created  speaker Night Owl (line 63)",
        "created  session Opening (line 24)", "created  session Lockpicking (line 71)",
        "created  session After Midnight (line 51)",
    ]  # fmt: skip
    assert lines[-1] == "  dry run: nothing was written"


def changed_ccc(tmp_path):
    """ccc.xml with Lockpicking moved to Saal 1 at 13:00, Opening retitled, After Midnight
    dropped."""
    text = (SCHEDULES / "ccc.xml").read_text()
    start, end = (
        text.index('      <event guid="0e6c5b5e-6b1f-4cbb-bb9f-1a9a5a5c0002"'),
        text.index("    </room>"),
    )
    text = text[:start] + text[end:]
    text = text.replace("<title>Opening</title>", "<title>Grand Opening</title>")
    text = text.replace(
        "<date>2099-12-27T11:00:00+01:00</date>\n        <start>11:00</start>\n        "
        "<duration>02:00</duration>\n        <room>Saal Zwei</room>",
        "<date>2099-12-27T13:00:00+01:00</date>\n        <start>13:00</start>\n        "
        "<duration>02:00</duration>\n        <room>Saal 1</room>",
    )
    text = text.replace('<room name="Saal Zwei"', '<room name="Saal 1"')
    path = tmp_path / "ccc.xml"
    path.write_text(text)
    return path


@pytest.mark.django_db
def test_changed_schedule_is_synced_in_place_with_each_change_reported(tmp_path):
    run(SCHEDULES / "ccc.xml")
    pks = dict(Session.objects.values_list("title", "pk"))

    output = run(changed_ccc(tmp_path), "-v", "2")

    assert on_the_site("99c3") == {
        "Grand Opening": ("Saal 1", at("2099-12-27T10:00"), 40, ["Herald"],
                          ["https://vimeo.com/76979871"], [],
                          ["https://cdn.media.example.org/congress/99c3/h264-hd/99c3-11001-opening.mp4",
                           "https://fahrplan.example.org/99c3/events/11001.html"]),
        "Lockpicking": ("Saal 1", at("2099-12-27T12:00"), 120, ["Picker"], [], [], []),
    }  # fmt: skip
    assert dict(Session.objects.values_list("title", "pk")) == {
        "Grand Opening": pks["Opening"],
        "Lockpicking": pks["Lockpicking"],
    }
    lines = [line.strip() for line in output.splitlines()]
    assert "title: Opening → Grand Opening" in lines
    assert "starts_at: 2099-12-27 11:00 → 2099-12-27 13:00" in lines
    assert "room: Saal Zwei → Saal 1" in lines
    assert "deleted  session After Midnight" in lines
    assert "deleted  room Saal Zwei" in lines
    assert "sessions: 0 created, 2 updated, 0 unchanged, 1 deleted" in lines


@pytest.mark.django_db
def test_room_clashes_of_the_source_are_kept_and_printed(tmp_path):
    text = (
        (SCHEDULES / "ccc.xml").read_text().replace("<room>Saal Zwei</room>", "<room>Saal 1</room>")
    )
    path = tmp_path / "clash.xml"
    path.write_text(text.replace('<room name="Saal Zwei"', '<room name="Saal 1"'))

    output = run(path)

    assert on_the_site("99c3")["Lockpicking"][:2] == ("Saal 1", at("2099-12-27T10:00"))
    clashes = [line.strip() for line in output.splitlines() if line.startswith("  room clash")]
    assert clashes == [
        "room clash: Saal 1, Sun 11:00 to 11:40: “Opening” overlaps “Lockpicking” "
        "(Sun 11:00 to 13:00)"
    ]


@pytest.mark.django_db
def test_draft_imports_the_event_and_sessions_unpublished(client):
    output = import_fixture("pretalx.xml", "--draft")

    assert "(created, draft)" in output
    assert Event.objects.get(slug="democon-2025").is_published is False
    assert set(Session.objects.values_list("is_published", flat=True)) == {False}
    assert client.get("/events/democon-2025/").status_code == 404


@pytest.mark.django_db
def test_user_records_the_history_under_that_user():
    organiser = UserFactory(username="orga")

    import_fixture("ccc.xml", "--user", "orga")

    assert set(LogEntry.objects.values_list("user__username", flat=True)) == {organiser.username}
    message = refused(SCHEDULES / "ccc.xml", "--user", "nobody")
    assert message == "--user nobody: no such user; nothing was imported."


@pytest.mark.django_db
def test_url_import_with_private_addresses_allowed(settings):
    settings.IMPORT_ALLOW_PRIVATE_URLS = True
    with local_http_server({"schedule.xml": (SCHEDULES / "pretalx.xml").read_bytes()}) as base:
        run(f"{base}/files/schedule.xml")

    assert on_the_site("democon-2025") == EXPECTED["pretalx.xml"][1]


@pytest.mark.django_db
def test_url_import_of_a_private_address_is_refused(settings):
    settings.IMPORT_ALLOW_PRIVATE_URLS = False
    with local_http_server({"schedule.xml": (SCHEDULES / "pretalx.xml").read_bytes()}) as base:
        message = refused(f"{base}/files/schedule.xml")

    assert message.splitlines()[1] == (
        f"{base}/files/schedule.xml:1: 127.0.0.1 is a private or local address (127.0.0.1): only "
        "public addresses can be imported from (IMPORT_ALLOW_PRIVATE_URLS allows others)"
    )


XXE = """<?xml version="1.0"?>
<!DOCTYPE schedule [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<schedule><conference><acronym>xxe</acronym><title>&secret;</title></conference></schedule>
"""
DOCTYPE_REFUSED = (
    "the document type declares entities or other markup (<!DOCTYPE ... [...]>): a schedule "
    "needs none (refused)"
)
LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<schedule><conference><acronym>lol</acronym><title>&lol4;</title></conference></schedule>
"""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "extra", "expected"),
    [
        ("broken.xml", (SCHEDULES / "ccc.xml").read_text().replace("</title>", "</titel>", 1), [],
         "broken.xml:10: not well-formed XML: Opening and ending tag mismatch: title line 10 "
         "and titel"),
        ("xxe.xml", XXE, [], f"xxe.xml:2: {DOCTYPE_REFUSED}"),
        ("laughs.xml", LAUGHS, [], f"laughs.xml:2: {DOCTYPE_REFUSED}"),
        ("bad.json", (SCHEDULES / "schedule.json").read_text().replace('"00:45"', '"forty"', 1), [],
         "bad.json: /schedule/conference/days/0/rooms/Hall A~1B/0/duration: duration 'forty' "
         "is not HH:MM"),
        ("bad.csv", (SCHEDULES / "schedule-comma.csv").read_text().replace(",45,", ",forty,", 1),
         ["--event", "csvconf", "--name", "CSV Conf"],
         "bad.csv:2: column 'duration': forty is not a duration (minutes, as 45, or HH:MM)"),
    ],
)  # fmt: skip
def test_bad_input_exits_non_zero_and_changes_nothing(tmp_path, name, content, extra, expected):
    run(SCHEDULES / "pretalx.xml")  # something the failed import must leave alone
    path = tmp_path / name
    path.write_text(content)

    message = refused(path, *extra)

    assert message.splitlines()[0] == "1 of 1 file(s) not imported (imported: none):"
    assert message.splitlines()[1:] == [f"{tmp_path}/{expected}"]


@pytest.mark.django_db
def test_file_too_big_is_refused_unread(tmp_path):
    path = tmp_path / "huge.xml"
    with path.open("wb") as handle:
        handle.write(b'<?xml version="1.0"?>\n<schedule>\n')
        handle.truncate(MAX_SCHEDULE_BYTES + 1)  # the rest sparse: a size, nothing to read

    message = refused(path)

    assert message.splitlines()[1] == f"{path}:1: file is larger than 32 MB"
