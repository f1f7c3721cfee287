"""The WSGI fast path answers a cached page exactly as Django's path does, and nothing else.

Each test drives WSGI callables directly, as a server would: ``django_path`` is Django's own
application (conference/wsgi.py, whose first middleware is the page cache), ``fast_path`` the
fast path in front of it, counting the requests it passes on to Django.
"""

import gzip
import os
import socket
import subprocess
import sys
import time
import urllib.request
from io import BytesIO
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext

from conference.fast_path import PageCacheFastPath
from conference.wsgi import django_application
from sessions.models import Session
from tests.factories import (
    EventFactory,
    RecordingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
)
from tests.workers import database_url, retitle_in_another_process

ROOT = Path(__file__).resolve().parents[2]
EVENT_PAGE = "/events/ccc2023/"


@pytest.fixture(autouse=True)
def connections_kept_open():
    """Django's handler closes old connections around each request, as the test client keeps
    it from doing: that would end the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def session(db):
    session = SessionFactory(title="State of the Union", event=EventFactory(slug="ccc2023"))
    SessionSpeakerFactory(session=session, speaker=SpeakerFactory(name="Rohit Yadav"))
    RecordingFactory(session=session)
    session.tags.add("kvm")
    return session


class CountingApplication:
    """Django's application, counting the requests that reach it."""

    def __init__(self):
        self.requests = 0

    def __call__(self, environ, start_response):
        self.requests += 1
        return django_application(environ, start_response)


@pytest.fixture
def django_path():
    return CountingApplication()


@pytest.fixture
def fast_path(django_path):
    return PageCacheFastPath(django_path)


