"""The CSV schedule reader: a spreadsheet's rows in, the neutral document out (no database)."""

import os
import re
from datetime import date, datetime, time, timedelta
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
from sessions.interchange.readers import READERS, detect_format, sniff
from sessions.interchange.readers.csv_schedule import parse, read
from tests.conftest import FIXTURES

SCHEDULES = FIXTURES / "schedules"
COMMA = SCHEDULES / "schedule-comma.csv"
SEMICOLON = SCHEDULES / "schedule-semicolon.csv"
TAB = SCHEDULES / "schedule-tab.tsv"
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2000")) // 4
FUZZ_SEED = int(os.environ.get("FUZZ_SEED", "20231123"))

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
DECK = "https://speakerdeck.com/player/0123456789abcdef0123456789abcdef"


def line(number):
    return Origin(line=number)


def row(number, title, slug, kind, day, position, **fields):
    speakers = [SpeakerItem(name, origin=line(number)) for name in fields.pop("speakers", [])]
    return SessionItem(
        title=title,
        source_key=slug,
        kind=kind,
        day=day,
        position=position,
        origin=line(number),
        speakers=speakers,
        **fields,
    )


EXPECTED_COMMA = EventDocument(
    source=str(COMMA),
    source_key="",
    title="",
    name="",
    has_programme=True,
    start_date=date(2024, 3, 14),
    end_date=date(2024, 3, 15),
    origins={"start_date": line(2), "end_date": line(7)},
    rooms=[RoomItem("Main Hall", "main-hall", line(2)), RoomItem("Room B", "room-b", line(5))],
    tracks=[TrackItem("Cloud", "cloud", line(2)), TrackItem("Security", "security", line(5))],
    notes=[Note(line(1), "columns not imported: Notes")],
    sessions=[
        # The description's cell runs over lines 2 to 4.
        row(
            2,
            "Opening Keynote",
            "opening-keynote",
            "keynote",
            1,
            0,
            speakers=["Amara Okafor"],
            description="Why the next decade is local.\n\nA second paragraph, with a comma.",
            recordings=[MediaItem("youtube", "dQw4w9WgXcQ", YOUTUBE, line(2))],
            slide_decks=[
                MediaItem("speakerdeck", "0123456789abcdef0123456789abcdef", DECK, line(2))
            ],
            starts_at=datetime(2024, 3, 14, 9, 0),
            duration=timedelta(minutes=45),
            room="main-hall",
            track="cloud",
        ),
        # Two sessions at 10:00: Main Hall (the first room named) before Room B.
        row(
            6,
            "Kubernetes für Einsteiger 🚢",
            "kubernetes-fur-einsteiger",
            "workshop",
            1,
            1,
            speakers=["Zhu Li"],
            description="Ein Workshop mit Übungen.",
            starts_at=datetime(2024, 3, 14, 10, 0),
            duration=timedelta(hours=2),
            room="main-hall",
            track="cloud",
        ),
        row(
            5,
            "Zero Trust, Zero Drama",
            "zero-trust-zero-drama",
            "talk",
            1,
            2,
            speakers=["Jonas Willén", "Zhu Li"],
            description="Threat models.",
            recordings=[
                MediaItem("vimeo", "76979871", "https://vimeo.com/76979871", line(5)),
                MediaItem("youtube", "dQw4w9WgXcQ", YOUTUBE, line(5)),
            ],
            slide_decks=[
                MediaItem(
                    "slideshare",
                    "AbCdEf1234",
                    "https://www.slideshare.net/slideshow/embed_code/key/AbCdEf1234",
                    line(5),
                )
            ],
            links=[LinkItem("https://example.org/zero-trust.html", "Slides", line(5))],
            starts_at=datetime(2024, 3, 14, 10, 0),
            duration=timedelta(minutes=45),
            room="room-b",
            track="security",
        ),
        row(
            8,
            "Lunch",
            "lunch",
            "other",
            1,
            3,
            starts_at=datetime(2024, 3, 14, 12, 0),
            duration=timedelta(hours=1),
            room="main-hall",
        ),
        # No date and no day: day 1, after the timed sessions.
        row(9, "Hallway track", "hallway-track", "talk", 1, 4, description="Anytime."),
        # The apostrophes that kept a spreadsheet from running "=1+2..." and "@someone" go.
        row(
            7,
            "=1+2 ways to say hello",
            "12-ways-to-say-hello",
            "lightning",
            2,
            0,
            speakers=["@someone"],
            starts_at=datetime(2024, 3, 15, 9, 0),
            duration=timedelta(minutes=5),
            room="room-b",
        ),
    ],
)

