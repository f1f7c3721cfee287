"""media.ccc.de talks, video files and linked PDFs beyond parsing: their posters (nothing
fetched before a click), the recording with several formats, the CSP, the admin's recording
row, JSON-LD and the writers."""

import json
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from sessions.models import Recording
from sessions.templatetags.embeds import media_embed
from tests.conference.test_security import EXPECTED_CSP, run_django
from tests.conference.test_seo import head, json_ld
from tests.factories import RecordingFactory, SessionFactory, SlideDeckFactory
from tests.sessions.test_admin import change_url, inline_errors, session_form

pytestmark = pytest.mark.django_db

HOST = "video.fosdem.org"
MP4 = f"https://{HOST}/2024/ua2118/fosdem-2024-3242-firmware.mp4"
WEBM = f"https://{HOST}/2024/ua2118/fosdem-2024-3242-firmware.webm"
MEDIA_CCC = "https://media.ccc.de/v/38c3-12345-firmware"
PDF = "https://fosdem.org/2024/schedule/event/firmware/attachments/slides/6021/slides.pdf"
# Attributes whose URL a browser fetches as it reads the page (an <a href> waits for a click).
FETCHED = {"src", "srcset", "poster", "data"}


@pytest.fixture(autouse=True)
def video_file_hosts(settings):
    settings.VIDEO_FILE_HOSTS = [HOST]