def environ_for(path, method="GET", query="", **headers):
    """A WSGI environ as a server builds it; ``headers`` as environ keys (``HTTP_COOKIE``)."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "HTTP_HOST": "localhost",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": BytesIO(),
        **headers,
    }
    setup_testing_defaults(environ)
    return environ


def call(application, path, **kwargs):
    """``(status, headers, body)`` of ``application``'s answer, read and closed as a server
    does."""
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, headers

    result = application(environ_for(path, **kwargs), start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return answer["status"], answer["headers"], body


def header(answer, name):
    values = [value for key, value in answer[1] if key.lower() == name.lower()]
    return values[0] if values else None


def public_pages(session):
    speaker = session.speakers.get()
    return [
        (EVENT_PAGE, ""),
        (EVENT_PAGE, "tag=kvm&utm_source=newsletter"),
        (session.get_absolute_url(), ""),
        (speaker.get_absolute_url(), ""),
        ("/", ""),
        ("/speakers/", ""),
        ("/search/", "q=union"),
        ("/sitemap.xml", ""),
        ("/feeds/recordings.rss", ""),
    ]


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize("accept_encoding", [None, "gzip, deflate, br"])
def test_fast_path_answers_exactly_as_django_does(
    session, django_path, fast_path, method, accept_encoding
):
    headers = {"HTTP_ACCEPT_ENCODING": accept_encoding} if accept_encoding else {}
    for path, query in public_pages(session):
        call(django_path, path, query=query)  # rendered and stored
        from_django = call(django_path, path, query=query, method=method, **headers)
        passed_on = django_path.requests

        answer = call(fast_path, path, query=query, method=method, **headers)

        assert answer == from_django, path
        assert django_path.requests == passed_on, f"{path} was passed on to Django"
        assert answer[0] == "200 OK"
        assert header(answer, "X-Page-Cache") == "hit"


def test_gzip_answer_is_the_page_compressed_and_head_has_the_length_of_get(session, fast_path):
    call(fast_path, EVENT_PAGE)
    plain = call(fast_path, EVENT_PAGE)
    compressed = call(fast_path, EVENT_PAGE, HTTP_ACCEPT_ENCODING="gzip")
    head = call(fast_path, EVENT_PAGE, method="HEAD", HTTP_ACCEPT_ENCODING="gzip")

    assert header(compressed, "Content-Encoding") == "gzip"
    assert gzip.decompress(compressed[2]) == plain[2]
    assert header(plain, "Content-Encoding") is None
    assert header(plain, "Content-Length") == str(len(plain[2]))
    assert head[2] == b""
    assert header(head, "Content-Length") == str(len(compressed[2]))


def test_gzip_is_compressed_once_when_stored(session, fast_path, monkeypatch):
    call(fast_path, EVENT_PAGE)

    def compress(*args, **kwargs):
        raise AssertionError("compressed while answering")

    monkeypatch.setattr(gzip, "compress", compress)

    assert header(call(fast_path, EVENT_PAGE, HTTP_ACCEPT_ENCODING="gzip"), "Content-Encoding")


@pytest.mark.parametrize(
    "conditional",
    [
        lambda etag: {"HTTP_IF_NONE_MATCH": etag},
        lambda etag: {"HTTP_IF_NONE_MATCH": '"another"'},
        lambda etag: {"HTTP_IF_MATCH": '"another"'},
        lambda etag: {"HTTP_IF_MATCH": etag},
        lambda etag: {"HTTP_IF_UNMODIFIED_SINCE": "Mon, 01 Jan 2024 00:00:00 GMT"},
        lambda etag: {"HTTP_IF_MODIFIED_SINCE": "Mon, 01 Jan 2024 00:00:00 GMT"},
    ],
    ids=["if-none-match", "if-none-match-other", "if-match-other", "if-match", "ius", "ims"],
)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_conditional_requests_are_answered_as_django_does(
    session, django_path, fast_path, conditional, method
):
    etag = header(call(django_path, EVENT_PAGE), "ETag")
    headers = conditional(etag)

    from_django = call(django_path, EVENT_PAGE, method=method, **headers)
    answer = call(fast_path, EVENT_PAGE, method=method, **headers)

    assert answer == from_django


def test_repeat_visit_with_the_etag_gets_not_modified(session, fast_path):
    etag = header(call(fast_path, EVENT_PAGE), "ETag")

    answer = call(fast_path, EVENT_PAGE, HTTP_IF_NONE_MATCH=etag)

    assert (answer[0], answer[2], header(answer, "ETag")) == ("304 Not Modified", b"", etag)


FULL_STACK_ONLY = {"set-cookie", "vary", "cache-control", "expires"}
PER_ANSWER = {"content-length", "content-encoding", "etag", "cache-control", "vary", "x-page-cache"}


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_cached_answer_carries_the_headers_of_the_whole_stack(session, fast_path, scheme):
    """The security headers (CSP, HSTS over HTTPS, nosniff, Referrer-Policy, framing, COOP)
    that the middleware adds to a page rendered through the whole stack, for a visitor with a
    session cookie, are all on the fast path's answer, with the same values."""
    full_stack = call(
        fast_path,
        EVENT_PAGE,
        HTTP_COOKIE="sessionid=not-a-real-session",
        **{"wsgi.url_scheme": scheme},
    )
    call(fast_path, EVENT_PAGE, **{"wsgi.url_scheme": scheme})

    answer = call(fast_path, EVENT_PAGE, **{"wsgi.url_scheme": scheme})

    assert header(answer, "X-Page-Cache") == "hit"
    assert {
        name.lower(): value
        for name, value in full_stack[1]
        if name.lower() not in FULL_STACK_ONLY | PER_ANSWER
    } == {name.lower(): value for name, value in answer[1] if name.lower() not in PER_ANSWER}
    assert (header(answer, "Strict-Transport-Security") is not None) == (scheme == "https")
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"):
        assert header(answer, name) == header(full_stack, name) is not None


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"HTTP_COOKIE": "sessionid=not-a-real-session"},
        {"HTTP_COOKIE": "csrftoken=abc; sessionid=x"},
        {"method": "POST"},
        {"method": "OPTIONS"},
        {"HTTP_HOST": "evil.example"},
        {"HTTP_HOST": "localhost.evil.example"},
    ],
    ids=["session-cookie", "session-cookie-among-others", "post", "options", "host", "lookalike"],
)
def test_requests_the_page_cache_may_not_answer_go_to_django(
    session, django_path, fast_path, request_kwargs
):
    call(fast_path, EVENT_PAGE)
    call(fast_path, EVENT_PAGE)
    passed_on = django_path.requests

    for _ in range(2):  # the second time too: a remembered decision is the same decision
        answer = call(fast_path, EVENT_PAGE, **request_kwargs)
        assert header(answer, "X-Page-Cache") != "hit"

    assert django_path.requests == passed_on + 2
    if "HTTP_HOST" in request_kwargs:
        assert answer[0] == "400 Bad Request"


@pytest.mark.parametrize("path", ["/admin/", "/admin/login/", "/static/css/site.css"])
def test_admin_and_static_files_go_to_django(db, django_path, fast_path, path):
    call(fast_path, path)

    call(fast_path, path)

    assert django_path.requests == 2


def test_without_the_page_cache_middleware_nothing_is_answered(
    session, django_path, fast_path, settings
):
    call(fast_path, EVENT_PAGE)
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if name != "conference.caching.PageCacheMiddleware"
    ]

    call(fast_path, EVENT_PAGE)

    assert django_path.requests == 2


def test_a_host_added_to_the_allowed_hosts_is_answered(session, fast_path, settings):
    refused = call(fast_path, EVENT_PAGE, HTTP_HOST="roundups.example.org")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "roundups.example.org"]

    call(fast_path, EVENT_PAGE, HTTP_HOST="roundups.example.org")
    answer = call(fast_path, EVENT_PAGE, HTTP_HOST="roundups.example.org")

    assert refused[0] == "400 Bad Request"
    assert (answer[0], header(answer, "X-Page-Cache")) == ("200 OK", "hit")


