"""Hostile input through the session admin's form and its recording, slide deck and speaker
inlines: refused with a clear form error and nothing changed, or accepted when it is
legitimately fine; never a server error.

Each case posts what a browser would (the change form as opened, with one value replaced) and
compares the whole database before and after a refusal. The same cases run on SQLite and on
PostgreSQL, which is stricter (NUL characters, integer ranges, ``varchar`` lengths).
"""

from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sessions.models import Recording, Session, SlideDeck
from speakers.models import Speaker
from tests.admin_forms import (
    CHOICE_ERROR,
    CONTROL_ERROR,
    EMPTY_FILE_ERROR,
    HTML,
    LONG,
    NUL_ERROR,
    PDF,
    SLUG_ERROR,
    SVG,
    TOO_LARGE_ERROR,
    YOUTUBE,
    add,
    admin_url,
    assert_refused,
    assert_saved,
    change,
    database_state,
    inline_rows,
    open_form,
    png_bytes,
)
from tests.factories import (
    EventFactory,
    RecordingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def event():
    return EventFactory(name="CCC 2023", slug="ccc-2023", website="https://example.org/")


@pytest.fixture
def session(event):
    return SessionFactory(event=event, title="Opening keynote", slug="opening", position=0)


SESSION_CASES = [
    pytest.param({"title": "t" * 301}, "at most 300 characters", id="title-too-long"),
    pytest.param({"title": "Talk\x00"}, NUL_ERROR, id="title-nul"),
    pytest.param({"title": "Ta\x0blk"}, CONTROL_ERROR, id="title-vertical-tab"),
    pytest.param({"description": "x\x00y"}, NUL_ERROR, id="description-nul"),
    pytest.param({"description": "x\x1by"}, CONTROL_ERROR, id="description-escape"),
    pytest.param({"slug": "s" * 201}, "at most 200 characters", id="slug-too-long"),
    pytest.param({"slug": "a b"}, SLUG_ERROR, id="slug-space"),
    pytest.param({"slug": "taken"}, "Session with this Event and Slug already exists.", id="dup"),
    pytest.param({"event": "999999"}, CHOICE_ERROR, id="unknown-event"),
    pytest.param({"event": "1 OR 1=1"}, CHOICE_ERROR, id="event-sql"),
    pytest.param({"kind": "<script>"}, CHOICE_ERROR, id="bad-kind"),
    pytest.param({"day": "0"}, "Days are numbered from 1.", id="day-zero"),
    pytest.param({"day": "-1"}, "greater than or equal to", id="day-negative"),
    pytest.param({"day": "40000"}, "less than or equal to", id="day-40000"),
    pytest.param({"day": str(2**64)}, "less than or equal to", id="day-2-64"),
    pytest.param({"position": str(2**31)}, "less than or equal to", id="position-2-31"),
    pytest.param({"position": "7"}, "Session with this Event, Day and Position already exists."),
    pytest.param(
        {"starts_at_0": "2023-11-23", "starts_at_1": "25:00"}, "Enter a valid time.", id="time-25h"
    ),
    pytest.param(
        {"starts_at_0": "2023-11-23", "starts_at_1": "\x00"}, "Enter a valid time.", id="time-nul"
    ),
    pytest.param({"tags": "t" * 101}, "Tags are limited to 100 characters", id="tag-101"),
    pytest.param({"tags": "ok, " + "t" * 5000}, "Tags are limited to 100 characters", id="tag-5k"),
    pytest.param({"tags": "kvm\x00"}, NUL_ERROR, id="tag-nul"),
    pytest.param({"tags": "k\x0bvm"}, CONTROL_ERROR, id="tag-vertical-tab"),
    pytest.param({"opened_at": "9999-99-99T99:99"}, "changed by someone else", id="opened-bad"),
]


@pytest.mark.parametrize(("fields", "message"), SESSION_CASES)
def test_session_change_form_refuses_hostile_value(organiser_client, session, fields, message):
    SessionFactory(event=session.event, slug="taken", position=7)
    before = database_state()

    response = change(organiser_client, session, **fields)

    assert_refused(response, message, before)


@pytest.mark.parametrize(("fields", "message"), SESSION_CASES[:-1])
def test_session_add_form_refuses_hostile_value(organiser_client, event, fields, message):
    SessionFactory(event=event, slug="taken", position=7)
    before = database_state()
    valid = {"event": str(event.pk), "title": "New", "slug": "new", "day": "1", "position": "1"}

    response = add(organiser_client, Session, **{**valid, **fields})

    assert_refused(response, message, before)


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        pytest.param('kvm, "open source", a"b', ["a", "b", "kvm", "open source"], id="quotes"),
        pytest.param('"one, two", three', ["one, two", "three"], id="comma-inside-quotes"),
        pytest.param("t" * 100, ["t" * 100], id="tag-of-100"),
        pytest.param("<script>alert(1)</script>", ["<script>alert(1)</script>"], id="markup"),
        pytest.param("KVM, kvm", ["KVM"], id="case-insensitive"),
        pytest.param("!!!, ???", ["!!!", "???"], id="no-slug-characters"),
        pytest.param(",,, ,", [], id="only-commas"),
        pytest.param(", ".join(f"tag{n}" for n in range(500)), 500, id="500-tags"),
    ],
)
def test_session_tags_odd_but_legitimate_are_saved(organiser_client, session, tags, expected):
    response = change(organiser_client, session, tags=tags)

    assert_saved(response)
    names = sorted(session.tags.names())
    assert (len(names) if isinstance(expected, int) else names) == expected


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        pytest.param([{"url": "javascript:alert(1)"}], "Only http and https", id="js"),
        pytest.param([{"url": "data:text/html,x"}], "Only http and https", id="data"),
        pytest.param(
            [{"url": '<iframe src="javascript:alert(1)"></iframe>'}], "Only http", id="iframe-js"
        ),
        pytest.param([{"url": "<iframe onload=alert(1)>"}], "with a src attribute", id="no-src"),
        pytest.param([{"url": "<script>alert(1)</script>"}], "with a src attribute", id="script"),
        pytest.param(
            [{"url": "https://www.youtube.com.evil.example/watch?v=cCNCmJxxEPA"}],
            "not a supported video link",
            id="look-alike-host",
        ),
        pytest.param(
            [{"url": "https://www.youtube.com@evil.example/watch?v=cCNCmJxxEPA"}],
            "That link has an unusual host part.",
            id="userinfo-host",
        ),
        pytest.param(
            [{"url": "https://youtube.com:8443/watch?v=cCNCmJxxEPA"}], "unusual host", id="port"
        ),
        pytest.param(
            [{"url": "https://www.youtube.com/watch?v=cCNCmJxxEP<"}], "11-character id", id="id"
        ),
        pytest.param([{"url": LONG}], "at most 4000 characters", id="10k"),
        pytest.param([{"url": YOUTUBE + "\x00"}], NUL_ERROR, id="nul"),
        pytest.param([{"url": "https://[::1"}], "malformed", id="broken-ipv6"),
        pytest.param([{"url": YOUTUBE, "kind": "evil"}], CHOICE_ERROR, id="bad-kind"),
        pytest.param([{"url": YOUTUBE, "title": "t" * 301}], "at most 300", id="title-long"),
        pytest.param([{"url": YOUTUBE, "title": "a\x0bb"}], CONTROL_ERROR, id="title-control"),
        pytest.param(
            [
                {"url": YOUTUBE, "position": "1"},
                {"url": "https://youtu.be/cCNCmJxxEPA", "position": "2"},
            ],
            "This video is already attached to this session.",
            id="same-video-twice",
        ),
        pytest.param(
            [{"url": YOUTUBE, "position": "5"}, {"url": "https://vimeo.com/1", "position": "5"}],
            "Please correct the duplicate data for position",
            id="same-position-twice",
        ),
        pytest.param(
            [{"url": YOUTUBE, "position": str(2**31)}], "less than or equal to", id="position-2-31"
        ),
    ],
)
def test_session_recording_inline_refuses_hostile_rows(organiser_client, session, rows, message):
    before = database_state()
    rows = [{"kind": "full", **row} for row in rows]

    response = change(organiser_client, session, **inline_rows("recordings", rows))

    assert_refused(response, message, before)


