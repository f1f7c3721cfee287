"""The frab schedule XML reader (readers/frab_xml.py) on files in the styles of pretalx, a CCC
frab, an old FOSDEM and wafer, on broken files (each refused at its line) and hostile ones."""

import time
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from sessions.interchange.document import (
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
from sessions.interchange.readers import READERS, detect_format, sniff
from sessions.interchange.readers.frab_xml import parse, read
from sessions.providers import parse_slides

SCHEDULES = Path(__file__).resolve().parents[3] / "fixtures" / "schedules"
BERLIN = ZoneInfo("Europe/Berlin")
PLUS_ONE = timezone(timedelta(hours=1))


def xml(events="", *, conference="<title>Test Con</title><acronym>testcon</acronym>", day=None):
    day = day or '<day index="1" date="2030-05-04">'
    return (
        '<?xml version="1.0"?>\n<schedule>\n<conference>'
        f'{conference}</conference>\n{day}\n<room name="Hall">\n{events}\n</room>\n</day>\n'
        "</schedule>\n"
    ).encode()


def event(*fields, attributes='id="1"'):
    body = "".join(fields) or "<title>Talk</title><start>10:00</start><duration>00:30</duration>"
    return f"<event {attributes}>{body}</event>"


def refusal(data):
    with pytest.raises(SourceError) as error:
        parse(data, source="schedule.xml")
    return error.value


# Files as producers write them.


def test_read_pretalx_style():
    document = read(SCHEDULES / "pretalx.xml")
    assert (document.source_key, document.name, document.title) == (
        "democon-2025", "DemoCon 2025", "DemoCon 2025",
    )  # fmt: skip
    assert (document.start_date, document.end_date, document.time_zone) == (
        date(2025, 3, 1), date(2025, 3, 2), "Europe/Berlin",
    )  # fmt: skip
    assert document.has_programme
    assert document.website == ""  # pretalx states only the base_url of its own pages
    assert document.rooms == [
        RoomItem("Main Hall", "main-hall", Origin(line=17)),
        RoomItem("Room B", "room-b", Origin(line=67)),
    ]
    assert document.tracks == [
        TrackItem("Community", "community", Origin(line=31)),
        TrackItem("Future & Past", "future-past", Origin(line=99)),
    ]
    ada = SpeakerItem(
        "Ada Lovelace", origin=Origin(line=38),
        source_id="https://pretalx.example.org/democon-2025/#person-7",
    )  # fmt: skip
    assert document.sessions[0] == SessionItem(
        title="Opening Keynote",
        source_key="abcdef-opening-keynote",  # the acronym "democon-2025-" stripped
        kind="keynote",
        day=1,
        position=0,
        origin=Origin(line=18),
        description="Why we are here.\n\nA longer *Markdown* text.",
        speakers=[ada],
        recordings=[
            MediaItem(
                "youtube", "dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                Origin(line=41), title="Recording",
            )
        ],
        starts_at=datetime(2025, 3, 1, 10, 0, tzinfo=PLUS_ONE),
        duration=timedelta(minutes=45),
        room="main-hall",
        track="community",
        language="en",
        guid=uuid.UUID("8e3b3b2e-5a8f-4a53-9a57-0d1b7b8e6f01"),
        links=[
            LinkItem(
                "https://pretalx.example.org/democon-2025/talk/ABCDEF/",
                "Talk page at pretalx.example.org", Origin(line=24),
            )
        ],
    )  # fmt: skip
    assert [
        (s.title, s.kind, s.day, s.position, s.duration, s.room, s.track, s.language)
        for s in document.sessions
    ] == [
        ("Opening Keynote", "keynote", 1, 0, timedelta(minutes=45), "main-hall", "community", "en"),
        # 10:00 in the second column, after the first's 10:00.
        ("Lightning Talks", "lightning", 1, 1, timedelta(minutes=30), "room-b", "community",
         "pt-BR"),
        # pretalx writes a day or more as D:HH:MM.
        ("Hackathon", "workshop", 1, 2, timedelta(days=1, hours=2, minutes=30), "main-hall", "",
         "de"),
        ("Panel on the Future", "panel", 2, 0, timedelta(minutes=50), "room-b", "future-past", ""),
    ]  # fmt: skip
    # Abstract and description that say the same are said once.
    assert document.sessions[2].description == "Hack for a day."
    assert document.notes == [
        Note(
            Origin(line=101),
            "language 'Klingon' is not a language tag (such as en or pt-BR): left out",
        )
    ]


def test_read_ccc_style_mixed_offsets_tracks_and_unknown_elements():
    document = read(SCHEDULES / "ccc.xml")
    assert (document.source_key, document.website) == ("99c3", "https://events.example.org/99c3/")
    assert document.tracks == [
        TrackItem("Security", "security", Origin(line=18), "#d1495b"),
        TrackItem("Art & Beauty", "art-beauty", Origin(line=19)),  # its colour is no colour
        TrackItem("Ethics", "ethics", Origin(line=20)),
    ]
    assert [(s.title, s.starts_at, s.position, s.room) for s in document.sessions] == [
        ("Opening", datetime(2099, 12, 27, 11, tzinfo=PLUS_ONE), 0, "saal-1"),
        ("Lockpicking", datetime(2099, 12, 27, 11, tzinfo=PLUS_ONE), 1, "saal-zwei"),
        # 00:30 in Berlin, written in UTC: the same day of the congress, last.
        ("After Midnight", datetime(2099, 12, 27, 23, 30, tzinfo=UTC), 2, "saal-1"),
    ]
    opening = document.sessions[0]
    assert opening.description == "Welcome to the congress\n\nHello."  # the subtitle first
    assert opening.speakers == [  # named twice, one speaker
        SpeakerItem(
            "Herald", origin=Origin(line=42),
            source_id="urn:uuid:6f1a3c0e-1111-4b8a-9a3c-000000000001",
        )
    ]  # fmt: skip
    assert [(r.provider, r.key) for r in opening.recordings] == [("vimeo", "76979871")]
    assert opening.links == [
        LinkItem(
            "https://cdn.media.example.org/congress/99c3/h264-hd/99c3-11001-opening.mp4",
            "Video", Origin(line=49),
        ),
        LinkItem(
            "https://fahrplan.example.org/99c3/events/11001.html",
            "Talk page at fahrplan.example.org", Origin(line=30),
        ),
    ]  # fmt: skip
    assert [(d.provider, d.key) for d in document.sessions[2].slide_decks] == [
        ("speakerdeck", "ada/after-midnight")
    ]
    assert document.sessions[2].speakers[0].source_id == (
        "https://events.example.org/99c3/#person-902"
    )
    assert document.notes == [
        Note(
            Origin(line=49),
            "1 video link on cdn.media.example.org kept as a link: add the host to "
            "VIDEO_FILE_HOSTS to play it",
        ),
        Note(Origin(line=47), "1 link left out: not a web address (http or https)"),
    ]


def test_read_old_fosdem_without_dates_guids_or_zone():
    document = read(SCHEDULES / "fosdem-2013.xml")
    assert (document.source_key, document.time_zone, document.venue, document.city) == (
        "fosdem-2013", "", "ULB (Campus Solbosch)", "Brussels",
    )  # fmt: skip
    # Naive times: the loader reads them in the event's zone.
    assert [
        (s.source_key, s.kind, s.day, s.position, s.starts_at, s.duration, s.room)
        for s in document.sessions
    ] == [
        ("keynote_freedom", "talk", 1, 0, datetime(2013, 2, 2, 9, 30), timedelta(minutes=50),
         "janson"),
        ("welcome", "keynote", 1, 1, datetime(2013, 2, 2, 10, 30), timedelta(minutes=25),
         "janson"),
        ("lt_tool", "lightning", 1, 2, datetime(2013, 2, 2, 10, 30), timedelta(minutes=15),
         "k1105"),
        ("welcome-2", "lightning", 2, 0, datetime(2013, 2, 3, 12), timedelta(minutes=15),
         "k1105"),
    ]  # fmt: skip
    # No guids: derived from the schedule and the event id, the same on every import.
    guids = [session.guid for session in document.sessions]
    assert guids[0] == uuid.uuid5(uuid.NAMESPACE_URL, "fosdem-2013#event-1235")
    assert guids == [session.guid for session in read(SCHEDULES / "fosdem-2013.xml").sessions]
    assert len(set(guids)) == 4
    welcome = document.sessions[1]
    assert welcome.description == "<p>Some <em>words</em> of welcome.</p>"
    assert welcome.speakers == [
        SpeakerItem("FOSDEM Staff", origin=Origin(line=32), source_id="fosdem-2013#person-6")
    ]
    pdf = "https://archive.example.org/2013/welcome/slides.pdf"
    # A PDF is a slide deck where the provider table has a PDF provider, else a link.
    pdf_deck = _recognised_slides(pdf)
    assert [link.url for link in welcome.links] == [
        # The .mp4 and .webm of one talk, side by side: both links while the host does not
        # play here.
        "https://video.example.org/2013/janson/welcome.mp4",
        "https://video.example.org/2013/janson/welcome.webm",
        "https://submission.example.org/feedback/1234.php",
        *([] if pdf_deck else [pdf]),
    ]
    assert [deck.url for deck in welcome.slide_decks] == ([pdf_deck.url] if pdf_deck else [])
    assert document.notes == [
        Note(
            Origin(line=39),
            "3 video links on video.example.org kept as links: add the host to "
            "VIDEO_FILE_HOSTS to play them",
        ),
        # The relative address of the other PDF: the file gives nothing to resolve it by.
        Note(Origin(line=58), "1 link left out: not a web address (http or https)"),
    ]


def _recognised_slides(url):
    try:
        return parse_slides(url)
    except Exception:
        return None


def test_read_wafer_pentabarf():
    document = read(SCHEDULES / "wafer-pentabarf.xml")
    assert (document.source_key, document.time_zone, document.start_date) == (
        "pyconza2024", "Africa/Johannesburg", date(2024, 10, 3),
    )  # fmt: skip
    assert document.tracks == []  # wafer's "No Track" is no track
    assert [(s.title, s.kind, s.track, s.description) for s in document.sessions] == [
        ("Typing in practice", "talk", "", "<p>Types <strong>help</strong>.</p>"),
        ("Tea", "other", "", ""),  # an item of the schedule that is no talk
    ]
    assert document.sessions[0].speakers[0].source_id == "https://za.pycon.example.org#person-3"


def test_relative_links_resolved_against_base_url():
    data = xml(
        event(
            "<title>T</title><start>10:00</start><duration>00:30</duration>",
            '<attachments><attachment href="/files/slides.txt">Slides</attachment></attachments>',
        ),
        conference="<title>T</title><base_url>https://con.example.org/2030/</base_url>",
    )
    session = parse(data, source="s.xml").sessions[0]
    assert session.links == [
        LinkItem("https://con.example.org/files/slides.txt", "Slides", Origin(line=6))
    ]


# Times.


def test_start_without_date_aware_in_the_time_zone():
    data = xml(event(), conference="<title>T</title><time_zone_name>Europe/Berlin</time_zone_name>")
    session = parse(data, source="s.xml").sessions[0]
    assert session.starts_at == datetime(2030, 5, 4, 10, tzinfo=BERLIN)


def test_date_without_offset_aware_in_the_time_zone():
    data = xml(
        event("<title>T</title><date>2030-05-04T10:00:00</date><duration>00:30</duration>"),
        conference="<title>T</title><time_zone_name>Europe/Berlin</time_zone_name>",
    )
    assert parse(data, source="s.xml").sessions[0].starts_at == datetime(
        2030, 5, 4, 10, tzinfo=BERLIN
    )


def test_start_after_midnight_on_a_day_past_midnight_is_on_the_next_date():
    day = (
        '<day index="1" date="2030-05-04" start="2030-05-04T11:00:00+02:00" '
        'end="2030-05-05T04:00:00+02:00">'
    )
    data = xml(
        event("<title>Late</title><start>01:30</start>")
        + event("<title>Noon</title><start>12:00</start>", attributes='id="2"'),
        day=day,
    )
    sessions = parse(data, source="s.xml").sessions
    assert [(s.title, s.starts_at, s.position) for s in sessions] == [
        ("Noon", datetime(2030, 5, 4, 12), 0),
        ("Late", datetime(2030, 5, 5, 1, 30), 1),
    ]


def test_day_without_date_keeps_the_time_of_day():
    data = xml(event(), day='<day index="2">')
    session = parse(data, source="s.xml").sessions[0]
    assert (session.day, session.starts_at, session.start_time) == (
        2,
        None,
        datetime(1, 1, 1, 10).time(),
    )


def test_unknown_time_zone_left_out_with_a_note():
    data = xml(event(), conference="<title>T</title><time_zone_name>CET+1</time_zone_name>")
    document = parse(data, source="s.xml")
    assert (document.time_zone, document.sessions[0].starts_at) == ("", datetime(2030, 5, 4, 10))
    assert document.notes == [
        Note(
            Origin(line=3),
            "time zone 'CET+1' is not an IANA zone name: left out, the event's own zone applies",
        )
    ]


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("00:30", timedelta(minutes=30)),
        ("1:05", timedelta(hours=1, minutes=5)),
        ("48:00", timedelta(days=2)),
        ("00:25:30", timedelta(minutes=25, seconds=30)),
    ],
)
def test_durations(text, duration):
    data = xml(event(f"<title>T</title><start>10:00</start><duration>{text}</duration>"))
    assert parse(data, source="s.xml").sessions[0].duration == duration


