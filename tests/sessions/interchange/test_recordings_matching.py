"""Lists of videos read (sessions/interchange/video_lists.py) and matched to sessions
(sessions/interchange/matching.py): exact, fuzzy, ambiguous, none, already attached."""

import json
import time
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessions.interchange.document import Origin, SourceError
from sessions.interchange.matching import (
    ALREADY_ATTACHED,
    AMBIGUOUS,
    CONFIDENT,
    LISTED_TWICE,
    UNMATCHED,
    match_videos,
    normalise,
    title_variants,
)
from sessions.interchange.video_lists import Video, VideoList, read_video_list
from sessions.providers import parse_video
from tests.factories import (
    EventFactory,
    RecordingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
)

GUID_KEYNOTE = uuid.UUID("0b8f4c1e-9d1a-4e57-8a0c-1f2e3d4c5b01")
GUID_WORKSHOP = uuid.UUID("0b8f4c1e-9d1a-4e57-8a0c-1f2e3d4c5b02")

FRAB_WITH_LINKS = f"""<?xml version="1.0" encoding="utf-8"?>
<schedule>
  <version>1.0</version>
  <conference>
    <acronym>democon</acronym><title>DemoCon 2025</title>
    <start>2025-03-01</start><end>2025-03-01</end><days>1</days>
    <time_zone_name>Europe/Berlin</time_zone_name>
  </conference>
  <day index="1" date="2025-03-01">
    <room name="Main Hall">
      <event guid="{GUID_KEYNOTE}" id="1">
        <date>2025-03-01T10:00:00+01:00</date><start>10:00</start><duration>00:45</duration>
        <room>Main Hall</room><slug>keynote</slug><title>A title the site spells otherwise</title>
        <type>Talk</type><language>en</language>
        <persons><person id="7">Ada Lovelace</person></persons>
        <links><link href="https://www.youtube.com/watch?v=frabvideo01">Recording</link></links>
      </event>
      <event guid="{GUID_WORKSHOP}" id="2">
        <date>2025-03-01T11:00:00+01:00</date><start>11:00</start><duration>00:45</duration>
        <room>Main Hall</room><slug>other</slug><title>Hands-on Packaging</title>
        <type>Talk</type><language>en</language>
        <persons><person id="8">Grace Hopper</person></persons>
        <links><link href="https://vimeo.com/76979871">Video</link>
          <link href="https://example.org/project">Project page</link></links>
      </event>
      <event guid="0b8f4c1e-9d1a-4e57-8a0c-1f2e3d4c5b03" id="3">
        <date>2025-03-01T12:00:00+01:00</date><start>12:00</start><duration>00:45</duration>
        <room>Main Hall</room><slug>none</slug><title>No video of this one</title>
        <type>Talk</type><language>en</language>
      </event>
    </room>
  </day>
</schedule>
"""


def youtube(n):
    """A distinct YouTube watch URL for each ``n``."""
    return f"https://www.youtube.com/watch?v=video{n:06d}"


def video(title, n, *, speakers=(), guid=None, line=None):
    return Video(title, parse_video(youtube(n)), Origin(line=line or n), tuple(speakers), guid)


def listing(*videos):
    return VideoList("videos.csv", "csv", list(videos))


def session_with(event, title, *speaker_names, **fields):
    session = SessionFactory(event=event, title=title, **fields)
    for name in speaker_names:
        SessionSpeakerFactory(session=session, speaker=SpeakerFactory(name=name))
    return session


def outcomes(matches):
    return [(m.outcome, m.session.title if m.session else None) for m in matches]


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def event(db):
    return EventFactory(name="PyCon Atlantis 2024", slug="pycon-atlantis-2024")


@pytest.fixture
def programme(event):
    return {
        "django": session_with(event, "Intro to Django", "Jane Doe"),
        "rest": session_with(event, "Intro to Django REST framework", "John Roe"),
        "postgres": session_with(event, "Scaling PostgreSQL at ACME", "José Díaz"),
        "async": session_with(event, "Async Python in Practice", "Ada Lovelace"),
    }


# Normalising and cleaning titles -----------------------------------------------------------


def test_normalise_drops_case_accents_and_punctuation():
    assert normalise("  Café: ¿Qué TAL?! — “Déjà vu”  ") == "cafe que tal deja vu"


def test_title_variants_drop_event_name_day_room_and_quality():
    names = {"pycon atlantis 2024", "pycon atlantis"}
    assert title_variants(
        "PyCon Atlantis 2024 - Day 2 | Room A | Intro to Django [1080p]", names
    ) == (
        "intro to django",
        [],
    )
    assert title_variants("Intro to Django (PyCon Atlantis 2024)", names) == ("intro to django", [])
    assert title_variants("PyCon Atlantis 2024 Intro to Django", names) == ("intro to django", [])


