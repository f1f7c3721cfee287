"""Hostile requests from anonymous strangers, against every public URL, on SQLite and PostgreSQL.

Whatever arrives (NUL bytes, broken percent-encoding, 100,000 characters, operators only,
repeated or unknown parameters, unknown methods, garbage headers, a foreign ``Host``), the site
answers with a page or a 4xx, never a 500 or a traceback; what it echoes is escaped; drafts stay
invisible everywhere; and the page cache serves every visitor the page their request asks for,
whatever other requests filled it first.
"""

import datetime
import gzip
import re

import pytest
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client

from conference.caching import accepts_gzip, recent_pages
from tests.factories import (
    EventFactory,
    RecordingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db

# Nothing of these may reach an anonymous visitor: none of them is ever part of a URL below.
DRAFT_TEXTS = [
    "Unannounced Keynote Xylophone",
    "Quietly Withdrawn Talk",
    "Embargoed Speakerperson",
    "Hidden Summit Of Drafts",
]
DRAFT_ONLY_TAG = "secret-draft-topic"  # part of URLs below: checked on the pages that list tags

PAGES = [
    "/",
    "/events/ccc2023/",
    "/events/ccc2023/sessions/kvm-security-groups/",
    "/events/ccc2023/sessions/no-speakers/",
    "/events/ccc2023/export.json",
    "/events/ccc2023/sessions.ics",
    "/events/undated/",
    "/events/undated/export.json",
    "/events/undated/sessions.ics",
    "/events/empty/",
    "/events/empty/export.json",
    "/events/empty/sessions.ics",
    "/speakers/",
    "/speakers/rohit-yadav/",
    "/tags/kvm/",
    "/search/",
    "/feeds/recordings.rss",
    "/feeds/recordings.atom",
    "/sitemap.xml",
    "/robots.txt",
]
HTML_PAGES = [page for page in PAGES if page.endswith("/")]

LONG = "a" * 100_000
SCRIPT = "%3Cscript%3Ealert(1)%3C/script%3E"
# Each query string goes to every page: all of them must still answer 200.
HOSTILE_QUERIES = [
    "q=%00",
    "q=kvm%00security",
    "q=%5C%00",
    "q=%ff",
    "q=%ed%a0%80",
    "q=%C0%AE",
    "q=%",
    "q=%zz",
    f"q={LONG}",
    "q=" + "a%20" * 5000,
    "q=" + "%22a%20" * 3000,
    "q=!",
    "q=%26",
    "q=|",
    "q=:*",
    "q=a:*",
    "q='",
    "q=%22",
    "q=%22%22",
    "q=-",
    "q=or",
    "q=!!!%26%26||()",
    "q=%27%3B%20DROP%20TABLE%20talks_session;--",
    "q=1%27%20OR%20%271%27=%271",
    "q=%25",
    "q=_",
    "q=%E2%80%AE",
    "q=%F0%9F%98%80",
    f"q={SCRIPT}",
    "q=a&q=b",
    "q[]=x",
    "q",
    "q=",
    "=",
    "&&&",
    "kind=%00",
    "kind=talk&kind=panel",
    f"kind={LONG}",
    f"kind={SCRIPT}",
    "tag=%ff",
    "tag=..%2F..",
    "tag=kvm&tag=kvm",
    f"tag={SCRIPT}",
    "day=99999999999999999999",
    "day=-1",
    "page=99999999999999999999",
    "page=-1",
    "page=abc",
    "format=%00",
    "utm_source=%F0%9F%98%80",
]
# Paths that match no page, or only one an anonymous visitor may not see.
NOT_FOUND = [
    "/events/%C3%A9v%C3%A9nement/",
    "/events/" + "a" * 5000 + "/",
    "/events/../",
    "/events/..%2F/",
    "/events/a%2Fb/",
    "/events/%00/",
    "/events/%ff/",
    "/events/%ed%a0%80/",
    "/events/ccc2023/sessions/%00/",
    "/events/ccc2023/sessions/" + "z" * 3000 + "/",
    "/events/ccc2023/sessions/",
    "/events/ccc2023//",
    "/events/CCC2023/",
    "/events/ccc2023/%3Cscript%3E/",
    "/events/ccc2023/export.json/",
    "/speakers/%00/",
    "/speakers/%F0%9F%98%80/",
    "/speakers/" + "s" * 3000 + "/",
    "/tags/%00/",
    "/tags/%E2%80%AE/",
    "/tags/" + "t" * 3000 + "/",
    "/sitemap.xml/",
    "/robots.txt/",
    "/feeds/recordings.rss/",
    "/feeds/",
    "/%ff",
    "/%2e%2e/",
    # Drafts: a draft event and everything in it, a draft session of a published event, a speaker
    # and a tag that only drafts have.
    "/events/hidden-summit/",
    "/events/hidden-summit/export.json",
    "/events/hidden-summit/sessions.ics",
    "/events/hidden-summit/sessions/unannounced/",
    "/events/ccc2023/sessions/withdrawn/",
    "/speakers/embargoed/",
    "/tags/secret-draft-topic/",
]


@pytest.fixture
def site():
    """A published event with a session with speakers, video and tags, one without speakers
    and a draft one; an event without dates; an empty event; a draft event."""
    event = EventFactory(name="CloudStack Collaboration Conference 2023", slug="ccc2023")
    session = SessionFactory(
        event=event,
        title="KVM Security Groups Under the Hood",
        slug="kvm-security-groups",
        description="How the firewall rules of a guest are applied on the host.",
    )
    SessionSpeakerFactory(
        session=session, speaker=SpeakerFactory(name="Rohit Yadav", slug="rohit-yadav")
    )
    session.tags.add("kvm")
    RecordingFactory(session=session)
    SessionFactory(event=event, title="Lightning <b>talks</b> & friends", slug="no-speakers", day=2)

    withdrawn = SessionFactory(
        event=event,
        title="Quietly Withdrawn Talk",
        slug="withdrawn",
        is_published=False,
        description="kvm firewall zebrafish",
    )
    SessionSpeakerFactory(
        session=withdrawn, speaker=SpeakerFactory(name="Embargoed Speakerperson", slug="embargoed")
    )
    withdrawn.tags.add("kvm", DRAFT_ONLY_TAG)
    # A published speaker's draft session: left out of their page, the tag page and the
    # previous/next links of the published session before it.
    SessionSpeakerFactory(session=withdrawn, speaker=session.speakers.get())
    RecordingFactory(session=withdrawn, url="https://www.youtube.com/watch?v=aaaaaaaaaaa")

    undated = EventFactory(name="Undated Meetup", slug="undated", start_date=None, end_date=None)
    SessionFactory(event=undated, title="Timeless talk", slug="timeless")
    EventFactory(name="Empty Event", slug="empty", start_date=None, end_date=None)

    hidden = EventFactory(name="Hidden Summit Of Drafts", slug="hidden-summit", is_published=False)
    unannounced = SessionFactory(
        event=hidden,
        title="Unannounced Keynote Xylophone",
        slug="unannounced",
        description="zebrafish",
    )
    SessionSpeakerFactory(
        session=unannounced, speaker=SpeakerFactory(name="Embargoed Speakerperson 2")
    )
    RecordingFactory(session=unannounced, url="https://www.youtube.com/watch?v=bbbbbbbbbbb")
    return event


def body_of(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Encoding") == "gzip":
        content = gzip.decompress(content)
    return content.decode()


def assert_safe(response, url):
    """No server error, no traceback, no draft, and nothing the request sent echoed unescaped."""
    assert response.status_code < 500, url
    text = body_of(response)
    assert "Traceback" not in text, url
    assert [draft for draft in DRAFT_TEXTS if draft in text] == [], url
    if response.get("Content-Type", "").startswith("text/html"):
        assert "<script>alert(1)" not in text, url
    return text


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=lambda query: query[:40])
def test_hostile_query_string_answers_every_page(client, site, query):
    for page in PAGES:
        for method in (client.get, client.head):
            response = method(f"{page}?{query}")
            assert_safe(response, f"{page}?{query[:60]}")
            assert response.status_code == 200, f"{method.__name__} {page}?{query[:60]}"


def test_hostile_query_is_echoed_escaped(client, site):
    text = body_of(client.get(f"/search/?q={SCRIPT}"))

    assert "Results for “&lt;script&gt;alert(1)&lt;/script&gt;”" in text


def test_too_many_parameters_is_a_bad_request(client, site):
    for page in PAGES:
        response = client.get(page + "?" + "&".join(["a"] * 1200))
        assert response.status_code == 400, page
        assert_safe(response, page)


@pytest.mark.parametrize(
    "query",
    ["kvm%00", "%00kvm", "kvm%00%00", "%01kvm%1f%7f"],
)
def test_search_with_control_characters_finds_the_words_around_them(client, site, query):
    response = client.get(f"/search/?q={query}")

    assert response.status_code == 200
    titles = re.findall(r'<h3 class="session-row__title"><a [^>]*>(.*?)</a>', body_of(response))
    assert [re.sub(r"</?mark>", "", title) for title in titles] == [
        "KVM Security Groups Under the Hood"
    ]


def test_search_of_words_only_drafts_hold_finds_nothing(client, site):
    for words in ("zebrafish", "Xylophone", "Withdrawn", "Embargoed", DRAFT_ONLY_TAG):
        text = assert_safe(client.get(f"/search/?q={words}"), words)
        assert f"Nothing matches “{words}”" in text


@pytest.mark.parametrize("path", NOT_FOUND, ids=lambda path: path[:40])
def test_unknown_or_draft_path_is_not_found(client, site, path):
    for method in (client.get, client.head):
        response = method(path)
        assert response.status_code == 404, path
        assert_safe(response, path)


@pytest.mark.parametrize("path", ["/events/ccc2023", "/speakers", "/search", "/tags/kvm"])
def test_missing_trailing_slash_redirects(client, site, path):
    response = client.get(path + "?q=%00")

    assert response.status_code == 301
    assert response["Location"] == path + "/?q=%00"


@pytest.mark.parametrize("page", PAGES)
def test_unsafe_method_is_refused(site, page):
    csrf_checked = Client(enforce_csrf_checks=True)
    unchecked = Client()
    for method in ("post", "put", "patch", "delete"):
        # A stranger's form post stops at the CSRF check; with a token it reaches the view.
        refused = getattr(csrf_checked, method)(page, data="q=x", content_type="text/plain")
        assert refused.status_code == 403, f"{method} {page}"
        assert_safe(refused, page)
        not_allowed = getattr(unchecked, method)(page, data="q=x", content_type="text/plain")
        assert not_allowed.status_code == 405, f"{method} {page}"
    assert unchecked.options(page).status_code in (200, 405)


@pytest.mark.parametrize("page", PAGES)
def test_head_answers_headers_only(client, site, page):
    response = client.head(page)

    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.parametrize(
    "host", ["evil.example", "localhost:99999x", "localhost\x00", "[::1", "", "a" * 5000]
)
def test_foreign_host_is_a_bad_request_even_for_a_cached_page(client, site, host):
    for page in PAGES:
        assert client.get(page).status_code == 200  # now cached for the real host
        response = client.get(page, HTTP_HOST=host)
        assert response.status_code == 400, page
        assert_safe(response, page)


ODD_HEADERS = [
    {"Accept-Encoding": "\x00"},
    {"Accept-Encoding": "x" * 100_000},
    {"Accept-Encoding": "gzip;q=banana"},
    {"If-None-Match": "garbage"},
    {"If-None-Match": '"' + "x" * 100_000},
    {"If-None-Match": "*, W/"},
    {"If-Modified-Since": "garbage"},
    {"If-Modified-Since": "Mon, 99 Foo 99999 99:99:99 GMT"},
    {"If-Unmodified-Since": "Thu, 01 Jan 1970 99:00:00 GMT"},
    {"Range": "bytes=0-10"},
    {"Cookie": "sessionid=garbage"},
    {"Cookie": "csrftoken=" + "x" * 5000},
    {"Cookie": "messages=garbage"},
    {"Cookie": "\x00=\x00"},
    {"X-Forwarded-Host": "evil.example"},
    {"User-Agent": "x" * 100_000},
    {"Referer": "javascript:alert(1)"},
]


@pytest.mark.parametrize("headers", ODD_HEADERS, ids=lambda headers: repr(headers)[:40])
def test_odd_headers_get_the_page(client, site, headers):
    for page in PAGES:
        for _ in range(2):  # rendered, then from the cache
            response = client.get(page, headers=headers)
            assert response.status_code == 200, page
            assert_safe(response, page)
            assert "evil.example" not in body_of(response)


def test_precondition_with_another_pages_etag_fails_only_for_that_request(client, site):
    first = client.get("/events/ccc2023/")

    assert client.get("/events/ccc2023/", headers={"If-Match": '"nope"'}).status_code == 412
    assert client.get("/", headers={"If-None-Match": first["ETag"]}).status_code == 200
    assert (
        client.get("/events/ccc2023/", headers={"If-None-Match": first["ETag"]}).status_code == 304
    )
    assert client.get("/events/ccc2023/").content == first.content


@pytest.mark.parametrize(
    ("accept_encoding", "gzipped"),
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("deflate, gzip;q=0.5", True),
        ("*", True),
        ("gzip;q=0", False),
        ("gzip;q=0.000", False),
        ("*, gzip;q=0", False),
        ("gzip;q=banana", False),
        ("x-gzip-but-not", False),
        ("identity", False),
        ("", False),
    ],
)
def test_page_is_gzipped_only_when_the_visitor_accepts_it(client, site, accept_encoding, gzipped):
    plain = client.get("/events/ccc2023/")
    response = client.get("/events/ccc2023/", headers={"Accept-Encoding": accept_encoding})

    assert accepts_gzip(accept_encoding) == gzipped
    assert (response.get("Content-Encoding") == "gzip") == gzipped
    assert body_of(response) == plain.content.decode()