@pytest.mark.parametrize(
    ("type_name", "kind"),
    [
        ("lecture", "talk"),
        ("Talk (30 min)", "talk"),
        ("Keynote", "keynote"),
        ("Lightning talk", "lightning"),
        ("lightningtalk", "lightning"),
        ("Podiumsdiskussion", "panel"),
        ("discussion", "panel"),
        ("hands-on", "workshop"),
        ("Tutorial", "tutorial"),
        ("demo", "demo"),
        ("meeting", "other"),
        ("", "other"),
    ],
)
def test_kinds(type_name, kind):
    data = xml(event(f"<title>T</title><type>{type_name}</type>"))
    assert parse(data, source="s.xml").sessions[0].kind == kind


@pytest.mark.parametrize(
    ("text", "language"),
    [("en", "en"), ("DE", "de"), ("pt_br", "pt-BR"), ("zh-hant", "zh-Hant"), ("English", "en")],
)
def test_languages(text, language):
    data = xml(event(f"<title>T</title><language>{text}</language>"))
    assert parse(data, source="s.xml").sessions[0].language == language


def test_slugs_unique_and_bounded():
    long_title = "word " * 80
    data = xml(
        event("<title>Same</title><slug>same</slug>")
        + event("<title>Same</title>", attributes='id="2"')
        + event(f"<title>{long_title}</title>", attributes='id="3"')
        + event("<title>日本語</title>", attributes='id="4"')
    )
    slugs = [s.source_key for s in parse(data, source="s.xml").sessions]
    assert slugs[:2] == ["same", "same-2"]
    assert len(slugs[2]) <= 200 and slugs[2].startswith("word-word")
    assert slugs[3] == "event-4"


