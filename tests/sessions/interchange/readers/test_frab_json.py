"""The frab schedule JSON reader (readers/frab_json.py): a pretalx-style schedule.json, bad
values refused at their JSON pointer, hostile nesting and sizes, fuzzing."""

import json
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from sessions.interchange.document import (
    LinkItem,
    MediaItem,
    Origin,
    RoomItem,
    SessionItem,
    SourceError,
    SpeakerItem,
    TrackItem,
)
from sessions.interchange.readers import READERS, detect_format, sniff
from sessions.interchange.readers.frab_json import MAX_DEPTH, parse, pointer, read

SCHEDULES = Path(__file__).resolve().parents[3] / "fixtures" / "schedules"
NEW_YORK_SUMMER = timezone(timedelta(hours=-4))
DAY = "/schedule/conference/days/0/rooms/Hall A~1B/0"


def fixture():
    return json.loads((SCHEDULES / "schedule.json").read_text())


def refusal(value):
    data = value if isinstance(value, bytes) else json.dumps(value).encode()
    with pytest.raises(SourceError) as error:
        parse(data, source="schedule.json")
    return error.value


def first_event(value):
    return value["schedule"]["conference"]["days"][0]["rooms"]["Hall A/B"][0]


def test_read_pretalx_json():
    document = read(SCHEDULES / "schedule.json")
    assert (document.source_key, document.name, document.time_zone, document.website) == (
        "jsoncon", "JSON Con", "America/New_York", "",
    )  # fmt: skip
    assert (document.start_date, document.end_date) == (date(2025, 6, 10), date(2025, 6, 11))
    assert document.rooms == [
        RoomItem(
            "Hall A/B", "hall-ab", Origin(pointer="/schedule/conference/rooms/0/name"), 500,
            "The big one",
        ),
        RoomItem("Studio", "studio", Origin(pointer="/schedule/conference/rooms/1/name")),
    ]  # fmt: skip
    assert document.tracks == [
        TrackItem("Data", "data", Origin(pointer="/schedule/conference/tracks/0/name"), "#1f5fa8"),
        TrackItem("Web", "web", Origin(pointer="/schedule/conference/tracks/1/name")),
    ]
    assert document.sessions[0] == SessionItem(
        title="Parsing JSON safely",
        source_key="qwerty-parsing-json-safely",  # the acronym "jsoncon-" stripped
        kind="talk",
        day=1,
        position=0,
        origin=Origin(pointer=DAY),
        description="Depth limits.\n\nAnd size caps.",
        speakers=[
            SpeakerItem(
                "Jay Son",
                url="https://pretalx.example.org/jsoncon/speaker/SPK1/",
                origin=Origin(pointer=f"{DAY}/persons/0/name"),
                source_id="urn:uuid:c0ffee00-0000-4000-8000-000000000001",
                bio="Writes parsers.",
            )
        ],
        recordings=[
            MediaItem(
                "youtube", "dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                Origin(pointer=f"{DAY}/links/0/url"), title="Video",
            )
        ],
        slide_decks=[
            MediaItem(
                "slideshare", "abcdefgh12",
                "https://www.slideshare.net/slideshow/embed_code/key/abcdefgh12",
                Origin(pointer=f"{DAY}/attachments/0/url"), title="Slides",
            )
        ],
        starts_at=datetime(2025, 6, 10, 9, tzinfo=NEW_YORK_SUMMER),
        duration=timedelta(minutes=45),
        room="hall-ab",
        track="data",
        language="en",
        guid=uuid.UUID("3f2b1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c01"),
        links=[
            LinkItem(
                "https://github.com/example/parser", "Project",
                Origin(pointer=f"{DAY}/links/1/url"),
            ),
            # url and origin_url are the same page: one link.
            LinkItem(
                "https://pretalx.example.org/jsoncon/talk/QWERTY/",
                "Talk page at pretalx.example.org", Origin(pointer=f"{DAY}/url"),
            ),
            LinkItem(
                "https://pretalx.example.org/jsoncon/talk/QWERTY/feedback/", "Feedback",
                Origin(pointer=f"{DAY}/feedback_url"),
            ),
        ],
    )  # fmt: skip
    studio = document.sessions[1]
    assert (studio.kind, studio.position, studio.room, studio.track, studio.language) == (
        "workshop", 1, "studio", "web", "",
    )  # fmt: skip
    # An old frab person: public_name and a numeric id, unique by the schedule's address.
    assert [(s.name, s.source_id) for s in studio.speakers] == [
        ("Old Frab Person", "https://pretalx.example.org#person-77")
    ]
    assert document.notes == []