def test_session_recording_already_saved_is_refused_when_posted_again_as_new(
    organiser_client, session
):
    RecordingFactory(session=session, url=YOUTUBE, position=0)
    url = admin_url(session, "change", session.pk)
    data = open_form(organiser_client, url)
    # A forged post that leaves the saved row out and adds the same video as a new one.
    data.update(inline_rows("recordings", [{"url": YOUTUBE, "kind": "full", "position": "3"}]))
    before = database_state()

    response = organiser_client.post(url, data)

    assert_refused(response, "This video is already attached to this session.", before)


@pytest.mark.parametrize(
    ("url", "expected_key"),
    [
        pytest.param(
            '<iframe width="1" src="https://www.youtube.com/embed/cCNCmJxxEPA" '
            'onload="alert(1)" style="position:fixed" srcdoc="<script>x</script>"></iframe>',
            "cCNCmJxxEPA",
            id="iframe-with-hostile-attributes",
        ),
        pytest.param("  https://youtu.be/cCNCmJxxEPA?t=42  ", "cCNCmJxxEPA", id="share-link"),
        pytest.param("https://vimeo.com/76979871", "76979871", id="vimeo"),
    ],
)
def test_session_recording_embed_code_is_stored_as_provider_and_key(
    organiser_client, session, url, expected_key
):
    rows = [{"url": url, "kind": "full", "position": "0"}]

    response = change(organiser_client, session, **inline_rows("recordings", rows))

    assert_saved(response)
    [recording] = Recording.objects.filter(session=session)
    assert (recording.provider_key, "<" in recording.url) == (expected_key, False)