# Broken files: each refused at the line of what is wrong.


@pytest.mark.parametrize(
    ("events", "line", "message"),
    [
        (event("<title>T</title>\n<start>25:00</start>"), 7, "start '25:00' is not a time of day"),
        (event("<title>T</title>\n<start>noon</start>"), 7, "start 'noon' is not a time (HH:MM)"),
        (event("<title>T</title>\n<duration>1:75</duration>"), 7, "duration 1:75 is not HH:MM"),
        (event("<title>T</title>\n<duration>soon</duration>"), 7, "duration 'soon' is not HH:MM"),
        (event("<title>T</title>\n<duration>200:00</duration>"), 7,
         "duration 200:00 is longer than 7 days"),
        (event("<title>T</title>\n<date>2030-02-30T10:00</date>"), 7,
         "date '2030-02-30T10:00' is not a date and time (ISO 8601)"),
        (event("<title>T</title>\n<date>0001-01-01T00:00:00+01:00</date>"), 7,
         "date '0001-01-01T00:00:00+01:00' is not in the years 1900 to 2999"),
        (event("\n<title> </title>"), 6, "the event has no title"),
        (event("<title>T</title>", attributes='id="1"\nguid="not-a-uuid"'), 7,
         "guid 'not-a-uuid' is not a UUID"),
    ],
)  # fmt: skip
def test_bad_event_refused_at_its_line(events, line, message):
    error = refusal(xml(events))
    assert (error.line, error.message) == (line, message)