EXPECTED_SEMICOLON = EventDocument(
    source=str(SEMICOLON),
    source_key="",
    title="",
    name="",
    has_programme=True,
    rooms=[RoomItem("Saal 1", "saal-1", line(2)), RoomItem("Saal 2", "saal-2", line(3))],
    tracks=[TrackItem("Sprachen", "sprachen", line(3))],
    sessions=[
        # Days without dates: the time of day stays a time, the loader places it on the day.
        row(
            2,
            "Welcome",
            "welcome",
            "keynote",
            1,
            0,
            speakers=["Ada Lovelace"],
            start_time=time(9, 0),
            duration=timedelta(minutes=15),
            room="saal-1",
        ),
        row(
            3,
            "Rust im Alltag",
            "rust-im-alltag",
            "talk",
            1,
            1,
            speakers=["Grete Müller, PhD"],  # a comma stays in the name
            start_time=time(9, 30),
            duration=timedelta(hours=1),
            room="saal-2",
            track="sprachen",
        ),
        row(
            4,
            "Panel der Maintainer",
            "panel-der-maintainer",
            "panel",
            2,
            0,
            speakers=["Ada Lovelace", "Grete Müller"],
            start_time=time(9, 30),
            duration=timedelta(hours=1, minutes=30),
            room="saal-1",
        ),
        row(5, "Ohne Zeit", "ohne-zeit", "talk", 2, 1),
    ],
)

EXPECTED_TAB = EventDocument(
    source=str(TAB),
    source_key="",
    title="",
    name="",
    has_programme=True,
    start_date=date(2024, 6, 1),
    end_date=date(2024, 6, 1),
    origins={"start_date": line(2), "end_date": line(2)},
    rooms=[RoomItem("Salle A", "salle-a", line(2)), RoomItem("Salle B", "salle-b", line(3))],
    sessions=[
        row(
            3,
            "Évening talk",
            "evening-talk",
            "talk",
            1,
            0,
            speakers=["José Díaz"],
            starts_at=datetime(2024, 6, 1, 9, 0),
            duration=timedelta(minutes=45),  # from the end column
            room="salle-b",
            language="en",  # from "English"
        ),
        row(
            2,
            "Café au lait",
            "cafe-au-lait",
            "talk",
            1,
            1,
            speakers=["José Díaz"],
            description="Un café.",
            starts_at=datetime(2024, 6, 1, 14, 0),
            duration=timedelta(minutes=30),
            room="salle-a",
            language="fr",
        ),
    ],
)


@pytest.mark.parametrize(
    ("path", "expected"),
    [(COMMA, EXPECTED_COMMA), (SEMICOLON, EXPECTED_SEMICOLON), (TAB, EXPECTED_TAB)],
    ids=["comma-bom-crlf-dates-minutes", "semicolon-days-hhmm", "tab-end-language-synonyms"],
)
def test_read_schedule_gives_the_whole_programme(path, expected):
    assert read(path) == expected


def test_registry_and_detection_name_the_reader(tmp_path):
    assert READERS["csv"] is read
    for path in (COMMA, SEMICOLON, TAB):
        renamed = tmp_path / f"{path.stem}.txt"  # recognised by its header, not its name
        renamed.write_bytes(path.read_bytes())
        assert detect_format(renamed) == "csv"
    assert sniff(b"Title,Speakers\n") == "csv"
    assert sniff(b"anything at all", name="programme.CSV") == "csv"
    # A post whose first line holds "title" and a comma is not a CSV.
    assert sniff(b"# A title, and more\n\nText.") == "roundup"
    assert sniff(b"title\n") == "roundup"


def parse_text(text):
    return parse(text.encode(), filename="schedule.csv")


def refusal(text):
    with pytest.raises(SourceError) as error:
        parse(text if isinstance(text, bytes) else text.encode(), filename="schedule.csv")
    return error.value.origin, error.value.message


