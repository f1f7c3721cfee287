"""A festival that exercises every rule of the schedule writers (``make_festival``).

Europe/Berlin, 26 to 28 October 2024: clocks go back from 03:00 to 02:00 in the night of the
27th, so the night session starts in summer time (+02:00) and ends in winter time (+01:00).
Day 3 has no session. Rooms, tracks, speakers, recordings and slides as named below; an
untimed session (CSV only) and a draft (nowhere).
"""

import datetime
import zoneinfo

from django.core.files.uploadedfile import SimpleUploadedFile

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

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
BASE_URL = "https://roundups.example.org"
HOSTILE_TITLE = "Opening <Keynote> & \"friends\" ]]> 'quoted'"
UNICODE_TITLE = "Ünïcødé — 日本語のトーク ✓ 🎉"


def berlin(*args, fold=0):
    return datetime.datetime(*args, tzinfo=BERLIN, fold=fold)


def make_festival():
    """The festival's rows, by name: event, rooms, speakers and sessions."""
    event = EventFactory(
        name="Herbst & <Hack> Festival",
        slug="herbst-festival",
        time_zone="Europe/Berlin",
        start_date=datetime.date(2024, 10, 26),
        end_date=datetime.date(2024, 10, 28),
        venue="Kulturzentrum",
    )
    hall = RoomFactory(event=event, name="Großer Saal", slug="grosser-saal", position=0)
    lab = RoomFactory(event=event, name="Lab <2>", slug="lab-2", position=1)
    RoomFactory(event=event, name="Unused room", slug="unused", position=2)
    cloud = TrackFactory(event=event, name="Cloud & Co", slug="cloud", colour="#1F5FA8")
    TrackFactory(event=event, name="Odd slug", slug="9_odd_", colour="#aa3300")
    ada = SpeakerFactory(name="Ada Lovelace", slug="ada")
    bob = SpeakerFactory(name='Bob "Tables" O\'Neil', slug="bob")
    keynote = SessionFactory(
        event=event,
        title=HOSTILE_TITLE,
        slug="opening-keynote",
        kind="keynote",
        starts_at=berlin(2024, 10, 26, 10, 0),
        duration=datetime.timedelta(minutes=45),
        room=hall,
        track=cloud,
        language="en",
        description="Welcome to **the festival**.\n\n- coffee\n- <b>code</b>",
    )
    SessionSpeakerFactory(session=keynote, speaker=bob, position=1)
    SessionSpeakerFactory(session=keynote, speaker=ada, position=0)
    RecordingFactory(session=keynote, url="https://www.youtube.com/watch?v=cCNCmJxxEPA")
    RecordingFactory(session=keynote, url="https://vimeo.com/76979871", kind="qa", title="Q&A")
    SlideDeckFactory(session=keynote, title="Keynote deck", position=0)
    SlideDeckFactory(
        session=keynote,
        url="",
        pdf=SimpleUploadedFile("keynote.pdf", b"%PDF-1.4\n%%EOF\n"),
        position=1,
    )
    lab_talk = SessionFactory(
        event=event,
        title=UNICODE_TITLE,
        slug="unicode-talk",
        starts_at=berlin(2024, 10, 26, 10, 0),
        duration=datetime.timedelta(minutes=30),
        room=lab,
        language="de-CH",
    )
    SessionSpeakerFactory(session=lab_talk, speaker=ada)
    night = SessionFactory(
        event=event,
        title="Night of the long hour",
        slug="night-session",
        kind="workshop",
        starts_at=berlin(2024, 10, 27, 1, 30),
        duration=datetime.timedelta(hours=2),  # 01:30 summer time to 02:30 winter time
        room=hall,
    )
    unplaced = SessionFactory(
        event=event,
        title='=HYPERLINK("http://evil.example")',
        slug="ai",  # too short for a frab slug on its own
        kind="lightning",
        starts_at=berlin(2024, 10, 27, 14, 0),
    )
    untimed = SessionFactory(event=event, title="@channel social", slug="social", day=2)
    draft = SessionFactory(
        event=event,
        title="Secret draft",
        slug="secret-draft",
        starts_at=berlin(2024, 10, 26, 12, 0),
        room=hall,
        is_published=False,
    )
    return {
        "event": event,
        "hall": hall,
        "lab": lab,
        "ada": ada,
        "bob": bob,
        "keynote": keynote,
        "lab_talk": lab_talk,
        "night": night,
        "unplaced": unplaced,
        "untimed": untimed,
        "draft": draft,
    }