def test_duplicate_guid_refused():
    guid = 'guid="8e3b3b2e-5a8f-4a53-9a57-0d1b7b8e6f01"'
    error = refusal(
        xml(event(attributes=f'id="1" {guid}') + "\n" + event(attributes=f'id="2" {guid}'))
    )
    assert (error.line, error.message) == (
        7, "guid 8e3b3b2e-5a8f-4a53-9a57-0d1b7b8e6f01 is given to two events (the first at line 6)",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ('<day index="x" date="2030-05-04">', "day index 'x' is not a number"),
        ('<day index="0" date="2030-05-04">', "day index 0: days are numbered from 1 to 100"),
        ('<day index="1" date="May 4th">', "day date 'May 4th' is not a date"),
        ('<day index="1" start="yesterday">',
         "day start 'yesterday' is not a date and time (ISO 8601)"),
    ],
)  # fmt: skip
def test_bad_day_refused(day, message):
    error = refusal(xml(event(), day=day))
    assert (error.line, error.message) == (4, message)


def test_bad_conference_date_refused():
    error = refusal(xml(event(), conference="<title>T</title>\n<start>2030-13-01</start>"))
    assert (error.line, error.message) == (4, "conference start '2030-13-01' is not a date")


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"", 1, "file is empty"),
        (b"<schedule>\n<conference>\n</schedule>", 3,
         "not well-formed XML: Opening and ending tag mismatch: conference line 2 and schedule"),
        (b'<?xml version="1.0"?>\n<rss version="2.0"/>', 2,
         "the root element is <rss>, not <schedule>: this is not a frab schedule"),
        (b"<schedule>\n<day/>\n</schedule>", 1, "the schedule has no <conference>"),
        (b"<schedule><conference><title>\x01</title></conference></schedule>", 1,
         "not well-formed XML: PCDATA invalid Char value 1"),
    ],
)  # fmt: skip
def test_not_a_schedule_refused(data, line, message):
    error = refusal(data)
    assert (error.line, error.message) == (line, message)