def fresh_page(url, **extra):
    """The page as rendered for a request nothing was cached for."""
    cache.clear()
    recent_pages.pages.clear()
    return Client().get(url, **extra).content


CACHE_VARIANTS = [
    ("/search/", {"QUERY_STRING": "q=%C3%83%C2%A9"}),  # "Ã©", percent-encoded
    ("/search/", {"QUERY_STRING": "q=\xc3\xa9"}),  # "é" as raw UTF-8 bytes (WSGI's Latin-1)
    ("/search/", {"QUERY_STRING": "q=%C3%A9"}),  # "é", percent-encoded
    ("/search/", {"QUERY_STRING": "q=kvm&q=firewall"}),
    ("/search/", {"QUERY_STRING": "q=firewall&q=kvm"}),
    ("/search/", {"QUERY_STRING": "q=firewall"}),
    ("/search/", {"QUERY_STRING": "q=%ff"}),
    ("/search/", {"QUERY_STRING": "q=%EF%BF%BD"}),
    ("/search/", {"QUERY_STRING": "q=kvm%00"}),
    ("/search/", {"QUERY_STRING": "q=kvm"}),
    ("/events/ccc2023/", {"QUERY_STRING": "kind=talk"}),
    ("/events/ccc2023/", {"QUERY_STRING": "tag=kvm"}),
    ("/events/ccc2023/", {"QUERY_STRING": "tag=kvm&tag=nope"}),
    ("/events/ccc2023/", {"QUERY_STRING": "tag=nope&tag=kvm"}),
    ("/events/ccc2023/", {"QUERY_STRING": "tag=\xc3\xa9"}),
    ("/events/ccc2023/", {}),
    ("/events/ccc2023/", {"HTTP_HOST": "localhost"}),
    ("/events/ccc2023/", {"HTTP_X_FORWARDED_PROTO": "https"}),
    ("/sitemap.xml", {"HTTP_HOST": "127.0.0.1"}),
    ("/sitemap.xml", {}),
]


