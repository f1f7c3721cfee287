"""A session's links sorted into recordings, slide decks and links (readers/links.py).

Video files need a provider that plays them: the tests add one for the host ``files.test`` to
the front of the provider table (the one place providers live), so they do not depend on
which hosts a deployment lists in ``VIDEO_FILE_HOSTS``.
"""

from urllib.parse import urlsplit

import pytest

from sessions import providers
from sessions.interchange.document import LinkItem, MediaItem, Note, Origin
from sessions.interchange.readers.links import LinkNotes, classify_urls, video_file_stem

HERE = Origin(line=3)
THERE = Origin(line=4)
ELSEWHERE = Origin(line=5)


def parse_test_file(url):
    parts = urlsplit(url)
    if parts.hostname != "files.test" or not parts.path.endswith((".mp4", ".webm", ".ogv")):
        return None
    return parts.path.lstrip("/"), url


@pytest.fixture
def file_provider(monkeypatch):
    entry = providers.Provider("testfile", "Test files", providers.VIDEO, parse=parse_test_file)
    monkeypatch.setattr(providers, "PROVIDERS", {"testfile": entry, **providers.PROVIDERS})


def test_classify_urls_recording_deck_and_link_in_order():
    recordings, decks, links = classify_urls(
        [
            ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "Recording", HERE),
            ("https://speakerdeck.com/ada/talk", "Slides", THERE),
            ("https://github.com/example/project", "  Project\n page ", ELSEWHERE),
        ]
    )
    assert recordings == [
        MediaItem(
            "youtube", "dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", HERE,
            title="Recording",
        )
    ]  # fmt: skip
    assert decks == [
        MediaItem("speakerdeck", "ada/talk", "https://speakerdeck.com/ada/talk", THERE, "Slides")
    ]
    assert links == [LinkItem("https://github.com/example/project", "Project page", ELSEWHERE)]


def test_classify_urls_same_video_twice_is_one_recording():
    recordings, _, links = classify_urls(
        [
            ("https://youtu.be/dQw4w9WgXcQ", "Video", HERE),
            ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "Again", THERE),
            ("https://youtu.be/dQw4w9WgXcQ", "Repeat", ELSEWHERE),
        ]
    )
    assert [(r.key, r.origin, r.title) for r in recordings] == [("dQw4w9WgXcQ", HERE, "Video")]
    assert links == []


def test_classify_urls_containers_of_one_file_are_one_recording(file_provider):
    recordings, _, links = classify_urls(
        [
            ("https://files.test/2024/talk.av1.webm", "Video (AV1)", HERE),
            ("https://files.test/2024/talk.mp4", "Video (mp4)", THERE),
            ("https://files.test/2024/other.mp4", "", ELSEWHERE),
        ]
    )
    assert recordings == [
        MediaItem(
            "testfile", "2024/talk.mp4", "https://files.test/2024/talk.mp4", THERE,
            title="Video (mp4)", alternate_urls=("https://files.test/2024/talk.av1.webm",),
        ),
        MediaItem("testfile", "2024/other.mp4", "https://files.test/2024/other.mp4", ELSEWHERE),
    ]  # fmt: skip
    assert links == []


def test_classify_urls_unplayed_video_files_are_links_counted_per_host(file_provider):
    notes = LinkNotes()
    _, _, first = classify_urls(
        [
            ("https://video.example.org/a.webm", "WebM", HERE),
            ("https://video.example.org/a.mp4", "MP4", THERE),
        ],
        notes=notes,
    )
    _, _, second = classify_urls(
        [
            ("https://video.example.org/b.mp4", "", ELSEWHERE),
            ("http://other.example/c.ogv", "", HERE),
        ],
        notes=notes,
    )
    assert first == [
        LinkItem("https://video.example.org/a.mp4", "MP4", THERE),
        LinkItem("https://video.example.org/a.webm", "WebM", HERE),
    ]
    assert [link.url for link in second] == [
        "https://video.example.org/b.mp4",
        "http://other.example/c.ogv",
    ]
    assert notes.notes() == [
        Note(
            THERE,
            "3 video links on video.example.org kept as links: add the host to "
            "VIDEO_FILE_HOSTS to play them",
        ),
        Note(
            HERE,
            "1 video link on other.example kept as a link: add the host to VIDEO_FILE_HOSTS "
            "to play it",
        ),
    ]


def test_classify_urls_not_web_addresses_left_out_and_counted():
    notes = LinkNotes()
    _, _, links = classify_urls(
        [
            ("javascript:alert(1)", "x", HERE),
            ("/relative/slides.pdf", "Slides", THERE),
            ("https://user@bank.example@evil.example/", "Bank", THERE),
            ("https://example.org/" + "a" * 500, "Long", ELSEWHERE),
            ("", "Nothing", HERE),
            ("https://example.org/ok", "OK", HERE),
        ],
        notes=notes,
    )
    assert links == [LinkItem("https://example.org/ok", "OK", HERE)]
    assert notes.notes() == [
        Note(HERE, "3 links left out: not a web address (http or https)"),
        Note(ELSEWHERE, "1 link left out: longer than 500 characters"),
    ]


def test_classify_urls_at_most_four_alternate_sources(file_provider):
    urls = [f"https://files.test/talk{codec}{ext}" for ext in (".webm", ".ogv")
            for codec in ("", ".vp8", ".vp9", ".av1")]  # fmt: skip
    recordings, _, _ = classify_urls([*((url, "", HERE) for url in urls)])
    assert len(recordings) == 1
    assert recordings[0].url == "https://files.test/talk.webm"
    assert len(recordings[0].alternate_urls) == 4


@pytest.mark.parametrize(
    ("url", "stem"),
    [
        ("https://V.example/a/talk.MP4", ("v.example", "/a/talk", "")),
        ("https://v.example/a/talk.av1.webm?x=1", ("v.example", "/a/talk", "x=1")),
        ("https://v.example/a/talk.pdf", None),
        ("https://v.example/a/talk.mkv", None),
    ],
)
def test_video_file_stem(url, stem):
    assert video_file_stem(url) == stem