SLIDESHARE_LONG = "https://www.slideshare.net/" + "u" * 150 + "/" + "t" * 150
SPEAKERDECK_LONG = "https://speakerdeck.com/" + "u" * 100 + "/" + "d" * 100


@pytest.mark.parametrize(
    ("row", "message"),
    [
        pytest.param({"url": SLIDESHARE_LONG}, "That slides link is too long", id="slideshare"),
        pytest.param({"url": SPEAKERDECK_LONG}, "That slides link is too long", id="speakerdeck"),
        pytest.param({"url": "javascript:alert(1)"}, "Only http and https", id="js"),
        # A PDF link on any host is a deck (a link, never framed): another file is not.
        pytest.param(
            {"url": "https://evil.example/deck.pptx"}, "not a supported slides", id="host"
        ),
        pytest.param({"title": "\x00", "url": SPEAKERDECK_LONG[:60]}, NUL_ERROR, id="title-nul"),
        pytest.param(
            {"url": "https://speakerdeck.com/a/b", "pdf": ("a.pdf", PDF)},
            "Give either a slides link or a PDF file",
            id="both",
        ),
        pytest.param({"pdf": ("slides.pdf", HTML)}, "does not start with “%PDF-”", id="html-pdf"),
        pytest.param({"pdf": ("slides.pdf", b"")}, EMPTY_FILE_ERROR, id="empty-pdf"),
        pytest.param({"pdf": ("slides.pdf", PDF[:-7])}, "does not end with “%%EOF”", id="cut-pdf"),
        pytest.param(
            {"pdf": ("slides.pdf", PDF + b"\0" * (6 * 1024 * 1024))}, TOO_LARGE_ERROR, id="6mb"
        ),
        pytest.param({"pdf": ("slides.pdf", SVG)}, "does not start with “%PDF-”", id="svg-pdf"),
    ],
)
def test_session_slide_deck_inline_refuses_hostile_row(organiser_client, session, row, message):
    before = database_state()
    row = dict(row)
    pdf = row.pop("pdf", None)
    data = inline_rows("slide_decks", [{"position": "0", **row}])
    if pdf:
        data["slide_decks-0-pdf"] = SimpleUploadedFile(*pdf, content_type="application/pdf")

    response = change(organiser_client, session, **data)

    assert_refused(response, message, before)


def test_session_slide_deck_pdf_is_stored_under_random_name(organiser_client, session):
    data = inline_rows("slide_decks", [{"position": "0", "url": ""}])
    data["slide_decks-0-pdf"] = SimpleUploadedFile("../../evil<script>.pdf", PDF)

    response = change(organiser_client, session, **data)

    assert_saved(response)
    [deck] = SlideDeck.objects.filter(session=session)
    assert (deck.provider, deck.pdf.name.startswith("slides/"), "evil" in deck.pdf.name) == (
        "pdf",
        True,
        False,
    )


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        pytest.param(
            [{"speaker": "{a}", "position": "0"}, {"speaker": "{a}", "position": "1"}],
            "Please correct the duplicate data for speaker",
            id="same-speaker-twice",
        ),
        pytest.param(
            [{"speaker": "{a}", "position": "0"}, {"speaker": "{b}", "position": "0"}],
            "Please correct the duplicate data for position",
            id="same-position-twice",
        ),
        pytest.param(
            [{"speaker": "abc", "position": "0"}], CHOICE_ERROR, id="speaker-not-a-number"
        ),
        pytest.param([{"speaker": "99999", "position": "0"}], CHOICE_ERROR, id="unknown-speaker"),
        pytest.param(
            [{"speaker": "{a}", "position": str(2**31)}], "less than or equal to", id="pos-2-31"
        ),
        pytest.param(
            [{"speaker": "{a}", "position": "-1"}], "greater than or equal to", id="pos-negative"
        ),
    ],
)
def test_session_speaker_inline_refuses_hostile_rows(organiser_client, session, rows, message):
    a, b = SpeakerFactory(), SpeakerFactory()
    rows = [
        {k: v.replace("{a}", str(a.pk)).replace("{b}", str(b.pk)) for k, v in row.items()}
        for row in rows
    ]
    before = database_state()

    response = change(organiser_client, session, **inline_rows("session_speakers", rows))

    assert_refused(response, message, before)


