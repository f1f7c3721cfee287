"""The reference roundup in a browser: click-to-load embeds, filters, layout and accessibility.

The event is imported by the real importer from the reference post, as organisers would.
"""

import io
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from conference.models import Event
from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
OTHER_HOSTS = re.compile(r"^https?://(?!(localhost|127\.0\.0\.1)[:/])")
KVM_TITLES = 3


@pytest.fixture
def reference_event(transactional_db, reference_roundup):
    """The imported reference event; its first three sessions are tagged "kvm"."""
    call_command("import_roundup", str(reference_roundup), stdout=io.StringIO())
    event = Event.objects.get()
    sessions = list(event.sessions.order_by("day", "position"))
    for session in sessions[:KVM_TITLES]:
        session.tags.add("kvm")
    sessions[KVM_TITLES].tags.add("storage")
    return event


def record_requests(page):
    """Every URL the page asks for from now on (the list fills as the page works)."""
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def other_hosts(urls):
    return sorted({urlsplit(url).hostname for url in urls} - LOCAL_HOSTS)


def test_event_page_requests_nothing_from_other_hosts_before_a_click(
    browser, live_server, reference_event
):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    urls = record_requests(page)
    context.route(OTHER_HOSTS, lambda route: route.abort())

    page.goto(live_server.url + reference_event.get_absolute_url())
    page.mouse.wheel(0, 100_000)  # lazy images and iframes below the fold too
    page.wait_for_load_state("networkidle")

    assert urls, "the page made no request at all"
    assert other_hosts(urls) == []
    assert page.locator("iframe").count() == 0
    assert page.locator(".embed__poster").count() == 36 + 34
    context.close()


def test_clicking_a_video_poster_loads_the_nocookie_player(open_page, reference_event):
    page = open_page(reference_event.get_absolute_url())
    poster = page.locator(".embed--youtube .embed__poster").first
    src = poster.get_attribute("data-embed-src")
    key = re.fullmatch(r"https://www\.youtube-nocookie\.com/embed/([\w-]{11})\?autoplay=1", src)
    assert key, src
    urls = record_requests(page)

    poster.click()

    iframe = page.locator(".embed--youtube iframe").first
    assert iframe.get_attribute("src") == src
    assert iframe.get_attribute("title").startswith("Video: ")
    assert iframe.get_attribute("loading") == "lazy"
    assert iframe.get_attribute("referrerpolicy") == "strict-origin-when-cross-origin"
    assert (
        iframe.get_attribute("allow") == "autoplay; encrypted-media; fullscreen; picture-in-picture"
    )
    page.wait_for_load_state("networkidle")
    assert other_hosts(urls) == ["www.youtube-nocookie.com"]
    assert page.locator("iframe").count() == 1


@pytest.mark.parametrize("key", ["Enter", " "])
def test_keyboard_activation_of_a_poster_loads_the_player(open_page, reference_event, key):
    page = open_page(reference_event.get_absolute_url())
    poster = page.locator(".embed--slideshare .embed__poster").first
    src = poster.get_attribute("data-embed-src")
    assert poster.get_attribute("role") == "button"
    url = page.url
    page.emulate_media(reduced_motion="reduce")  # instant scrolling, to measure it

    poster.focus()
    scroll_before = page.evaluate("window.scrollY")
    page.keyboard.press(key)

    iframe = page.locator("iframe")
    assert iframe.count() == 1
    assert iframe.get_attribute("src") == src
    assert src.startswith("https://www.slideshare.net/slideshow/embed_code/")
    assert page.evaluate("document.activeElement.tagName") == "IFRAME"
    assert page.url == url  # the poster's link was not followed
    # Nor did Space scroll the page by a screen (focusing the player may nudge it into view).
    assert abs(page.evaluate("window.scrollY") - scroll_before) < 100