def test_cache_serves_each_request_its_own_page_whatever_came_first(site, settings):
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = False
    expected = [fresh_page(path, **extra) for path, extra in CACHE_VARIANTS]
    cache.clear()
    recent_pages.pages.clear()

    # Every variant first fills the cache; then each one, and each in reverse order, reads it.
    client = Client()
    served = [client.get(path, **extra).content for path, extra in CACHE_VARIANTS]
    served_again = [client.get(path, **extra).content for path, extra in reversed(CACHE_VARIANTS)]

    assert served == expected
    assert served_again == expected[::-1]


class UnreachableCache(LocMemCache):
    """A cache whose server is gone (Redis down, or full and refusing writes)."""

    def get(self, *args, **kwargs):
        raise ConnectionError("cache server unreachable")

    def set(self, *args, **kwargs):
        raise ConnectionError("cache server unreachable")


class CorruptCache(LocMemCache):
    """A cache holding something else than a page under a page's key."""

    def get(self, key, default=None, version=None):
        return b"\x80not a page"


@pytest.mark.parametrize("backend", [UnreachableCache, CorruptCache])
def test_page_is_rendered_when_the_cache_fails(client, site, settings, backend):
    settings.CACHES = {
        "default": {"BACKEND": f"{__name__}.{backend.__name__}", "LOCATION": backend.__name__}
    }
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 200, page
        assert_safe(response, page)