# Hostile XML: nothing outside the file is read, nothing is expanded.


def test_external_file_entity_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE schedule [\n<!ENTITY xxe SYSTEM "file://{secret}">\n]>'
        "\n<schedule><conference><title>&xxe;</title></conference></schedule>"
    ).encode()
    error = refusal(data)
    assert (error.line, error.message) == (
        2,
        "the document type declares entities or other markup (<!DOCTYPE ... [...]>): a "
        "schedule needs none (refused)",
    )


def test_external_http_entity_refused():
    data = (
        b'<!DOCTYPE schedule [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/evil">]>'
        b"<schedule><conference><title>&xxe;</title></conference></schedule>"
    )
    assert "declares entities" in refusal(data).message


def test_external_dtd_refused():
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE schedule SYSTEM "http://127.0.0.1:9/schedule.dtd">\n'
        b"<schedule><conference><title>T</title></conference></schedule>"
    )
    error = refusal(data)
    assert (error.line, error.message) == (
        2, "the document type refers to an external DTD: a schedule needs none (refused)",
    )  # fmt: skip


def test_billion_laughs_refused_fast():
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    )
    data = (
        f"<!DOCTYPE schedule [{entities}]><schedule><conference><title>&lol9;</title>"
        '</conference><day index="1" date="2030-01-01" x="&lol9;"/></schedule>'
    ).encode()
    started = time.monotonic()
    assert "declares entities" in refusal(data).message
    assert time.monotonic() - started < 1


