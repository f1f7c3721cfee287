"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live_server.

No browser is ever downloaded: the tests use the Chromium that ``apt-get install chromium``
puts at /usr/bin/chromium (or wherever CHROMIUM_PATH says), and fail, not skip, without it.
Pages never reach the internet: requests to other hosts (the players a poster loads once
clicked) are answered with an empty 204, so the tests stay offline.

axe-core, the accessibility checker injected into pages, comes from the npm registry as a
devDependency in package.json: ``npm ci`` puts it under node_modules/.
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
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
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
        context.route(OTHER_HOSTS, lambda route: route.fulfill(status=204, body=""))
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


@pytest.fixture(scope="session")
def axe_script():
    """Path of axe-core's script, to inject with ``page.add_script_tag(path=...)``."""
    if not AXE.exists():
        pytest.fail(
            f"The accessibility tests need axe-core at {AXE}: run `npm ci` in {ROOT}.",
            pytrace=False,
        )
    return AXE