def test_exports_of_events_with_missing_data(client, site):
    undated = client.get("/events/undated/sessions.ics")
    empty = client.get("/events/empty/export.json").json()
    no_speakers = client.get("/events/ccc2023/export.json").json()["sessions"][1]

    assert undated.status_code == 200
    assert "BEGIN:VEVENT" not in undated.content.decode()  # no date to put the session on
    assert (empty["event"]["start_date"], empty["sessions"], empty["speakers"]) == (None, [], [])
    assert (no_speakers["title"], no_speakers["speakers"]) == (
        "Lightning <b>talks</b> & friends",
        [],
    )


def test_drafts_are_left_out_of_feeds_exports_and_sitemap(client, site):
    ical = client.get("/events/ccc2023/sessions.ics").content.decode()
    export = client.get("/events/ccc2023/export.json").json()
    sitemap = client.get("/sitemap.xml").content.decode()
    rss = client.get("/feeds/recordings.rss").content.decode()

    assert ical.count("BEGIN:VEVENT") == 2
    assert [session["slug"] for session in export["sessions"]] == [
        "kvm-security-groups",
        "no-speakers",
    ]
    assert [speaker["slug"] for speaker in export["speakers"]] == ["rohit-yadav"]
    assert "withdrawn" not in sitemap and "hidden-summit" not in sitemap
    assert "embargoed" not in sitemap
    assert rss.count("<item>") == 1
    for page in HTML_PAGES:
        assert DRAFT_ONLY_TAG not in body_of(client.get(page)), page