@pytest.mark.parametrize(
    "src",
    [
        "https://evil.example/embed/x",
        "http://www.youtube-nocookie.com/embed/cCNCmJxxEPA",
        "https://www.youtube-nocookie.com.evil.example/embed/cCNCmJxxEPA",
        "javascript:alert(1)",
        "https://player.vimeo.com/video/1",  # another provider's host
    ],
)
def test_a_poster_loads_no_player_off_its_providers_allow_list(open_page, reference_event, src):
    page = open_page(reference_event.get_absolute_url())
    poster = page.locator(".embed--youtube .embed__poster").first
    # Tamper with the page after the script ran: the script checks the URL when clicked.
    poster.evaluate("(el, src) => el.setAttribute('data-embed-src', src)", src)
    urls = record_requests(page)

    poster.click()

    page.wait_for_load_state("networkidle")
    assert page.locator("iframe").count() == 0
    assert urlsplit(src).hostname not in {urlsplit(url).hostname for url in urls}


def test_tag_filter_hides_the_other_sessions_without_a_reload(open_page, reference_event):
    page = open_page(reference_event.get_absolute_url())
    total = page.locator(".session-card").count()
    page.evaluate("window.notReloaded = true")

    page.locator(".chip", has_text="kvm").click()

    assert page.locator(".session-card:visible").count() == KVM_TITLES
    assert page.evaluate("window.notReloaded") is True
    assert page.get_by_role("status").inner_text() == f"{KVM_TITLES} of {total} sessions shown."
    assert page.locator("#programme").get_attribute("aria-live") is None
    assert page.locator(".chip[aria-current]").all_inner_texts()[-1].startswith("kvm")
    assert page.url.endswith("?tag=kvm")
    assert page.locator(".toc__sessions li:visible").count() == KVM_TITLES

    page.locator(".chip", has_text="All topics").click()

    assert page.locator(".session-card:visible").count() == total
    assert page.get_by_role("status").inner_text() == ""


def test_kind_filter_link_works_without_javascript(browser, live_server, reference_event):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + reference_event.get_absolute_url())
    panels = reference_event.sessions.filter(kind="panel").count()

    page.locator(".chip", has_text="Panel").click()

    assert page.url.endswith("?kind=panel#programme")
    assert page.locator(".session-card").count() == panels > 0
    assert page.locator(".embed__poster").first.get_attribute("role") is None
    context.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_reference_event_page_fits_the_viewport(open_page, screenshot, reference_event, width):
    page = open_page(reference_event.get_absolute_url(), width=width)

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("[data-toc]").evaluate("el => el.open") is (width > 360)
    screenshot(page, f"reference-event-{width}")


def serious_violations(browser, url, axe_script, scheme="light"):
    """axe-core's serious and critical findings on ``url``: (rule, impact, first targets)."""
    # Our CSP forbids inline script, which is how axe-core gets injected: lift it for the audit.
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, color_scheme=scheme, bypass_csp=True
    )
    context.route(OTHER_HOSTS, lambda route: route.fulfill(status=204, body=""))
    page = context.new_page()
    page.goto(url)
    page.add_script_tag(path=str(axe_script))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    context.close()
    return [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]][:3])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_event_page_has_no_serious_accessibility_violations(
    browser, live_server, axe_script, reference_event, scheme
):
    url = live_server.url + reference_event.get_absolute_url()

    assert serious_violations(browser, url, axe_script, scheme) == []


def test_session_tag_and_index_pages_have_no_serious_accessibility_violations(
    browser, live_server, axe_script, reference_event
):
    session = reference_event.sessions.order_by("day", "position").first()

    for path in (session.get_absolute_url(), "/tags/kvm/", "/speakers/", "/"):
        assert serious_violations(browser, live_server.url + path, axe_script) == [], path


def test_event_page_follows_the_dark_scheme(browser, live_server, reference_event):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme="dark")
    page = context.new_page()
    page.goto(live_server.url + reference_event.get_absolute_url())

    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(13, 16, 22)"
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 2400})
    page.screenshot(path=str(ARTIFACTS / "reference-event-1280-dark.png"))
    context.close()