def test_title_variants_keep_the_parts_of_a_title_with_a_speaker():
    assert title_variants("Intro to Django - Jane Doe", set()) == (
        "intro to django jane doe",
        ["intro to django", "jane doe"],
    )


# Matching ----------------------------------------------------------------------------------


def test_exact_title_is_a_confident_match(programme, event):
    [match] = match_videos(event, listing(video("Intro to Django", 1)))
    assert (match.outcome, match.session, match.score) == (CONFIDENT, programme["django"], 100)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("intro to djnago", "django"),  # a typo
        ("INTRO TO DJANGO!!!", "django"),  # case and punctuation
        ("Scaling Postgres at ACME", "postgres"),
        ("Scaling PostgreSQL at ACME - Jose Diaz", "postgres"),  # speaker without accents
        ("Jane Doe: Intro to Django", "django"),  # "Speaker: Title"
        ("Intro to Django by Jane Doe", "django"),
        ("PyCon Atlantis 2024 - Async Python in Practice - Ada Lovelace", "async"),
        ("Day 1 | Async python in practise (PyCon Atlantis 2024) [HD]", "async"),
        ("Async Python in Practice \u2013 Someone Not Listed", "async"),  # an unknown name
    ],
)
def test_fuzzy_titles_are_confident_matches(programme, event, title, expected):
    [match] = match_videos(event, listing(video(title, 1)))
    assert (match.outcome, match.session) == (CONFIDENT, programme[expected])


def test_speaker_named_in_the_title_settles_between_similar_titles(programme, event):
    # The title alone is "Intro to Django"; John Roe speaks in the REST framework one.
    matches = match_videos(
        event,
        listing(video("Intro to Django - John Roe", 1), video("Intro to Django - Jane Doe", 2)),
    )
    assert outcomes(matches) == [
        (CONFIDENT, "Intro to Django REST framework"),
        (CONFIDENT, "Intro to Django"),
    ]


def test_listed_speakers_count_for_the_match(event):
    first = session_with(event, "Lightning talks", "Ada Lovelace")
    second = session_with(event, "Lightning talks", "Grace Hopper")
    [match] = match_videos(event, listing(video("Lightning talks", 1, speakers=["grace hopper"])))
    assert (match.outcome, match.session) == (CONFIDENT, second)
    [match] = match_videos(event, listing(video("Lightning talks", 2)))
    assert match.outcome == AMBIGUOUS
    assert sorted(c.session.pk for c in match.candidates) == sorted([first.pk, second.pk])


def test_two_similar_titles_are_ambiguous_with_both_candidates(event):
    day_one = session_with(event, "Community Update Day 1")
    day_two = session_with(event, "Community Update Day 2")
    [match] = match_videos(event, listing(video("Community Update", 1)))
    assert match.outcome == AMBIGUOUS
    assert sorted(c.session.pk for c in match.candidates) == sorted([day_one.pk, day_two.pk])
    assert match.candidates[0].score - match.candidates[1].score < 5


def test_a_title_that_only_resembles_one_session_is_ambiguous(programme, event):
    [match] = match_videos(event, listing(video("Async Python in Production", 1)))
    assert (match.outcome, [c.session for c in match.candidates]) == (
        AMBIGUOUS,
        [programme["async"]],
    )
    assert 70 <= match.score < 90


def test_an_unrelated_title_is_unmatched(programme, event):
    [match] = match_videos(event, listing(video("Closing party highlights reel", 1)))
    assert (match.outcome, match.session) == (UNMATCHED, None)
    assert match.score is None or match.score < 70


def test_no_sessions_leaves_every_video_unmatched(event):
    assert outcomes(match_videos(event, listing(video("Intro to Django", 1)))) == [
        (UNMATCHED, None)
    ]


def test_sessions_of_another_event_are_never_candidates(programme, event):
    other = EventFactory()
    session_with(other, "Keynote of the other event")
    [match] = match_videos(event, listing(video("Keynote of the other event", 1)))
    assert match.outcome == UNMATCHED


def test_a_video_attached_already_is_reported_with_its_session(programme, event):
    RecordingFactory(session=programme["postgres"], url=youtube(1))
    # Even under another title: the video is the same, so it is not attached again.
    matches = match_videos(event, listing(video("Intro to Django", 1), video("Intro to Django", 2)))
    assert outcomes(matches) == [
        (ALREADY_ATTACHED, "Scaling PostgreSQL at ACME"),
        (CONFIDENT, "Intro to Django"),
    ]


def test_a_video_listed_twice_counts_once(programme, event):
    matches = match_videos(event, listing(video("Intro to Django", 1), video("Django", 1)))
    assert outcomes(matches) == [(CONFIDENT, "Intro to Django"), (LISTED_TWICE, None)]


