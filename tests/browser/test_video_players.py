"""A session page's video file and media.ccc.de talk in Chromium: posters until clicked, then
our own <video> with both formats of the file, or media.ccc.de's player.

The video file's host is one of VIDEO_FILE_HOSTS, with the CSP's media-src built for it as
conference/settings.py builds it; the browser's requests to that host are answered with a
tiny WebM checked in under tests/fixtures/video/ (and a 404 for the .mp4, so the browser has
to fall back on the second source).
"""

import copy
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from sessions.providers import video_file_origins
from tests.factories import RecordingFactory, SessionFactory, SessionSpeakerFactory

pytestmark = pytest.mark.browser

HOST = "video.example.org"
WEBM = Path(__file__).resolve().parents[1] / "fixtures" / "video" / "talk.webm"
MP4_URL = f"https://{HOST}/2024/ua2118/talk.mp4"
WEBM_URL = f"https://{HOST}/2024/ua2118/talk.webm"
MEDIA_CCC_SLUG = "38c3-12345-the_talk"


@pytest.fixture
def video_file_host(settings):
    """HOST is listed in VIDEO_FILE_HOSTS, and the CSP lets media come from it."""
    settings.VIDEO_FILE_HOSTS = [HOST]
    policy = copy.deepcopy(django_settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["media-src"] = [
        "'self'",
        *video_file_origins({"VIDEO_FILE_HOSTS": [HOST]}),
    ]
    settings.CONTENT_SECURITY_POLICY = policy


def serve_video_files(page):
    """Answer the page's requests to HOST: the WebM fixture, and 404 for anything else."""
    requests = []

    def answer(route):
        requests.append(route.request.url)
        if route.request.url == WEBM_URL:
            route.fulfill(status=200, path=str(WEBM), content_type="video/webm")
        else:
            route.fulfill(status=404, body="")

    page.route(f"https://{HOST}/**", answer)
    return requests


def test_video_file_poster_plays_both_formats_in_our_own_video_element(
    open_page, transactional_db, video_file_host, screenshot
):
    session = SessionFactory(title="Firmware for everyone")
    SessionSpeakerFactory(session=session)
    RecordingFactory(session=session, url=MP4_URL, alternate_urls=[WEBM_URL])

    page = open_page(session.get_absolute_url())
    requests = serve_video_files(page)
    poster = page.locator(".embed--videofile .embed__poster")
    screenshot(page, "video-file-poster")

    # Nothing asked of the file's host, and no <video>, before the click.
    assert (page.locator("video").count(), requests) == (0, [])
    assert poster.get_attribute("role") == "button"
    assert (
        poster.get_attribute("data-embed-sources") == f"video/mp4 {MP4_URL} video/webm {WEBM_URL}"
    )

    poster.click()

    video = page.locator(".embed--videofile video")
    assert video.locator("source").evaluate_all(
        "sources => sources.map(s => [s.getAttribute('src'), s.getAttribute('type')])"
    ) == [[MP4_URL, "video/mp4"], [WEBM_URL, "video/webm"]]
    assert (video.get_attribute("aria-label"), video.get_attribute("preload")) == (
        "Video: Firmware for everyone",
        "none",
    )
    assert video.evaluate("v => v.controls") is True
    # The .mp4 is answered 404: the browser falls back on the .webm and plays it.
    page.wait_for_function(
        "() => { const v = document.querySelector('.embed--videofile video');"
        " return v && v.readyState >= 1 && v.currentSrc; }"
    )
    assert video.evaluate("v => [v.currentSrc, v.videoWidth, v.videoHeight]") == [
        WEBM_URL,
        160,
        90,
    ]
    assert WEBM_URL in requests
    screenshot(page, "video-file-playing")


def test_media_ccc_poster_loads_the_talks_player_on_click(open_page, transactional_db, screenshot):
    session = SessionFactory(title="Hacking the planet")
    RecordingFactory(session=session, url=f"https://media.ccc.de/v/{MEDIA_CCC_SLUG}#t=42")

    page = open_page(session.get_absolute_url())
    screenshot(page, "media-ccc-poster")
    assert page.locator("iframe").count() == 0

    page.locator(".embed--mediaccc .embed__poster").click()

    iframe = page.locator(".embed--mediaccc iframe")
    assert (iframe.get_attribute("src"), iframe.get_attribute("title")) == (
        f"https://media.ccc.de/v/{MEDIA_CCC_SLUG}/oembed",
        "Video: Hacking the planet",
    )


def test_linked_pdf_poster_is_a_link_to_the_file(open_page, transactional_db, screenshot):
    session = SessionFactory(title="Slides only")
    session.slide_decks.create(url="https://files.example.net/decks/slides-only.pdf")

    page = open_page(session.get_absolute_url())
    poster = page.locator(".embed--pdflink .embed__poster")
    screenshot(page, "pdf-link-poster")

    assert (poster.get_attribute("href"), poster.get_attribute("role")) == (
        "https://files.example.net/decks/slides-only.pdf",
        None,
    )
    assert [
        poster.locator(part).text_content()
        for part in (".embed__provider", ".embed__action-text", ".embed__note")
    ] == ["PDF file", "Open the PDF", "Opens files.example.net"]