def test_rooms_only_in_days_follow_the_listed_ones():
    value = fixture()
    value["schedule"]["conference"]["rooms"] = [{"name": "Studio"}]
    document = parse(json.dumps(value).encode(), source="s.json")
    assert [room.name for room in document.rooms] == ["Studio", "Hall A/B"]


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (lambda e: e.update(start="9 am"), f"{DAY}/start", None),
        (lambda e: e.update(date=None, start="9 am"), f"{DAY}/start",
         "start '9 am' is not a time (HH:MM)"),
        (lambda e: e.update(duration="1:75"), f"{DAY}/duration", "duration 1:75 is not HH:MM"),
        (lambda e: e.update(date="tomorrow"), f"{DAY}/date",
         "date 'tomorrow' is not a date and time (ISO 8601)"),
        (lambda e: e.update(title=["a"]), f"{DAY}/title", "title is not text"),
        (lambda e: e.update(title=True), f"{DAY}/title", "title is not text"),
        (lambda e: e.update(persons={"name": "x"}), f"{DAY}/persons", "persons is not an array"),
        (lambda e: e.update(links=[7]), f"{DAY}/links/0", "a link is not an object"),
        (lambda e: e.update(guid="x"), f"{DAY}/guid", "guid 'x' is not a UUID"),
        (lambda e: e["persons"][0].update(guid="nope"), f"{DAY}/persons/0/guid",
         "person guid 'nope' is not a UUID"),
    ],
)  # fmt: skip
def test_bad_value_refused_at_its_pointer(change, where, message):
    value = fixture()
    change(first_event(value))
    if message is None:  # the date says when: a broken start beside it is not read
        assert parse(json.dumps(value).encode(), source="s.json").sessions
        return
    error = refusal(value)
    assert (str(error.origin), error.message) == (where, message)


def test_bad_structure_refused_at_its_pointer():
    value = fixture()
    value["schedule"]["conference"]["days"][1]["rooms"] = {"Saal 1": {"title": "x"}}
    error = refusal(value)
    assert (str(error.origin), error.message) == (
        "/schedule/conference/days/1/rooms/Saal 1", "room 'Saal 1' is not an array",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"", 1, "file is empty"),
        (b"[1, 2]", 1, "the file is not an object"),
        (b'{"sessions": []}', 1, 'the file has no "schedule": this is not a frab schedule.json'),
        (b'{"schedule": {}}', 1, 'the schedule has no "conference"'),
        (b'{"schedule":\n {"conference": ', 2,
         "not valid JSON: Expecting value (column 17)"),
        (b'{"schedule": NaN}', 1, "not valid JSON: NaN is not a JSON value"),
        (b'{"schedule": ' + b"1" * 5000 + b"}", 1, None),
    ],
)  # fmt: skip
def test_not_a_schedule_refused(data, line, message):
    error = refusal(data)
    assert error.line == line
    if message:
        assert error.message == message
    else:
        assert error.message.startswith("not valid JSON: ")


def test_pointer_escapes():
    assert pointer("schedule", "rooms", "a/b~c", 3) == "/schedule/rooms/a~1b~0c/3"


@pytest.mark.parametrize("opening", [b"[", b'{"a":'])
def test_deep_nesting_refused_before_decoding(opening):
    closing = b"]" if opening == b"[" else b"}"
    data = opening * 200_000 + b"1" + closing * 200_000
    started = time.monotonic()
    assert refusal(data).message == f"nested deeper than {MAX_DEPTH} levels: not a schedule"
    assert time.monotonic() - started < 2


def test_brackets_inside_strings_do_not_count():
    value = fixture()
    first_event(value)["description"] = "[" * 1000 + '\\"{' * 100
    document = parse(json.dumps(value).encode(), source="s.json")
    assert document.sessions[0].description.endswith("{")


def test_millions_of_containers_refused():
    data = b"[" + b"{}," * 1_100_000 + b"{}]"
    started = time.monotonic()
    assert refusal(data).message == "holds more than 1,000,000 objects and arrays: not a schedule"
    assert time.monotonic() - started < 5


def test_control_characters_dropped_from_text():
    value = fixture()
    first_event(value)["title"] = "Parsing\x00 JSON\x1b safely"
    assert parse(json.dumps(value).encode(), source="s.json").sessions[0].title == (
        "Parsing JSON safely"
    )


@pytest.mark.parametrize(
    ("head", "format"),
    [
        (b'{"$schema": "https://c3voc.de/schedule/schema.json", "schedule": {', "frab-json"),
        (b'\xef\xbb\xbf{\n  "schedule": {"conference": {}}}', "frab-json"),
        (b'{"generator": {"name": "pretalx"},\n"schedule"  :  {', "frab-json"),
    ],
)
def test_sniff_json(head, format):
    assert sniff(head, name="export") == format


def test_fixture_detected_and_registered():
    assert detect_format(SCHEDULES / "schedule.json") == "frab-json"
    assert READERS["frab-json"] is read


# Fuzzing: whatever the JSON, a document or a SourceError, never anything else.

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(["25:00", "1:75", "2025-02-30T10:00", "0001-01-01T00:00+01:00", "x", "",
                     "javascript:alert(1)", "9999-12-31T23:59:59-12:00", "99:99:99"]),
)  # fmt: skip
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)  # fmt: skip


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*path, index))


@st.composite
def hostile_json(draw):
    value = fixture()
    for _ in range(draw(st.integers(1, 4))):
        paths = [path for path in _paths(value) if path]
        if not paths:  # an earlier change replaced the whole document with a scalar
            break
        path = draw(st.sampled_from(paths))
        parent = value
        for part in path[:-1]:
            parent = parent[part]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(VALUES)
    return json.dumps(value).encode()


@seed(20250610)
@settings(max_examples=400, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
@given(data=hostile_json())
def test_fuzz_parses_or_refuses_with_a_place(data):
    try:
        document = parse(data, source="fuzz.json")
    except SourceError as error:
        assert error.message.strip() and "\n" not in error.message
        assert str(error.origin)
    else:
        assert all(session.title for session in document.sessions)


@seed(20250611)
@settings(max_examples=200, deadline=None, database=None)
@given(data=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_fuzz_bytes_refused_cleanly(data):
    try:
        parse(b"{" + data, source="fuzz.json")
    except SourceError as error:
        assert error.message.strip() and "\n" not in error.message