def test_session_speaker_already_saved_is_refused_when_posted_again_as_new(
    organiser_client, session
):
    link = SessionSpeakerFactory(session=session, position=0)
    url = admin_url(session, "change", session.pk)
    data = open_form(organiser_client, url)
    rows = [{"speaker": str(link.speaker.pk), "position": "4"}]
    data.update(inline_rows("session_speakers", rows))
    before = database_state()

    response = organiser_client.post(url, data)

    assert_refused(response, "This speaker is already listed for this session.", before)


def test_session_speakers_swapping_positions_is_saved(organiser_client, session):
    first = SessionSpeakerFactory(session=session, position=0)
    second = SessionSpeakerFactory(session=session, position=1)
    url = admin_url(session, "change", session.pk)
    data = open_form(organiser_client, url)
    data["session_speakers-0-position"], data["session_speakers-1-position"] = ["1"], ["0"]

    response = organiser_client.post(url, data)

    assert_saved(response)
    assert [link.speaker for link in session.session_speakers.order_by("position")] == [
        second.speaker,
        first.speaker,
    ]


def test_invalid_utf8_in_a_post_is_replaced_not_a_crash(organiser_client, session):
    url = admin_url(session, "change", session.pk)
    data = open_form(organiser_client, url)
    data["title"] = ["PLACEHOLDER"]
    body = urlencode(data, doseq=True).replace("PLACEHOLDER", "Talk%ED%A0%80%FF")

    response = organiser_client.post(url, body, content_type="application/x-www-form-urlencoded")

    assert_saved(response)
    assert Session.objects.get(pk=session.pk).title == "Talk\ufffd\ufffd\ufffd\ufffd"


def test_session_change_page_escapes_hostile_saved_values(organiser_client, event):
    payload = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    session = SessionFactory(event=event, title=payload, description=payload)
    RecordingFactory(session=session, title=payload)
    SessionSpeakerFactory(session=session, speaker__name=payload)
    session.tags.add(payload)

    pages = [
        organiser_client.get(admin_url(session, "change", session.pk)),
        organiser_client.get(admin_url(Session, "changelist")),
        organiser_client.get(admin_url(Speaker, "changelist")),
        organiser_client.get(admin_url(session, "delete", session.pk)),
    ]

    assert [page.status_code for page in pages] == [200, 200, 200, 200]
    for page in pages:
        assert "<script>alert(1)" not in page.content.decode()
        assert "<img src=x" not in page.content.decode()


def test_session_speaker_position_saved_meanwhile_is_refused(organiser_client, session):
    SessionSpeakerFactory(session=session, position=0)
    url = admin_url(session, "change", session.pk)
    data = open_form(organiser_client, url)
    # A post made before that row existed: it does not carry it, and takes its position.
    rows = [{"speaker": str(SpeakerFactory().pk), "position": "0"}]
    data.update(inline_rows("session_speakers", rows))
    before = database_state()

    response = organiser_client.post(url, data)

    assert_refused(response, "This position is already taken in this session.", before)


def test_upload_with_a_long_file_name_is_stored_under_a_random_one(organiser_client, session):
    long_name = "Slides of a talk with a very long title, " * 6 + ".pdf"
    data = inline_rows("slide_decks", [{"position": "0", "url": ""}])
    data["slide_decks-0-pdf"] = SimpleUploadedFile(long_name, PDF)
    speaker = SpeakerFactory()

    responses = [
        change(organiser_client, session, **data),
        change(
            organiser_client, speaker, photo=SimpleUploadedFile("p" * 300 + ".png", png_bytes())
        ),
    ]

    assert [response.status_code for response in responses] == [302, 302]
    speaker.refresh_from_db()
    deck = SlideDeck.objects.get(session=session)
    assert (len(deck.pdf.name), len(speaker.photo.name)) == (43, 52)
