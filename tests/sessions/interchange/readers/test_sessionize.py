"""The Sessionize reader: the All view's JSON in, the neutral document out (no database)."""

import copy
import json
import os
import uuid
from datetime import date, datetime, timedelta
from functools import cache

import pytest
from hypothesis import HealthCheck, event, given, seed, settings
from hypothesis import strategies as st

from sessions.interchange.document import (
    START,
    EventDocument,
    LinkItem,
    MediaItem,
    Note,
    Origin,
    RoomItem,
    SessionItem,
    SourceError,
    SpeakerItem,
    TrackItem,
)
from sessions.interchange.imports import FileNotImported, ImportBatch
from sessions.interchange.readers import READERS, sniff
from sessions.interchange.readers._json import MAX_DEPTH
from sessions.interchange.readers.sessionize import parse, read
from tests.conftest import FIXTURES

DUMP = FIXTURES / "schedules" / "sessionize-all.json"
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2000")) // 4
FUZZ_SEED = int(os.environ.get("FUZZ_SEED", "20231123"))

AMARA_ID = "2b6f1c3d-9e8a-4f7b-b6c5-d4e3f2a1b0c9"
JONAS_ID = "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f"
ZHU_ID = "d1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6"


def at(pointer):
    return Origin(pointer=pointer)


def guid(session_id):
    return uuid.uuid5(uuid.NAMESPACE_URL, f"sessionize:{session_id}")


AMARA = SpeakerItem(
    name="Amara Okafor",
    url="https://www.linkedin.com/in/amara-okafor/",
    company="Principal Engineer at Nimbus",
    origin=at("/speakers/0"),
    source_id=f"sessionize:speaker:{AMARA_ID}",
    bio="Amara builds platforms.\nShe speaks often.",
)
JONAS = SpeakerItem(
    name="Jonas Willén",
    url="https://jonas.example.org/",
    origin=at("/speakers/1"),
    source_id=f"sessionize:speaker:{JONAS_ID}",
)
ZHU = SpeakerItem(
    name="Zhu Li",
    company="Trainer, Container Academy",
    origin=at("/speakers/2"),
    source_id=f"sessionize:speaker:{ZHU_ID}",
    bio="Kubernetes trainer.",
)


def session(index, session_id, title, slug, kind, day, position, **fields):
    return SessionItem(
        title=title,
        source_key=slug,
        kind=kind,
        day=day,
        position=position,
        origin=at(f"/sessions/{index}"),
        guid=guid(session_id),
        **fields,
    )


