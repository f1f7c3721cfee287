"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live_server.

No browser is ever downloaded: the tests use the Chromium that ``apt-get install chromium``
puts at /usr/bin/chromium (or wherever CHROMIUM_PATH says), and fail, not skip, without it.
Pages never reach the internet: requests to other hosts (the YouTube and SlideShare players)
are answered with an empty page, so the embeds show their dark placeholder.
"""

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by factories
# and live_server from that thread are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
OTHER_HOSTS = re.compile(r"^https?://(?!(localhost|127\.0\.0\.1)[:/])")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"Browser tests need Chromium at {CHROMIUM}: install Debian's with "
            "`apt-get install -y chromium` (or set CHROMIUM_PATH). Never `playwright install`.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live_server):
    """``open_page(path, width=1280)``: a fresh page of that width, loaded from live_server."""
    contexts = []

    def open_page(path, width=1280):
        context = browser.new_context(viewport={"width": width, "height": 800})
        context.route(
            OTHER_HOSTS, lambda route: route.fulfill(status=200, content_type="text/html", body="")
        )
        contexts.append(context)
        page = context.new_page()
        page.goto(live_server.url + path)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    """``screenshot(page, name)``: save a full-page PNG under test-artifacts/ to look at."""

    def screenshot(page, name):
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return screenshot