HEADER = "title,speakers,date,day,start,end,duration,kind,language,video\n"


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (",Ada,2024-03-14,,09:00,,,,,", "column 'title': empty: every row needs a title"),
        ("T,,14/03/2024,,,,,,,", "column 'date': 14/03/2024 is not a date (YYYY-MM-DD)"),
        ("T,,2024-02-30,,,,,,,", "column 'date': 2024-02-30 is not a date (YYYY-MM-DD)"),
        ("T,,,one,,,,,,", "column 'day': one is not a day number (1, 2...)"),
        ("T,,,0,,,,,,", "column 'day': 0: days are numbered from 1 to 100"),
        # A value over two lines is quoted with its line break escaped: a message is one line.
        ('T,,,"1\n2",,,,,,', "column 'day': '1\\n2' is not a day number (1, 2...)"),
        ("T,,,101,,,,,,", "column 'day': 101: days are numbered from 1 to 100"),
        ("T,,2024-03-14,,25:00,,,,,", "column 'start': 25:00 is not a time (HH:MM)"),
        ("T,,2024-03-14,,9h30,,,,,", "column 'start': 9h30 is not a time (HH:MM)"),
        ("T,,2024-03-14,,09:60,,,,,", "column 'start': 09:60 is not a time (HH:MM)"),
        (
            "T,,,,09:00,,,,,",
            "column 'start': 09:00 has no date: give the row a date or a day",
        ),
        ("T,,,1,,10:00,,,,", "column 'end': 10:00 has no start: give the row a start"),
        (
            "T,,,1,10:00,09:30,,,,",
            "column 'end': 09:30 is not after the start 10:00 (for a session past midnight, "
            "give a duration)",
        ),
        (
            "T,,,1,10:00,10:30,45,,,",
            "column 'duration': 45, but the start and the end are 30 minutes apart",
        ),
        (
            "T,,,1,10:00,,forty,,,",
            "column 'duration': forty is not a duration (minutes, as 45, or HH:MM)",
        ),
        (
            "T,,,1,10:00,,1:75,,,",
            "column 'duration': 1:75 is not a duration (minutes, as 45, or HH:MM)",
        ),
        ("T,,,1,10:00,,20000,,,", "column 'duration': 20000 is longer than 7 days"),
        (
            "T,,,,,,,seminar,,",
            "column 'kind': 'seminar' is not a kind (one of talk, keynote, panel, workshop, "
            "demo, lightning, tutorial, other)",
        ),
        ("T,,,,,,,,Klingon,", "column 'language': 'Klingon' is not a language (en, fr, pt-BR...)"),
        (
            "T,,,,,,,,,youtube.com/x",
            "column 'video': 'youtube.com/x' is not a web address (https://...)",
        ),
        (
            "T,,,,,,,,,https://youtu.be/dQw4w9WgXcQ javascript:alert(1)",
            "column 'video': 'javascript:alert(1)' is not a web address (https://...)",
        ),
        (
            "T,,,,,,,,,,extra",
            "the row has 11 cells and the header 10: is a cell holding the delimiter left "
            "without quotes?",
        ),
    ],
)
def test_bad_cell_refused_with_its_line_and_column(cells, message):
    text = HEADER + "Fine,,2024-03-14,,08:00,,30,,,\n" + cells + "\n"
    assert refusal(text) == (line(3), message)


def test_error_names_the_physical_line_after_a_cell_over_several_lines():
    text = 'title,description,start\n"A","one\ntwo\nthree",\nB,,09:00\n'
    assert refusal(text) == (
        line(5),
        "column 'start': 09:00 has no date: give the row a date or a day",
    )


def test_blank_lines_before_the_header_and_between_rows_are_skipped():
    text = "\n  \ntitle;day\n\nA;1\n;\nB;2\n"
    document = parse_text(text)
    assert [(s.title, s.day, s.position, s.origin) for s in document.sessions] == [
        ("A", 1, 0, line(5)),
        ("B", 2, 0, line(7)),
    ]


def test_a_file_of_dates_more_than_100_days_apart_refused():
    text = "title,date\nA,2024-01-01\nB,2024-06-01\n"
    assert refusal(text) == (
        line(3),
        "column 'date': 2024-06-01 is 152 days after the first date (2024-01-01): a schedule "
        "spans at most 100 days",
    )


@pytest.mark.parametrize(
    ("data", "origin", "message"),
    [
        (b"", START, "file is empty"),
        (b"\n \r\n", START, "file is empty"),
        (
            b"speakers,start\nAda,09:00\n",
            line(1),
            "the first line must name the columns, one of them 'title' (the others: speakers, "
            "date, day, start, end, duration, room, track, kind, language, description, video, "
            "slides, slug, guid)",
        ),
        (b"Title,Session\nA,B\n", line(1), "column 'title' is named twice (as 'Session')"),
        (
            b'title,description\nA,"never closed\nB,x\n',
            line(2),
            "a quoted cell is not closed before the end of the file",
        ),
        (
            b'title,description\n"A"B,x\n',
            line(2),
            "a quoted cell must end with a quote followed by the delimiter or the line's end",
        ),
        (b"title\nA\x00\n", line(2), "contains NUL bytes: this is not a text file"),
        (b"title\nCaf\xe9\n", line(2), "is not UTF-8 text (byte 0xe9 cannot be decoded)"),
        ("title\nA\n".encode("utf-16"), START, "is UTF-16 text: save it as UTF-8"),
    ],
)
def test_unreadable_csv_refused(data, origin, message):
    assert refusal(data) == (origin, message)