EXPECTED = EventDocument(
    source=str(DUMP),
    source_key="",
    title="",
    name="",
    has_programme=True,
    start_date=date(2024, 3, 14),
    end_date=date(2024, 3, 15),
    origins={"start_date": at("/sessions/0/startsAt"), "end_date": at("/sessions/5/startsAt")},
    # In the rooms' sort order, not the order of the list.
    rooms=[
        RoomItem("Main Hall", "main-hall", at("/rooms/1")),
        RoomItem("Room B", "room-b", at("/rooms/0")),
        RoomItem("Room C (Panels)", "room-c-panels", at("/rooms/2")),
    ],
    tracks=[
        TrackItem("Cloud & Infrastructure", "cloud-infrastructure", at("/categories/1/items/1")),
        TrackItem("Security", "security", at("/categories/1/items/0")),
    ],
    notes=[
        Note(at("/categories"), "categories not imported (the site has no place for them): Level")
    ],
    sessions=[
        session(
            0,
            "8f3c2a1e-5b7d-4c9e-a1f2-3d4e5f6a7b8c",
            "Registration & Coffee",
            "registration-coffee",
            "other",
            1,
            0,
            starts_at=datetime(2024, 3, 14, 8, 0),
            duration=timedelta(hours=1),
        ),
        session(
            1,
            "612345",
            "Opening Keynote: Clouds Without Borders",
            "opening-keynote-clouds-without-borders",
            "keynote",
            1,
            1,
            description=(
                "Why the next decade of infrastructure is local.\n\nA look at what changed."
            ),
            speakers=[AMARA],
            recordings=[
                MediaItem(
                    "youtube",
                    "dQw4w9WgXcQ",
                    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                    at("/sessions/1/recordingUrl"),
                )
            ],
            links=[
                LinkItem(
                    "https://teams.example.com/l/meetup-join/abc",
                    "Live stream",
                    at("/sessions/1/liveUrl"),
                )
            ],
            starts_at=datetime(2024, 3, 14, 9, 0),
            duration=timedelta(minutes=45),
            room="main-hall",
            track="cloud-infrastructure",
            language="en",
        ),
        # Two sessions at 10:00: Main Hall (sort 1) before Room B (sort 2).
        session(
            3,
            "612347",
            "Kubernetes für Einsteiger",
            "kubernetes-fur-einsteiger",
            "workshop",
            1,
            2,
            description="Ein Workshop mit Übungen.",
            speakers=[ZHU],
            starts_at=datetime(2024, 3, 14, 10, 0),
            duration=timedelta(hours=2),
            room="main-hall",
            track="cloud-infrastructure",
            language="de",
        ),
        session(
            2,
            "612346",
            "Zero Trust, Zero Drama",
            "zero-trust-zero-drama",
            "talk",
            1,
            3,
            description="Threat models for small teams.",
            speakers=[JONAS, AMARA],
            recordings=[
                MediaItem(
                    "vimeo",
                    "76979871",
                    "https://vimeo.com/76979871",
                    at("/sessions/2/recordingUrl"),
                )
            ],
            starts_at=datetime(2024, 3, 14, 10, 0),
            duration=timedelta(minutes=45),
            room="room-b",
            track="security",
            language="en",
        ),
        session(
            4,
            "c0ffee00-1234-4abc-9def-0123456789ab",
            "Lunch",
            "lunch",
            "other",
            1,
            4,
            starts_at=datetime(2024, 3, 14, 12, 0),
            duration=timedelta(hours=1),
            room="main-hall",
        ),
        # Untimed: after the timed sessions of day 1.
        session(
            7,
            "612350",
            "To Be Scheduled",
            "to-be-scheduled",
            "talk",
            1,
            5,
            description="Not on the grid yet.",
        ),
        session(
            5,
            "612348",
            "Five Minutes of Rust",
            "five-minutes-of-rust",
            "lightning",
            2,
            0,
            description="A lightning talk.",
            speakers=[JONAS],
            # A deck given as the "recording": the provider table tells what it is.
            slide_decks=[
                MediaItem(
                    "speakerdeck",
                    "0123456789abcdef0123456789abcdef",
                    "https://speakerdeck.com/player/0123456789abcdef0123456789abcdef",
                    at("/sessions/5/recordingUrl"),
                )
            ],
            starts_at=datetime(2024, 3, 15, 9, 0),
            duration=timedelta(minutes=5),
            room="room-b",
        ),
        session(
            6,
            "612349",
            "Panel: Ask the Maintainers",
            "panel-ask-the-maintainers",
            "talk",
            2,
            1,
            speakers=[AMARA, ZHU, JONAS],
            starts_at=datetime(2024, 3, 15, 9, 0),
            duration=timedelta(hours=1),
            room="room-c-panels",
            track="security",
        ),
    ],
)


@cache
def dump_text():
    return DUMP.read_text(encoding="utf-8")


def dump():
    return json.loads(dump_text())


def parse_json(value):
    return parse(json.dumps(value).encode(), filename="all.json")


def refusal(value):
    with pytest.raises(SourceError) as error:
        parse_json(value) if not isinstance(value, bytes) else parse(value, filename="all.json")
    return error.value.origin, error.value.message


def changed(edit):
    """The fixture with ``edit(data)`` applied."""
    data = dump()
    edit(data)
    return data


# The document -------------------------------------------------------------------------------


def test_read_dump_gives_the_whole_programme():
    assert read(DUMP) == EXPECTED


def test_registry_and_detection_name_the_reader():
    assert READERS["sessionize"] is read
    assert sniff(DUMP.read_bytes(), name="all.json") == "sessionize"
    assert sniff(b'\xef\xbb\xbf  {"sessions": [], "rooms": []}') == "sessionize"
    # The Sessions view (a list of groups) is recognised, and refused with the view to take.
    assert sniff(b'[{"groupId": null, "sessions": [{"isServiceSession": false}]}]') == (
        "sessionize"
    )