class Elements(HTMLParser):
    """Every start tag, and every URL the browser would fetch on reading the HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.fetched = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.fetched += [value for name, value in attrs if name in FETCHED and value]
        if tag == "link":
            self.fetched += [value for name, value in attrs if name == "href"]


def elements(html):
    parser = Elements()
    parser.feed(html)
    return parser


def poster_attributes(html):
    """The poster link's attributes."""
    found = []

    class Poster(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "a" and ("class", "embed__poster") in attrs:
                found.append(dict(attrs))

    Poster(convert_charrefs=True).feed(html)
    [attributes] = found
    return attributes


# --- The recording with several formats --------------------------------------------------------


def test_recording_of_a_video_file_keeps_its_other_formats_canonical():
    recording = RecordingFactory(
        url=MP4.replace("https:", "http:"), alternate_urls=[WEBM, f"{WEBM}#t=1", MP4]
    )

    recording.refresh_from_db()
    assert (recording.provider, recording.url, recording.alternate_urls) == (
        "videofile",
        MP4,
        [WEBM],
    )
    assert recording.video_sources == [(MP4, "video/mp4"), (WEBM, "video/webm")]
    assert recording.content_url == MP4


@pytest.mark.parametrize(
    ("url", "alternates", "message"),
    [
        (
            MP4,
            ["https://elsewhere.example/talk.webm"],
            "https://elsewhere.example/talk.webm: Video files on elsewhere.example are not "
            "played here: add the host to VIDEO_FILE_HOSTS.",
        ),
        (
            MEDIA_CCC,
            [WEBM],
            "Only a video file has further sources (the same video in another format): "
            "media.ccc.de plays its own.",
        ),
    ],
)
def test_recording_full_clean_reports_bad_formats_on_their_field(url, alternates, message):
    recording = Recording(session=SessionFactory(), url=url, alternate_urls=alternates)

    with pytest.raises(ValidationError) as error:
        recording.full_clean()

    assert error.value.message_dict == {"alternate_urls": [message]}


def test_recording_save_refuses_a_bad_format_too():
    with pytest.raises(ValidationError) as error:
        RecordingFactory(url=MP4, alternate_urls=["https://elsewhere.example/talk.webm"])

    assert list(error.value.message_dict) == ["alternate_urls"]
    assert Recording.objects.count() == 0


def test_recording_with_a_bad_link_reports_only_the_link():
    recording = Recording(
        session=SessionFactory(), url="https://elsewhere.example/talk.mp4", alternate_urls=[WEBM]
    )

    with pytest.raises(ValidationError) as error:
        recording.full_clean()

    assert error.value.message_dict == {
        "url": [
            "Video files on elsewhere.example are not played here: "
            "add the host to VIDEO_FILE_HOSTS."
        ]
    }


# --- Posters: nothing fetched before the click -------------------------------------------------


def test_video_file_poster_lists_both_formats_and_fetches_nothing():
    recording = RecordingFactory(url=MP4, alternate_urls=[WEBM], session__title="Firmware")

    html = media_embed(recording, "Firmware")

    page = elements(html)
    assert (page.fetched, [t for t in page.tags if t in {"video", "source", "iframe"}]) == ([], [])
    poster = poster_attributes(html)
    assert {name: poster[name] for name in poster if name.startswith("data-")} == {
        "data-embed-src": MP4,
        "data-embed-provider": "videofile",
        "data-embed-hosts": HOST,
        "data-embed-title": "Video: Firmware",
        "data-embed-allow": "",
        "data-embed-player": "video",
        "data-embed-sources": f"video/mp4 {MP4} video/webm {WEBM}",
    }
    assert poster["href"] == MP4


def test_video_file_of_a_host_no_longer_listed_is_a_link_to_it(settings):
    recording = RecordingFactory(url=MP4, alternate_urls=[WEBM])
    settings.VIDEO_FILE_HOSTS = []

    html = media_embed(recording, "Firmware")

    poster = poster_attributes(html)
    assert (recording.embed_url, recording.video_sources) == ("", [])
    assert (poster["href"], "data-embed-src" in poster) == (MP4, False)
    assert "Open the video file" in html


def test_media_ccc_poster_waits_for_the_click_to_load_the_player():
    recording = RecordingFactory(url=f"{MEDIA_CCC}#t=60")

    html = media_embed(recording, "Firmware")

    assert (elements(html).fetched, "<iframe" in html) == ([], False)
    poster = poster_attributes(html)
    assert (poster["data-embed-src"], poster["data-embed-hosts"], poster["href"]) == (
        f"{MEDIA_CCC}/oembed",
        "media.ccc.de",
        MEDIA_CCC,
    )
    assert "data-embed-player" not in poster


def test_pdf_link_poster_is_a_plain_link_to_the_file():
    deck = SlideDeckFactory(url=PDF)

    html = media_embed(deck, "Firmware")

    poster = poster_attributes(html)
    assert (deck.provider, elements(html).fetched, "<iframe" in html) == ("pdflink", [], False)
    assert {name for name in poster if name.startswith("data-")} == set()
    assert poster["href"] == PDF
    assert ("Open the PDF" in html, "Opens fosdem.org" in html) == (True, True)


def test_session_page_draws_every_new_poster_and_fetches_nothing_elsewhere(client):
    session = SessionFactory(title="Firmware")
    RecordingFactory(session=session, url=MP4, alternate_urls=[WEBM])
    RecordingFactory(session=session, url=MEDIA_CCC)
    SlideDeckFactory(session=session, url=PDF)

    response = client.get(session.get_absolute_url())

    page = elements(response.content.decode())
    assert [url for url in page.fetched if urlsplit(url).hostname not in (None, "testserver")] == []
    assert {"video", "iframe"} & set(page.tags) == set()
    assert response.content.decode().count('class="embed__poster"') == 3


# --- The CSP -----------------------------------------------------------------------------------


def test_csp_media_src_is_only_this_site_and_the_listed_hosts():
    result = run_django(
        [
            "-c",
            "import django, json; django.setup(); from django.conf import settings; "
            "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']))",
        ],
        {"SECRET_KEY": "x" * 50, "VIDEO_FILE_HOSTS": "Video.Fosdem.org,cdn.media.ccc.de."},
    )

    directives = json.loads(result.stdout)
    assert directives["media-src"] == [
        "'self'",
        "https://video.fosdem.org",
        "https://cdn.media.ccc.de",
    ]
    assert directives["frame-src"] == EXPECTED_CSP["frame-src"]


def test_csp_header_has_media_src_self_only_by_default(client):
    session = SessionFactory()

    header = client.get(session.get_absolute_url())["Content-Security-Policy"]
    # django-csp writes the directives in no fixed order.
    directives = dict(
        (name, sources) for name, *sources in (part.split() for part in header.split(";"))
    )

    assert directives["media-src"] == ["'self'"]
    assert directives["frame-src"][:2] == [
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    ]
    assert "https://media.ccc.de" in directives["frame-src"]


# --- The admin's recording row -----------------------------------------------------------------


def test_admin_recording_row_saves_formats_typed_one_per_line(admin_client):
    session = SessionFactory()
    row = {"url": MP4, "alternate_urls": f"  {WEBM}\r\n\r\n{MP4}\n", "kind": "full"}

    response = admin_client.post(
        change_url(session), session_form(session, recordings=[{**row, "position": 0}])
    )

    assert response.status_code == 302
    assert list(session.recordings.values_list("url", "alternate_urls")) == [(MP4, [WEBM])]


def test_admin_recording_row_shows_the_formats_one_per_line(admin_client):
    session = SessionFactory()
    RecordingFactory(session=session, url=MP4, alternate_urls=[WEBM])

    response = admin_client.get(change_url(session))

    [formset] = [
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.prefix == "recordings"
    ]
    field = formset.forms[0]["alternate_urls"]
    assert (field.value(), field.field.widget.__class__.__name__) == (WEBM, "Textarea")
    assert f">\n{WEBM}</textarea>" in str(field)


def test_admin_recording_row_refuses_a_format_on_a_host_not_listed(admin_client):
    session = SessionFactory()
    row = {"url": MP4, "alternate_urls": "https://elsewhere.example/t.webm", "kind": "full"}

    response = admin_client.post(
        change_url(session), session_form(session, recordings=[{**row, "position": 0}])
    )

    assert response.status_code == 200
    assert inline_errors(response, "recordings") == (
        [
            {
                "alternate_urls": [
                    "https://elsewhere.example/t.webm: Video files on elsewhere.example are "
                    "not played here: add the host to VIDEO_FILE_HOSTS."
                ]
            }
        ],
        [],
    )
    assert Recording.objects.count() == 0


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (f"{WEBM}\x00", "Null characters are not allowed."),
        ("javascript:alert(1)//x.webm", "Only http and https links are accepted."),
        ("<script>alert(1)</script>", "Paste a link or an <iframe> embed code with a src"),
        (f"https://{HOST}/" + "a" * 10_000 + ".webm", "That is too long to be a video"),
        ("\n".join(f"https://{HOST}/t{n}.webm" for n in range(5)), "At most 4 further sources"),
        (f"https://{HOST}/talk.mkv", "is not a video file (.mp4, .m4v, .webm, .ogv)."),
    ],
)
def test_admin_recording_row_refuses_hostile_formats(admin_client, typed, message):
    session = SessionFactory()
    row = {"url": MP4, "alternate_urls": typed, "kind": "full", "position": 0}

    response = admin_client.post(change_url(session), session_form(session, recordings=[row]))

    [errors], _ = inline_errors(response, "recordings")
    assert (response.status_code, list(errors)) == (200, ["alternate_urls"])
    assert message in errors["alternate_urls"][0]
    assert Recording.objects.count() == 0