def test_cell_over_the_csv_limit_refused():
    text = "title,description\nA," + "x" * 200_000 + "\n"
    assert refusal(text) == (line(2), "a cell is longer than 131,072 characters")


def test_header_synonyms_case_and_underscores():
    text = "SESSION_TITLE;Presenters;Day;Start Time;Length;Location;Type;Abstract;Recording;Deck\n"
    text += 'T;"A; B";1;9:05;1:00;R;Workshops;D;;\n'
    assert parse_text(text).sessions == [
        row(
            2,
            "T",
            "t",
            "workshop",
            1,
            0,
            speakers=["A", "B"],
            start_time=time(9, 5),
            duration=timedelta(hours=1),
            room="r",
            description="D",
        )
    ]


def test_formula_apostrophe_stripped_once_and_only_before_formula_characters():
    text = "title,speakers\n'+plus,'-minus\n''=twice,'plain\n"
    document = parse_text(text)
    assert [(s.title, [p.name for p in s.speakers]) for s in document.sessions] == [
        ("+plus", ["-minus"]),
        ("''=twice", ["'plain"]),  # the rest starts with an apostrophe: no formula
    ]


def test_speakers_split_on_semicolons_and_line_breaks_once_each():
    text = 'title,speakers\nT,"Ada Lovelace; Grace Hopper\nada  lovelace;;Wim van den Broek"\n'
    document = parse_text(text)
    assert [p.name for p in document.sessions[0].speakers] == [
        "Ada Lovelace",
        "Grace Hopper",
        "Wim van den Broek",
    ]


def test_rooms_and_tracks_named_alike_are_one():
    text = "title,room,track\nA,Hall  1,Web\nB,hall 1,WEB\nC,Hall-1,Web\n"
    document = parse_text(text)
    assert document.rooms == [
        RoomItem("Hall 1", "hall-1", line(2)),
        RoomItem("Hall-1", "hall-1-2", line(4)),
    ]
    assert document.tracks == [TrackItem("Web", "web", line(2))]
    assert [s.room for s in document.sessions] == ["hall-1", "hall-1", "hall-1-2"]


def test_duration_forms():
    text = (
        "title,day,start,duration\nA,1,09:00,45\nB,1,10:00,1:30\nC,1,11:00,00:20:30\nD,1,12:00,0\n"
    )
    assert [s.duration for s in parse_text(text).sessions] == [
        timedelta(minutes=45),
        timedelta(hours=1, minutes=30),
        timedelta(minutes=20, seconds=30),
        timedelta(0),
    ]


def test_languages_by_tag_or_name_in_the_usual_case():
    values = ["en", "pt-br", "ZH-HANT", "de-CH-1996", "Deutsch", "Brazilian Portuguese", "français"]
    text = "title,language\n" + "".join(f"T{i},{value}\n" for i, value in enumerate(values))
    assert [s.language for s in parse_text(text).sessions] == [
        "en",
        "pt-BR",
        "zh-Hant",
        "de-CH-1996",
        "de",
        "pt-BR",
        "fr",
    ]


def test_date_wins_over_day_and_days_count_from_the_earliest_date():
    text = "title,date,day,start\nA,2024-03-15,7,09:00\nB,2024-03-14,,09:00\nC,,3,\n"
    document = parse_text(text)
    assert [(s.title, s.day, s.position) for s in document.sessions] == [
        ("B", 1, 0),
        ("A", 2, 0),
        ("C", 3, 0),
    ]


def test_import_batch_names_the_event_or_refuses():
    document = ImportBatch(format="csv", event_slug="meetup", event_name="Meetup").read(COMMA)
    assert (document.source_key, document.name) == ("meetup", "Meetup")
    with pytest.raises(FileNotImported) as error:
        ImportBatch(event_slug="meetup").read(COMMA)
    assert error.value.problems == [
        (
            START,
            "the file does not give its event's name: say which event it is with --event SLUG "
            "and --name NAME (in the admin: the event's slug and name)",
        )
    ]