def test_sessions_view_refused_with_the_view_to_export():
    assert refusal([{"groupId": None, "groupName": "All", "sessions": []}]) == (
        START,
        "this JSON is a list, not Sessionize's All view: export the All view "
        "(https://sessionize.com/api/v2/<id>/view/All), an object with sessions, speakers "
        "and rooms",
    )


def test_guid_is_stable_and_names_the_session_id():
    first = read(DUMP).sessions[1].guid
    assert first == uuid.UUID("cf60d307-874a-55cb-bec9-ae89d4a6421b")
    assert read(DUMP).sessions[1].guid == first


def test_numeric_ids_read_as_their_text():
    data = changed(lambda d: d["sessions"][1].update(id=612345))
    assert parse_json(data).sessions[1].guid == guid("612345")


def test_times_with_an_offset_keep_it():
    def edit(data):
        data["sessions"][1].update(
            startsAt="2024-03-14T09:00:00+01:00", endsAt="2024-03-14T09:30:00+01:00"
        )

    item = parse_json(changed(edit)).sessions[1]
    assert (item.starts_at.isoformat(), item.duration) == (
        "2024-03-14T09:00:00+01:00",
        timedelta(minutes=30),
    )


def test_minimal_export_needs_only_sessions():
    document = parse_json({"sessions": [{"id": "1", "title": "Only"}]})
    assert document.sessions == [
        SessionItem(
            title="Only",
            source_key="only",
            kind="talk",
            day=1,
            position=0,
            origin=at("/sessions/0"),
            guid=guid("1"),
        )
    ]
    assert (document.rooms, document.tracks, document.start_date) == ([], [], None)


def test_duplicate_titles_get_unique_slugs():
    data = {"sessions": [{"id": "1", "title": "Q & A"}, {"id": "2", "title": "Q: A!"}]}
    assert [s.source_key for s in parse_json(data).sessions] == ["q-a", "q-a-2"]


def test_no_track_category_gives_no_tracks():
    data = changed(lambda d: d["categories"][1].update(title="Topic"))
    document = parse_json(data)
    assert (document.tracks, [s.track for s in document.sessions]) == ([], [""] * 8)
    assert document.notes == [
        Note(
            at("/categories"),
            "categories not imported (the site has no place for them): Topic, Level",
        )
    ]


def test_unknown_references_are_noted_and_left_out():
    def edit(data):
        data["sessions"][1]["speakers"].append("no-such-speaker")
        data["sessions"][1]["roomId"] = 9999
        data["sessions"][1]["categoryItems"].append(123456)  # of a category not published
        data["categories"][3]["items"][0]["name"] = "Klingon"
        data["speakers"][1]["links"][1]["url"] = "javascript:alert(1)"

    document = parse_json(changed(edit))
    keynote = document.sessions[1]
    assert (keynote.speakers, keynote.room, keynote.language) == ([AMARA], "", "")
    assert document.sessions[3].speakers[0].url == ""  # Jonas: no personal web address left
    assert document.notes == [
        Note(at("/categories"), "categories not imported (the site has no place for them): Level"),
        Note(at("/speakers/1/links/1/url"), "link of Jonas Willén left out: not a web address"),
        Note(
            at("/sessions/1/speakers/1"),
            "'Opening Keynote: Clouds Without Borders' names speaker no-such-speaker, whom "
            "/speakers does not list: left out",
        ),
        Note(at("/categories/3/items/0"), "language 'Klingon' is no language we know: left out"),
        Note(
            at("/sessions/1/roomId"),
            "'Opening Keynote: Clouds Without Borders' is in room 9999, which /rooms does not "
            "list: left without a room",
        ),
    ]


def test_company_website_never_identifies_a_speaker():
    data = changed(lambda d: d["speakers"][1]["links"].pop(1))
    assert parse_json(data).sessions[3].speakers[0].url == ""


def test_import_batch_names_the_event_or_refuses():
    document = ImportBatch(format="sessionize", event_slug="devcon-2024", event_name="DevCon").read(
        DUMP
    )
    assert (document.source_key, document.name, document.title) == (
        "devcon-2024",
        "DevCon",
        "DevCon",
    )
    with pytest.raises(FileNotImported) as error:
        ImportBatch().read(DUMP)
    assert error.value.problems == [
        (
            START,
            "the file does not give its event's slug: say which event it is with --event SLUG "
            "and --name NAME (in the admin: the event's slug and name)",
        )
    ]


