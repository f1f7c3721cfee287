"""A frozen site served by a plain ``python -m http.server`` process, and a crawler for it."""

import contextlib
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from urllib.error import HTTPError, URLError
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.request import urlopen
from xml.etree import ElementTree

LINK_ATTRIBUTES = {"href", "src", "poster", "action"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serve_folder(folder):
    """``http://127.0.0.1:PORT`` serving ``folder`` with the standard library's static server."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    origin = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        yield origin
    finally:
        server.terminate()
        server.wait(timeout=10)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and (
                name in LINK_ATTRIBUTES or (name.startswith("data-") and value.startswith("/"))
            ):
                self.links.append(value)
            if value and name == "srcset":
                self.links += [c.split()[0] for c in value.split(",") if c.strip()]


def status_and_body(url):
    try:
        with urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except HTTPError as error:
        return error.code, "", b""
    except URLError:
        return 0, "", b""


def crawl(origin, start):
    """Every page reachable from ``start`` on ``origin``: (the paths fetched, the broken links
    as (page, link, status) triples)."""
    host = urlsplit(origin).netloc
    queue, seen, broken, pages = [origin + start], {origin + start}, [], []
    referrer = {origin + start: None}
    while queue:
        url = queue.pop()
        status, content_type, body = status_and_body(url)
        if status != 200:
            broken.append((referrer[url], url, status))
            continue
        pages.append(urlsplit(url).path)
        if not content_type.startswith("text/html"):
            continue
        parser = Links()
        parser.feed(body.decode())
        for link in parser.links:
            target, _ = urldefrag(urljoin(url, link))
            if urlsplit(target).netloc != host or target in seen:
                continue
            seen.add(target)
            referrer[target] = url
            queue.append(target)
    return pages, broken


def sitemap_paths(origin, base_url):
    """The paths the served ``sitemap.xml`` lists (their origin must be ``base_url``)."""
    with urlopen(origin + "/sitemap.xml") as response:
        tree = ElementTree.fromstring(response.read())
    locations = [loc.text for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locations and all(location.startswith(base_url + "/") for location in locations)
    return [
        urlsplit(location).path + ("index.html" if location.endswith("/") else "")
        for location in locations
    ]