def test_hostile_parameter_entity_reads_nothing(tmp_path):
    evil = tmp_path / "evil.dtd"
    evil.write_text(f"<!ENTITY % all \"<!ENTITY leak SYSTEM 'file://{tmp_path}/secret'>\">")
    data = (
        f'<!DOCTYPE schedule [<!ENTITY % remote SYSTEM "file://{evil}"> %remote; %all;]>'
        "<schedule><conference><title>&leak;</title></conference></schedule>"
    ).encode()
    assert "declares entities" in refusal(data).message


def test_doctype_hidden_from_the_scan_still_refused():
    """UTF-16 hides the document type from the byte scan: the parsed tree's is checked."""
    data = (
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE schedule [<!ENTITY a "x">]>'
        "<schedule><conference><title>&a;</title></conference></schedule>"
    ).encode("utf-16")
    assert "declares entities" in refusal(data).message


def test_plain_doctype_accepted():
    data = b"<!DOCTYPE schedule>\n" + xml(event()).split(b"\n", 1)[1]
    assert [s.title for s in parse(data, source="s.xml").sessions] == ["Talk"]


def test_deep_nesting_refused():
    data = b"<schedule><conference/>" + b"<x>" * 300_000 + b"</x>" * 300_000 + b"</schedule>"
    assert refusal(data).message.startswith("not well-formed XML: ")


# Detection.


@pytest.mark.parametrize(
    ("head", "name", "format"),
    [
        (b'<?xml version="1.0"?>\n<!-- made by pretalx -->\n<schedule>', "s.xml", "frab-xml"),
        (b"\xef\xbb\xbf<schedule>", "export", "frab-xml"),
        (b"<!DOCTYPE schedule>\n<schedule>", "s.xml", "frab-xml"),
        (b'<?xml version="1.0"?><rss>', "feed.xml", "frab-xml"),  # refused by the reader
        (b"<p>Our <b>roundup</b></p>", "post", "roundup"),
        (b"<!DOCTYPE html><html>", "post", "roundup"),
        (b"<schedule-notes>", "post.html", "roundup"),
    ],
)
def test_sniff_xml(head, name, format):
    assert sniff(head, name=name) == format


@pytest.mark.parametrize(
    "name", ["pretalx.xml", "ccc.xml", "fosdem-2013.xml", "wafer-pentabarf.xml"]
)
def test_fixtures_detected_and_registered(name):
    assert detect_format(SCHEDULES / name) == "frab-xml"
    assert READERS["frab-xml"] is read


# Fuzzing: whatever the bytes, a document or a SourceError, never anything else.

FIXTURES = [path.read_bytes() for path in sorted(SCHEDULES.glob("*.xml"))]
FRAGMENTS = [
    b"<", b">", b"</event>", b"<event>", b"&amp;", b"&lol;", b"<![CDATA[", b"]]>", b"<!--",
    b'<date>2099-99-99T99:99</date>', b"<start>24:60</start>", b"<duration>-1:00</duration>",
    b'guid="x"', b'index="-1"', b'<!DOCTYPE schedule [<!ENTITY a "b">]>', b"\x00", b"\xff",
    b"<links><link href='javascript:x'>x</link></links>", b'<day index="1">', b"\xe2\x80\xae",
]  # fmt: skip


@st.composite
def hostile_schedules(draw):
    data = bytearray(draw(st.sampled_from(FIXTURES)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        choice = draw(st.integers(0, 3))
        if choice == 0:
            data[at:at] = draw(st.sampled_from(FRAGMENTS))
        elif choice == 1:
            del data[at : at + draw(st.integers(1, 200))]
        elif choice == 2 and data:
            data[min(at, len(data) - 1)] ^= draw(st.integers(1, 255))
        else:
            data = data[:at]
    return bytes(data)


@seed(20250301)
@settings(max_examples=400, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
@given(data=hostile_schedules())
def test_fuzz_parses_or_refuses_with_a_line(data):
    try:
        document = parse(data, source="fuzz.xml")
    except SourceError as error:
        assert 1 <= error.line <= data.count(b"\n") + 1
        assert error.message.strip() and "\n" not in error.message
    else:
        assert all(session.title for session in document.sessions)
