"""The CSV writer: the documented header, one row per published session in programme order,
and no cell a spreadsheet would run as a formula."""

import csv
import io

import pytest

from sessions.interchange.snapshot import snapshot_event
from sessions.interchange.writers import csv_export
from tests.factories import (
    EventFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    TrackFactory,
)
from tests.sessions.festival import BASE_URL, HOSTILE_TITLE, UNICODE_TITLE

# As docs/schedule-exports.md gives it.
HEADER_LINE = (
    "title,speakers,date,day,start,duration,room,track,kind,language,description,video,slides,"
    "slug,guid"
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write(event):
    return csv_export.write(snapshot_event(event, sponsorships=False), base_url=BASE_URL)


def rows(text):
    assert text.startswith("\ufeff")  # so that Excel reads UTF-8
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def undo_neutralising(cell):
    """The reader's rule (docs/schedule-exports.md): drop one leading apostrophe before a
    formula character or another apostrophe."""
    if cell.startswith("'") and cell[1:2] in (*FORMULA_STARTS, "'"):
        return cell[1:]
    return cell


def test_csv_has_the_documented_header_and_a_row_per_published_session(festival):
    keynote = festival["keynote"]
    pdf = keynote.slide_decks.get(position=1).pdf
    sessions = ("keynote", "lab_talk", "night", "unplaced", "untimed")
    guid = {name: str(festival[name].guid) for name in sessions}

    text = write(festival["event"])
    _header, *body = rows(text)

    assert text.removeprefix("\ufeff").split("\r\n")[0] == HEADER_LINE
    assert body == [
        [
            HOSTILE_TITLE,
            'Ada Lovelace; Bob "Tables" O\'Neil',
            "2024-10-26",
            "1",
            "10:00",
            "45",
            "Großer Saal",
            "Cloud & Co",
            "keynote",
            "en",
            "Welcome to **the festival**.\n\n- coffee\n- <b>code</b>",
            "https://www.youtube.com/watch?v=cCNCmJxxEPA https://vimeo.com/76979871",
            "https://www.slideshare.net/slideshow/embed_code/key/hH2CO8kHcQaCQo "
            f"{BASE_URL}{pdf.url}",
            "opening-keynote",
            guid["keynote"],
        ],
        [
            UNICODE_TITLE,
            "Ada Lovelace",
            "2024-10-26",
            "1",
            "10:00",
            "30",
            "Lab <2>",
            "",
            "talk",
            "de-CH",
            "What this session is about.",
            "",
            "",
            "unicode-talk",
            guid["lab_talk"],
        ],
        [
            "Night of the long hour",
            "",
            "2024-10-27",
            "2",
            "01:30",
            "120",
            "Großer Saal",
            "",
            "workshop",
            "",
            "What this session is about.",
            "",
            "",
            "night-session",
            guid["night"],
        ],
        [
            '\'=HYPERLINK("http://evil.example")',
            "",
            "2024-10-27",
            "2",
            "14:00",
            "",
            "",
            "",
            "lightning",
            "",
            "What this session is about.",
            "",
            "",
            "ai",
            guid["unplaced"],
        ],
        [
            "'@channel social",  # untimed: its day's date (the event has a start date), no start
            "",
            "2024-10-27",
            "2",
            "",
            "",
            "",
            "",
            "talk",
            "",
            "What this session is about.",
            "",
            "",
            "social",
            guid["untimed"],
        ],
    ]


def test_untimed_session_of_an_event_without_dates_has_its_day_only(db):
    event = EventFactory(start_date=None, end_date=None)
    SessionFactory(event=event, title="Hallway track", slug="hallway", day=3)

    (_header, row) = rows(write(event))

    assert row[:6] == ["Hallway track", "", "", "3", "", ""]


@pytest.mark.parametrize(
    ("title", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+49 30 1234", "'+49 30 1234"),
        ("-2 degrees", "'-2 degrees"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=cmd|' /C calc'!A0", "'\t=cmd|' /C calc'!A0"),
        ("\r=1", "'\r=1"),
        ("'=already quoted", "''=already quoted"),
        ("''", "'''"),
        ("'Twas the night", "'Twas the night"),
        ("'", "'"),
        ("a = b", "a = b"),
        ("Plain", "Plain"),
    ],
)
def test_formulas_are_neutralised_and_the_reader_can_undo_it(db, title, cell):
    event = EventFactory()
    SessionFactory(event=event, title=title, description=title)

    (_header, row) = rows(write(event))

    assert (row[0], row[10]) == (cell, cell)
    assert undo_neutralising(row[0]) == title


def test_every_text_column_is_neutralised(db):
    event = EventFactory()
    session = SessionFactory(
        event=event,
        title="-",
        description="=cmd",
        room=RoomFactory(event=event, name="=room"),
        track=TrackFactory(event=event, name="+track"),
    )
    SessionSpeakerFactory(session=session, speaker=SpeakerFactory(name="@speaker"))

    (_header, row) = rows(write(event))

    assert [row[i] for i in (0, 1, 6, 7, 10)] == ["'-", "'@speaker", "'=room", "'+track", "'=cmd"]


def test_drafts_are_never_written(festival):
    assert "Secret draft" not in write(festival["event"])


def test_writer_queries_nothing(festival, django_assert_num_queries):
    snapshot = snapshot_event(festival["event"], sponsorships=False, speaker_links=False)
    with django_assert_num_queries(0):
        csv_export.write(snapshot, base_url=BASE_URL)