@pytest.mark.parametrize(
    "page", ["2", "0", "-1", "99999999999999999999", "%00", "%ff", "1.5", "", "p%00"]
)
def test_sitemap_page_out_of_range_is_not_found(client, site, page):
    response = client.get(f"/sitemap.xml?p={page}")

    assert response.status_code == 404
    assert_safe(response, page)


def test_calendar_leaves_out_sessions_past_the_last_representable_date(client):
    last_day = datetime.date(9999, 12, 31)
    event = EventFactory(slug="far-future", start_date=last_day, end_date=last_day)
    SessionFactory(event=event, slug="all-day", title="All day")
    SessionFactory(event=event, slug="late", title="Late", start_time=datetime.time(23, 30))
    SessionFactory(event=event, slug="early", title="Early", start_time=datetime.time(9, 0))

    response = client.get("/events/far-future/sessions.ics")

    assert response.status_code == 200
    assert re.findall(r"SUMMARY:(.*)\r\n", response.content.decode()) == ["Early"]


def test_event_and_session_pages_of_an_event_at_the_end_of_the_calendar(client):
    """The admin refuses such dates now; a row written before (or by loaddata) still renders."""
    last_day = datetime.date(9999, 12, 31)
    event = EventFactory(slug="year-9999", start_date=last_day, end_date=last_day)
    session = SessionFactory(event=event, slug="second-day", title="Second day", day=2)

    event_page = client.get(event.get_absolute_url())
    session_page = client.get(session.get_absolute_url())

    assert (event_page.status_code, session_page.status_code) == (200, 200)
    assert "Second day" in event_page.text