def test_file_over_the_size_cap_refused(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("wb") as sparse:
        sparse.truncate(5 * 1024 * 1024 + 1)
    with pytest.raises(SourceError) as error:
        read(path)
    assert (error.value.origin, error.value.message) == (START, "file is larger than 5 MB")


# Fuzzing --------------------------------------------------------------------------------------

CELL_VALUES = st.sampled_from(
    [
        "",
        "'=cmd|' /C calc'!A0",
        "'",
        '"',
        '"quoted, with comma"',
        "2024-03-14",
        "2024-02-30",
        "0001-01-01",
        "9999-12-31",
        "09:00",
        "23:59:59",
        "24:00",
        "1",
        "0",
        "100",
        "999999",
        "1:30",
        "talk",
        "Lightning talks",
        "pt-BR",
        "English",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ https://vimeo.com/1",
        "https://",
        "http://[::1",
        "javascript:alert(1)",
        "a;b;;c",
        "\u202eevil",
        "\x0b",
        "é" * 300,
    ]
)
NOISE = st.text(alphabet=",;\t\"'\r\n :0123456789-=+@ab\u00e9\U0001f469\x00", max_size=20)


@cache
def fixture_texts():
    return [path.read_bytes().decode("utf-8") for path in (COMMA, SEMICOLON, TAB)]


@st.composite
def hostile_csvs(draw):
    """A fixture with cells replaced, noise inserted or lines dropped, then maybe byte damage."""
    text = draw(st.sampled_from(fixture_texts()))
    header_end = text.index("\n") + 1
    for _ in range(draw(st.integers(1, 4))):
        # Mostly below the header: a broken header stops every file at line 1.
        action = draw(st.sampled_from(["cell"] * 3 + ["noise"] * 2 + ["drop", "cut", "header"]))
        if action == "cell":
            delimiter = next(d for d in (";", "\t", ",") if d in text[:header_end] or d == ",")
            parts = text.split(delimiter)
            index = draw(st.integers(1 if len(parts) > 1 else 0, len(parts) - 1))
            parts[index] = draw(CELL_VALUES)
            text = delimiter.join(parts)
        elif action == "noise":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(NOISE) + text[at:]
        elif action == "drop":
            lines = text.split("\n")
            if len(lines) > 1:
                del lines[draw(st.integers(1, len(lines) - 1))]
            text = "\n".join(lines)
        elif action == "cut":
            text = text[: draw(st.integers(min(header_end, len(text)), len(text)))]
        else:
            at = draw(st.integers(0, header_end))
            text = text[:at] + draw(NOISE) + text[at:]
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 3)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=6)) + data[at:]
    return data


@seed(FUZZ_SEED)
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=hostile_csvs())
def test_hostile_csv_reads_or_names_the_line(data):
    try:
        document = parse(data, filename="schedule.csv")
    except SourceError as error:
        event(f"refused: {error.message[:30]}")
        lines = len(re.split(rb"\r\n|\r|\n", data))
        assert 1 <= error.line <= lines, (error.line, error.message)
        assert error.message.strip()
        assert "\n" not in error.message
    else:
        event("read")
        assert all(item.title.strip() for item in document.sessions)
        keys = [item.source_key for item in document.sessions]
        assert len(keys) == len(set(keys))
        rooms = {room.source_key for room in document.rooms}
        assert {item.room for item in document.sessions} <= rooms | {""}


# Loaded ---------------------------------------------------------------------------------------


def test_import_loads_every_session_speaker_and_recording(db):
    from sessions.models import Recording, Session, SlideDeck
    from speakers.models import Speaker

    ImportBatch(event_slug="meetup", event_name="Meetup").import_file(COMMA)
    sessions = Session.objects.filter(event__slug="meetup")
    assert sorted(sessions.values_list("title", "kind")) == sorted(
        (item.title, item.kind) for item in EXPECTED_COMMA.sessions
    )
    assert sorted(Speaker.objects.values_list("name", flat=True)) == [
        "@someone",
        "Amara Okafor",
        "Jonas Willén",
        "Zhu Li",
    ]
    assert sorted(Recording.objects.values_list("session__slug", "provider", "provider_key")) == [
        ("opening-keynote", "youtube", "dQw4w9WgXcQ"),
        ("zero-trust-zero-drama", "vimeo", "76979871"),
        ("zero-trust-zero-drama", "youtube", "dQw4w9WgXcQ"),
    ]
    assert sorted(SlideDeck.objects.values_list("session__slug", "provider")) == [
        ("opening-keynote", "speakerdeck"),
        ("zero-trust-zero-drama", "slideshare"),
    ]