def test_each_host_and_scheme_has_its_own_page(session, fast_path, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "roundups.example.org"]
    for host in ("localhost", "roundups.example.org"):
        for scheme in ("http", "https"):
            call(fast_path, EVENT_PAGE, HTTP_HOST=host, **{"wsgi.url_scheme": scheme})

    canonical = {
        (host, scheme): call(fast_path, EVENT_PAGE, HTTP_HOST=host, **{"wsgi.url_scheme": scheme})
        for host in ("localhost", "roundups.example.org")
        for scheme in ("http", "https")
    }

    for (host, scheme), answer in canonical.items():
        assert f'href="{scheme}://{host}{EVENT_PAGE}"'.encode() in answer[2]


def test_parameters_the_page_reads_have_their_own_page(session, fast_path):
    other = SessionFactory(title="Networking Deep Dive", event=session.event)
    other.tags.add("networking")
    for query in ("", "tag=kvm", "tag=networking"):
        call(fast_path, EVENT_PAGE, query=query)

    everything = call(fast_path, EVENT_PAGE)[2].decode()
    kvm = call(fast_path, EVENT_PAGE, query="utm_source=x&tag=kvm")[2].decode()

    assert "Networking Deep Dive" in everything and "State of the Union" in everything
    assert "Networking Deep Dive" not in kvm and "State of the Union" in kvm


def test_hit_makes_no_database_query(session, fast_path, django_path):
    call(fast_path, EVENT_PAGE)  # rendered, stored (one page for every encoding)

    with CaptureQueriesContext(connection) as queries:
        plain = call(fast_path, EVENT_PAGE)
        compressed = call(fast_path, EVENT_PAGE, HTTP_ACCEPT_ENCODING="gzip")
        head = call(fast_path, EVENT_PAGE, method="HEAD")

    assert list(queries) == []
    assert [header(answer, "X-Page-Cache") for answer in (plain, compressed, head)] == ["hit"] * 3
    assert django_path.requests == 1


def test_edit_shows_on_the_next_request(session, fast_path):
    call(fast_path, EVENT_PAGE)
    assert b"State of the Union" in call(fast_path, EVENT_PAGE)[2]

    session.title = "State of the Union 2023"
    session.save()
    after = call(fast_path, EVENT_PAGE)

    assert b"State of the Union 2023" in after[2]
    assert header(after, "X-Page-Cache") == "miss"


def test_other_events_pages_stay_cached_after_an_edit(session, fast_path, django_path):
    """An edit changes the change signal, so every version is read again, once per process,
    by the middleware's path: another event's page is then still the stored page."""
    other = SessionFactory(title="Elsewhere", event=EventFactory(slug="other"))
    call(fast_path, other.event.get_absolute_url())

    session.title = "Renamed"
    session.save()
    first = call(fast_path, other.event.get_absolute_url())
    passed_on = django_path.requests
    second = call(fast_path, other.event.get_absolute_url())

    assert [header(answer, "X-Page-Cache") for answer in (first, second)] == ["hit", "hit"]
    assert django_path.requests == passed_on


@pytest.mark.django_db(transaction=True)
def test_edit_made_by_another_process_shows_on_the_next_request(fast_path):
    session = SessionFactory(title="Before", event=EventFactory(slug="ccc2023"))
    call(fast_path, EVENT_PAGE)
    assert b"Before" in call(fast_path, EVENT_PAGE)[2]

    retitle_in_another_process(session, "After")
    page = call(fast_path, EVENT_PAGE)[2]

    assert b"After" in page
    assert b"Before" not in page


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn(transactional_db):
    """``gunicorn conference.wsgi:application`` (one worker) on the test database; yields its
    base URL."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "SECRET_KEY": "tests",
        "ALLOWED_HOSTS": "127.0.0.1",
        # The test settings: static files from the app folders, as no collectstatic ran.
        "DJANGO_SETTINGS_MODULE": "tests.settings",
    }
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "conference.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/robots.txt", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def fetch(url, method="GET", **headers):
    request = urllib.request.Request(url, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def test_gunicorn_serves_hits_from_the_fast_path_and_edits_at_once(gunicorn):
    session = SessionFactory(title="Before", event=EventFactory(slug="ccc2023"))
    url = gunicorn + EVENT_PAGE
    fetch(url)

    status, headers, body = fetch(url)
    _, gzip_headers, compressed = fetch(url, **{"Accept-Encoding": "gzip"})
    _, head_headers, head_body = fetch(url, method="HEAD")
    session.title = "After"
    session.save()
    _, _, edited = fetch(url)

    assert (status, headers["X-Page-Cache"], headers["Content-Length"]) == (
        200,
        "hit",
        str(len(body)),
    )
    assert gzip.decompress(compressed) == body and gzip_headers["Content-Encoding"] == "gzip"
    assert (head_body, head_headers["Content-Length"]) == (b"", str(len(body)))
    assert b"After" in edited and b"Before" not in edited
    assert Session.objects.get().title == "After"