# Bad input: the JSON pointer of the value -----------------------------------------------------


def _set(path, value):
    def edit(data):
        target = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return edit


def _delete(path):
    def edit(data):
        target = data
        for part in path[:-1]:
            target = target[part]
        del target[path[-1]]

    return edit


BAD_VALUES = [
    (_set(["sessions"], {}), "/sessions", "not a list of sessions"),
    (_set(["sessions", 0], "a session"), "/sessions/0", "not a session (an object)"),
    (_delete(["sessions", 1, "id"]), "/sessions/1/id", "not a session id (text or a number)"),
    (_set(["sessions", 1, "id"], True), "/sessions/1/id", "not a session id (text or a number)"),
    (_set(["sessions", 1, "id"], " "), "/sessions/1/id", "not a session id (text or a number)"),
    (
        _set(["sessions", 2, "id"], "612345"),
        "/sessions/2/id",
        "session id 612345 is also the id of /sessions/1",
    ),
    (_delete(["sessions", 1, "title"]), "/sessions/1/title", "a session without a title"),
    (_set(["sessions", 1, "title"], " \n "), "/sessions/1/title", "a session without a title"),
    (_set(["sessions", 1, "title"], {"en": "Hi"}), "/sessions/1/title", "not text"),
    (_set(["sessions", 1, "description"], 7), "/sessions/1/description", "not text"),
    (
        _set(["sessions", 3, "startsAt"], "2024-13-14T10:00:00"),
        "/sessions/3/startsAt",
        "not a date and time (YYYY-MM-DDTHH:MM:SS): 2024-13-14T10:00:00",
    ),
    (
        _set(["sessions", 3, "startsAt"], "14.03.2024 10:00"),
        "/sessions/3/startsAt",
        "not a date and time (YYYY-MM-DDTHH:MM:SS): 14.03.2024 10:00",
    ),
    (
        _set(["sessions", 3, "endsAt"], 1710410400),
        "/sessions/3/endsAt",
        "not a date and time (text)",
    ),
    (
        _set(["sessions", 3, "endsAt"], "2024-03-14T09:59:00"),
        "/sessions/3/endsAt",
        "the session ends before it starts",
    ),
    (
        lambda d: d["sessions"][5].update(startsAt="2024-07-01T09:00:00", endsAt=None),
        "/sessions/5/startsAt",
        "is 109 days after the first session (2024-03-14): a schedule spans at most 100 days",
    ),
    (_set(["sessions", 1, "roomId"], "3001"), "/sessions/1/roomId", "not a room id (a number)"),
    (
        _set(["sessions", 1, "speakers"], AMARA_ID),
        "/sessions/1/speakers",
        "not a list of speaker ids",
    ),
    (_set(["sessions", 1, "speakers", 0], None), "/sessions/1/speakers/0", "not a speaker id"),
    (
        _set(["sessions", 1, "categoryItems", 1], "201"),
        "/sessions/1/categoryItems/1",
        "not a category item id (a number)",
    ),
    (
        _set(["sessions", 1, "isServiceSession"], "yes"),
        "/sessions/1/isServiceSession",
        "not true or false",
    ),
    (
        _set(["sessions", 1, "recordingUrl"], "javascript:alert(1)"),
        "/sessions/1/recordingUrl",
        "javascript:alert(1) is not a web address",
    ),
    (_set(["sessions", 1, "liveUrl"], ["x"]), "/sessions/1/liveUrl", "not a web address (text)"),
    (_set(["speakers"], {"id": 1}), "/speakers", "not a list of speakers"),
    (_set(["speakers", 0], []), "/speakers/0", "not a speaker (an object)"),
    (_delete(["speakers", 0, "id"]), "/speakers/0/id", "not a speaker id (text or a number)"),
    (_set(["speakers", 0, "fullName"], 42), "/speakers/0/fullName", "not text"),
    (
        lambda d: d["speakers"][2].update(firstName="", lastName=" "),
        "/speakers/2/fullName",
        "a speaker without a name",
    ),
    (
        _set(["speakers", 0, "links"], "https://x.example"),
        "/speakers/0/links",
        "not a list of links",
    ),
    (
        _set(["speakers", 0, "links", 0], "https://x.example"),
        "/speakers/0/links/0",
        "not a link (an object)",
    ),
    (_set(["rooms", 0, "id"], "R1"), "/rooms/0/id", "not a room id (a number)"),
    (_delete(["rooms", 0, "id"]), "/rooms/0/id", "missing: a room id (a number)"),
    (_set(["rooms", 1, "id"], 3002), "/rooms/1/id", "room id 3002 is given twice"),
    (_set(["rooms", 1, "name"], ""), "/rooms/1/name", "a room without a name"),
    (_set(["rooms", 1, "sort"], "first"), "/rooms/1/sort", "not a number"),
    (_set(["categories", 0], 5), "/categories/0", "not a category (an object)"),
    (_set(["categories", 1, "items"], {}), "/categories/1/items", "not a list of items"),
    (
        _set(["categories", 1, "items", 0], 102),
        "/categories/1/items/0",
        "not a category item (an object)",
    ),
    (
        _delete(["categories", 1, "items", 0, "id"]),
        "/categories/1/items/0/id",
        "missing: a category item id (a number)",
    ),
    (
        _set(["categories", 1, "items", 0, "name"], None),
        "/categories/1/items/0/name",
        "a category item without a name",
    ),
]


