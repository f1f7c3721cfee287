"""The frozen site in Chromium, served by a plain ``python -m http.server``: nothing is asked of
another host before a click, and a click-to-load poster still loads its player."""

from io import StringIO
from urllib.parse import urlsplit

from django.core.management import call_command

from tests.browser.conftest import OTHER_HOSTS
from tests.sessions.static_site import serve_folder


def record_requests(page):
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def other_hosts(urls):
    return sorted({urlsplit(url).hostname for url in urls if OTHER_HOSTS.match(url)})


def test_frozen_event_page_loads_embeds_only_on_a_click(
    browser, reference_event, tmp_path, screenshot
):
    output = tmp_path / "site"
    call_command(
        "freeze",
        "--output",
        str(output),
        "--base-url",
        "https://roundups.example.org",
        stdout=StringIO(),
    )
    with serve_folder(output) as origin:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.route(OTHER_HOSTS, lambda route: route.abort())
        page = context.new_page()
        urls = record_requests(page)
        page.goto(origin + reference_event.get_absolute_url())
        page.mouse.wheel(0, 100_000)
        page.wait_for_load_state("networkidle")
        assert urls, "the page made no request at all"
        assert other_hosts(urls) == []
        assert page.locator("iframe").count() == 0
        screenshot(page, "freeze-event-page")

        poster = page.locator(".embed--youtube .embed__poster").first
        src = poster.get_attribute("data-embed-src")
        poster.click()
        iframe = page.locator(".embed--youtube iframe").first
        assert iframe.get_attribute("src") == src
        page.wait_for_load_state("networkidle")
        assert other_hosts(urls) == ["www.youtube-nocookie.com"]
        context.close()