def test_a_schedule_guid_wins_over_the_title(event):
    keynote = session_with(event, "Opening keynote", guid=GUID_KEYNOTE)
    session_with(event, "A title the site spells otherwise")
    [match] = match_videos(
        event, listing(video("A title the site spells otherwise", 1, guid=GUID_KEYNOTE))
    )
    assert (match.outcome, match.session, match.by_guid) == (CONFIDENT, keynote, True)


ADJECTIVES = ["Practical", "Modern", "Secure", "Scalable", "Friendly", "Hidden", "Fast", "Open"]
SUBJECTS = [
    "packaging",
    "testing",
    "typing",
    "deployment",
    "caching",
    "search",
    "logging",
    "profiling",
    "migrations",
    "accessibility",
    "documentation",
    "monitoring",
    "queues",
    "observability",
    "localisation",
    "templates",
    "forms",
    "permissions",
    "payments",
    "notifications",
    "scheduling",
    "imports",
    "exports",
    "dashboards",
    "streaming",
]
TOOLS = ["Django", "PostgreSQL", "Python", "Rust", "Redis"]


def test_a_thousand_videos_match_confidently_and_quickly(event):
    titles = [f"{a} {s} with {t}" for a in ADJECTIVES for s in SUBJECTS for t in TOOLS]
    for title in titles:
        SessionFactory(event=event, title=title)
    # As a channel names them: the event first, some in lower case.
    videos = [
        video(f"PyCon Atlantis 2024 - {title.lower() if n % 2 else title}", n)
        for n, title in enumerate(titles)
    ]
    started = time.perf_counter()
    matches = match_videos(event, listing(*videos))
    elapsed = time.perf_counter() - started
    assert len(titles) == 1000
    assert [m.session.title for m in matches if m.outcome == CONFIDENT] == titles
    assert elapsed < 10


# Reading lists -----------------------------------------------------------------------------


def test_read_csv_with_title_url_and_speakers(tmp_path):
    path = write(
        tmp_path,
        "videos.csv",
        "Title,URL,Speakers\n"
        f'Intro to Django,{youtube(1)},"Jane Doe, John Roe"\n'
        "\n"
        f"Async Python,https://youtu.be/video000002,Ada Lovelace & Grace Hopper\n",
    )
    videos = read_video_list(path).videos
    assert [(v.title, v.ref.url, v.speakers, str(v.origin)) for v in videos] == [
        ("Intro to Django", youtube(1), ("Jane Doe", "John Roe"), "line 2"),
        ("Async Python", youtube(2), ("Ada Lovelace", "Grace Hopper"), "line 4"),
    ]


def test_read_csv_with_semicolons_and_no_speakers(tmp_path):
    path = write(tmp_path, "videos.csv", f"title;video\nIntro to Django;{youtube(1)}\n")
    [only] = read_video_list(path).videos
    assert (only.title, only.ref.provider, only.ref.key, only.speakers) == (
        "Intro to Django",
        "youtube",
        "video000001",
        (),
    )


def test_read_yt_dlp_playlist_json(tmp_path):
    playlist = {
        "_type": "playlist",
        "title": "PyCon Atlantis 2024",
        "entries": [
            {"_type": "url", "ie_key": "Youtube", "id": "video000001", "url": youtube(1),
             "title": "Intro to Django"},
            {"_type": "url", "ie_key": "Youtube", "id": "video000002", "url": "video000002",
             "title": "Async Python"},
            {"_type": "url", "ie_key": "Youtube", "id": "video000003", "url": youtube(3),
             "title": "[Private video]"},
        ],
    }  # fmt: skip
    video_list = read_video_list(write(tmp_path, "playlist.json", json.dumps(playlist)))
    assert [(v.title, v.ref.url, str(v.origin)) for v in video_list.videos] == [
        ("Intro to Django", youtube(1), "/entries/0"),
        ("Async Python", youtube(2), "/entries/1"),
    ]
    assert [(str(n.origin), n.message) for n in video_list.notes] == [
        ("/entries/2", "[Private video] left out")
    ]


def test_read_yt_dlp_json_lines(tmp_path):
    lines = [
        json.dumps({"id": f"video00000{n}", "url": youtube(n), "title": f"Talk {n}"})
        for n in (1, 2)
    ]
    video_list = read_video_list(write(tmp_path, "playlist.jsonl", "\n".join(lines) + "\n"))
    assert [(v.title, str(v.origin)) for v in video_list.videos] == [
        ("Talk 1", "line 1"),
        ("Talk 2", "line 2"),
    ]