@pytest.mark.parametrize(("edit", "pointer", "message"), BAD_VALUES)
def test_bad_value_refused_with_its_pointer(edit, pointer, message):
    assert refusal(changed(edit)) == (at(pointer), message)


def test_questions_and_answers_of_any_shape_are_ignored():
    def edit(data):
        data["questions"] = [{"id": "odd", "nested": [[{}]]}]
        data["sessions"][1]["questionAnswers"] = {"not": "a list"}

    assert parse_json(changed(edit)).sessions == EXPECTED.sessions


@pytest.mark.parametrize(
    ("data", "origin", "message"),
    [
        (b"", START, "file is empty"),
        (b" \n\t", START, "file is empty"),
        (b'{"sessions": [', Origin(line=1), "not valid JSON: Expecting value (column 15)"),
        (
            b'{\n"sessions": [],\n"rooms": [}\n',
            Origin(line=3),
            "not valid JSON: Expecting value (column 11)",
        ),
        (b'{"sessions": NaN}', START, "not valid JSON: NaN is not a JSON number"),
        (b'{"sessions": [Infinity]}', START, "not valid JSON: Infinity is not a JSON number"),
        (
            b'{"rooms": []}',
            START,
            'this JSON has no "sessions": export the All view '
            "(https://sessionize.com/api/v2/<id>/view/All)",
        ),
        (
            b'"sessions"',
            START,
            "this JSON is a string, not Sessionize's All view: export the All "
            "view (https://sessionize.com/api/v2/<id>/view/All), an object with sessions, speakers "
            "and rooms",
        ),
        ("{}".encode("utf-16"), START, "is UTF-16 text: save it as UTF-8"),
        (
            b'{"sessions": "\xff"}',
            Origin(line=1),
            "is not UTF-8 text (byte 0xff cannot be decoded)",
        ),
    ],
)
def test_unreadable_json_refused(data, origin, message):
    assert refusal(data) == (origin, message)


def test_huge_number_refused():
    origin, message = refusal(b'{"sessions": [' + b"9" * 5000 + b"]}")
    assert origin == START
    assert message.startswith("not valid JSON: Exceeds the limit (4300 digits)")


def test_nesting_refused_before_parsing():
    deep = b'{"sessions": [], "questions": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert refusal(deep) == (
        Origin(line=1),
        f"arrays and objects nest more than {MAX_DEPTH} levels deep: this is not a schedule",
    )


def test_nesting_at_the_limit_and_brackets_in_strings_are_fine():
    depth = MAX_DEPTH - 1  # the object around it is one level
    nested = "[" * depth + "]" * depth
    title = '[[[[{{{{\\"' * 20
    text = f'{{"sessions": [{{"id": "1", "title": "{title}"}}], "questions": {nested}}}'
    assert parse(text.encode(), filename="all.json").sessions[0].title == title.replace("\\", "")