def test_admin_preview_shows_posters_of_the_new_providers(admin_client):
    session = SessionFactory()
    RecordingFactory(session=session, url=MP4, alternate_urls=[WEBM])
    RecordingFactory(session=session, url=MEDIA_CCC)
    SlideDeckFactory(session=session, url=PDF)

    html = admin_client.get(change_url(session)).content.decode()

    for provider in ("videofile", "mediaccc", "pdflink"):
        assert html.count(f"embed--{provider}") == 1, provider
    assert "<video" not in html


# --- JSON-LD and the writers -------------------------------------------------------------------


def test_json_ld_gives_a_video_files_address_as_its_content(client):
    session = SessionFactory(title="Firmware")
    RecordingFactory(session=session, url=MP4, alternate_urls=[WEBM])
    RecordingFactory(session=session, url=MEDIA_CCC)

    graph = json_ld(head(client, session.get_absolute_url()))["@graph"]

    assert [
        (video.get("contentUrl"), video.get("embedUrl"), video["url"])
        for video in graph
        if video["@type"] == "VideoObject"
    ] == [(MP4, None, MP4), (None, f"{MEDIA_CCC}/oembed", MEDIA_CCC)]


def test_roundup_post_links_the_new_providers(tmp_path):
    session = SessionFactory(title="Firmware")
    RecordingFactory(session=session, url=MP4, alternate_urls=[WEBM])
    RecordingFactory(session=session, url=MEDIA_CCC)
    SlideDeckFactory(session=session, url=PDF)
    out = StringIO()

    call_command("export_roundup", session.event.slug, stdout=out, stderr=StringIO())

    text = out.getvalue()
    assert f"[Video]({MP4})\n\n[Video]({MEDIA_CCC})\n\n[Slides]({PDF})\n" in text
    assert "<iframe" not in text


def test_json_export_gives_the_new_providers_with_their_links(client):
    session = SessionFactory(title="Firmware")
    RecordingFactory(session=session, url=MP4, alternate_urls=[WEBM])
    RecordingFactory(session=session, url=MEDIA_CCC)
    SlideDeckFactory(session=session, url=PDF)

    url = reverse("talks:event_export_json", kwargs={"slug": session.event.slug})
    [exported] = client.get(url).json()["sessions"]

    assert [(r["provider"], r["url"], r["embed_url"]) for r in exported["recordings"]] == [
        ("videofile", MP4, MP4),
        ("mediaccc", MEDIA_CCC, f"{MEDIA_CCC}/oembed"),
    ]
    assert [(d["provider"], d["url"], d["embed_url"]) for d in exported["slide_decks"]] == [
        ("pdflink", PDF, None)
    ]