def test_read_yt_dlp_json_lines_says_which_line_is_broken(tmp_path):
    lines = [json.dumps({"url": youtube(1), "title": "Talk"}), '{"url": "x", "title": ']
    with pytest.raises(SourceError) as refused:
        read_video_list(write(tmp_path, "playlist.jsonl", "\n".join(lines)))
    assert (refused.value.line, refused.value.message[:14]) == (2, "not valid JSON")


def test_read_frab_schedule_links_keep_guid_and_speakers(tmp_path):
    video_list = read_video_list(write(tmp_path, "schedule.xml", FRAB_WITH_LINKS))
    assert video_list.format == "frab-xml"
    assert [
        (v.title, v.ref.provider, v.ref.key, v.speakers, v.guid) for v in video_list.videos
    ] == [
        (
            "A title the site spells otherwise",
            "youtube",
            "frabvideo01",
            ("Ada Lovelace",),
            GUID_KEYNOTE,
        ),
        ("Hands-on Packaging", "vimeo", "76979871", ("Grace Hopper",), GUID_WORKSHOP),
    ]


def test_read_takeout_playlist_without_titles_is_refused(tmp_path):
    path = write(
        tmp_path,
        "Watch later.csv",
        "Video ID,Playlist Video Creation Timestamp\nvideo000001,2024-05-01T10:00:00+00:00\n",
    )
    with pytest.raises(SourceError) as refused:
        read_video_list(path)
    assert refused.value.line == 1
    assert "Google Takeout playlist" in refused.value.message
    assert "yt-dlp --flat-playlist -J" in refused.value.message


def test_read_takeout_playlist_with_an_added_title_column(tmp_path):
    path = write(
        tmp_path,
        "playlist.csv",
        "Playlist Id,Channel Id,Time Created,Time Updated,Title,Description,Visibility\n"
        "PL123,UC123,2024-05-01 10:00:00 UTC,2024-05-02 10:00:00 UTC,PyCon,,Public\n"
        "\n"
        "Video Id,Time Added,Title\n"
        "video000001,2024-05-01 10:00:00 UTC,Intro to Django\n",
    )
    [only] = read_video_list(path).videos
    assert (only.title, only.ref.url, str(only.origin)) == ("Intro to Django", youtube(1), "line 5")


@pytest.mark.parametrize(
    ("name", "text", "line", "message"),
    [
        ("a.csv", "", 1, "the file is empty"),
        (
            "a.csv",
            "name,speakers\nIntro,Jane\n",
            1,
            "the header must name a title and a url column",
        ),
        ("a.csv", f"title,url\nIntro,{youtube(1)}\n,{youtube(2)}\n", 3, "the row has no title"),
        ("a.csv", "title,url\nIntro,\n", 2, "the row has no url"),
        (
            "a.csv",
            "title,url\nIntro,https://example.org/not-a-video\n",
            2,
            "is not a video this site plays",
        ),
        ("a.csv", 'title,url\n"Intro,unclosed\n', 2, "not a CSV file"),
        ("a.csv", "title,url\n", 1, "the file lists no video"),
        ("a.json", '{"entries": [{"title": "x"', 1, "not valid JSON"),
        ("a.json", '{"entries": 3}', 1, "“entries” is not a list"),
        ("a.json", '{"entries": [{"title": "Intro"}]}', 1, "neither a url nor a YouTube id"),
        ("a.json", json.dumps({"entries": [{"url": youtube(1)}]}), 1, "the entry has no title"),
        ("a.xml", "<schedule><oops></schedule>", 1, ""),
        ("a.xml", "<playlist/>", 1, "not a frab schedule"),
    ],
)
def test_bad_lists_say_where(tmp_path, name, text, line, message):
    with pytest.raises(SourceError) as refused:
        read_video_list(write(tmp_path, name, text))
    assert refused.value.line == line
    assert message in refused.value.message


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "video.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42\x00\x00")
    with pytest.raises(SourceError) as refused:
        read_video_list(path)
    assert "not a text file" in refused.value.message


CSV_PIECES = st.sampled_from(
    ["title", "url", "speakers", ",", ";", "\t", '"', "\n", "\r\n", "Intro", "Jane Doe, Ann",
     youtube(1), "https://youtu.be/", "https://vimeo.com/1", "javascript:x", "Video ID", "\x00",
     "{", "}", "[", "]", '"entries":', '"title":', '"url":', "null", "<", "<schedule>", "é"]
)  # fmt: skip


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pieces=st.lists(CSV_PIECES | st.text(max_size=8), max_size=40))
def test_any_file_is_read_or_refused_with_a_place(tmp_path, pieces):
    path = tmp_path / "fuzzed"
    path.write_bytes("".join(pieces).encode("utf-8", "surrogatepass"))
    try:
        video_list = read_video_list(path)
    except SourceError as error:
        assert error.line >= 1
        assert error.message
    else:
        assert all(video.title and video.ref.key for video in video_list.videos)