def test_endless_escaped_quotes_checked_in_linear_time():
    """A string of ``\\"`` never closed: each quote may not rescan the rest of the file."""
    import time

    data = b'{"sessions": ["' + b'\\"' * 2_000_000
    started = time.monotonic()
    with pytest.raises(SourceError):
        parse(data, filename="all.json")
    assert time.monotonic() - started < 2


def test_file_over_the_size_cap_refused(tmp_path):
    path = tmp_path / "all.json"
    with path.open("wb") as sparse:
        sparse.truncate(32 * 1024 * 1024 + 1)
    with pytest.raises(SourceError) as error:
        read(path)
    assert (error.value.origin, error.value.message) == (START, "file is larger than 32 MB")


# Fuzzing --------------------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
INTERESTING_STRINGS = st.sampled_from(
    [
        "",
        " ",
        "2024-03-14T09:00:00",
        "2024-02-30T09:00:00",
        "9999-12-31T23:59:59",
        "0001-01-01T00:00:00",
        "2024-03-14T09:00:00Z",
        "2024-03-14T09:00:00+25:00",
        "2024-03-14T09:00:00.1234567",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://",
        "http://[::1",
        "https://exa\u202emple.com/",
        "\x00",
        "\ud800",
        AMARA_ID,
        "612345",
        "Track",
        "Session format",
        "Language",
        "speaker",
    ]
)


def _paths(value, path=()):
    """Every path into ``value`` (the root included)."""
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*path, index))


@cache
def fixture_paths():
    return [path for path in _paths(dump()) if path]


@st.composite
def hostile_dumps(draw):
    """The fixture with a few values replaced, removed or duplicated, then maybe byte damage."""
    data = dump()
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(fixture_paths()))
        target = data
        try:
            for part in path[:-1]:
                target = target[part]
            action = draw(st.sampled_from(["replace", "string", "delete", "copy"]))
            if action == "replace":
                target[path[-1]] = draw(JSON_VALUES)
            elif action == "string":
                target[path[-1]] = draw(INTERESTING_STRINGS)
            elif action == "delete":
                del target[path[-1]]
            elif isinstance(target, list):
                target.append(copy.deepcopy(target[path[-1]]))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed or replaced this path
    raw = json.dumps(data, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 3)) == 0:
        at_ = draw(st.integers(0, len(raw)))
        raw = raw[:at_] + draw(st.binary(max_size=8)) + raw[at_ + draw(st.integers(0, 4)) :]
    return raw


@seed(FUZZ_SEED)
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=hostile_dumps())
def test_hostile_dump_reads_or_says_where(data):
    try:
        document = parse(data, filename="all.json")
    except SourceError as error:
        event(f"refused: {error.message[:30]}")
        assert error.message.strip()
        assert "\n" not in error.message
        assert error.origin.pointer.startswith("/") or error.origin.line is not None
    else:
        event("read")
        assert all(item.title.strip() for item in document.sessions)
        keys = [item.source_key for item in document.sessions]
        assert len(keys) == len(set(keys))
        rooms = {room.source_key for room in document.rooms}
        assert {item.room for item in document.sessions} <= rooms | {""}


# Loaded ---------------------------------------------------------------------------------------


def test_import_loads_every_session_speaker_and_recording(db):
    from sessions.models import Recording, Session
    from speakers.models import Speaker

    ImportBatch(event_slug="devcon-2024", event_name="DevCon 2024").import_file(DUMP)
    sessions = Session.objects.filter(event__slug="devcon-2024")
    assert sorted(sessions.values_list("slug", "kind")) == sorted(
        (item.source_key, item.kind) for item in EXPECTED.sessions
    )
    assert sorted(Speaker.objects.values_list("name", "company")) == [
        ("Amara Okafor", "Principal Engineer at Nimbus"),
        ("Jonas Willén", ""),
        ("Zhu Li", "Trainer, Container Academy"),
    ]
    assert sorted(Recording.objects.values_list("session__slug", "provider", "provider_key")) == [
        ("opening-keynote-clouds-without-borders", "youtube", "dQw4w9WgXcQ"),
        ("zero-trust-zero-drama", "vimeo", "76979871"),
    ]
