"""Hardening: security headers and CSP, check --deploy, the 503 page, admin login throttling."""

import json
import os
import secrets
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.urls import reverse

from conference.models import EventQuerySet
from tests.factories import (
    PASSWORD,
    ProfileLinkFactory,
    RecordingFactory,
    SessionSpeakerFactory,
    SlideDeckFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BASE_DIR = settings.BASE_DIR
EXPECTED_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "frame-src": [
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
        "https://media.ccc.de",
        "https://www.slideshare.net",
        "https://speakerdeck.com",
    ],
    "media-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
PRODUCTION_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(60),
    "DEBUG": "0",
    "ALLOWED_HOSTS": "roundups.example.org",
    "SECURE_SSL_REDIRECT": "1",
}


def parse_csp(header):
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def run_django(args, extra_env):
    """``python <args>`` in a fresh process with the real settings and ``extra_env``."""
    env = {
        key: value
        for key, value in os.environ.items()
        # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly flags.
        if key
        not in {
            "DJANGO_SETTINGS_MODULE",
            "PEERTUBE_INSTANCES",
            "VIDEO_FILE_HOSTS",
            "EMBED_THUMBNAILS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
        and not key.startswith(("SECURE_", "CACHE_", "MEDIA_"))
    }
    env.update(DJANGO_SETTINGS_MODULE="conference.settings", **extra_env)
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def session():
    """A published session with a speaker, a video and a deck: every kind of embed and JSON-LD."""
    link = SessionSpeakerFactory()
    ProfileLinkFactory(speaker=link.speaker)
    RecordingFactory(session=link.session)
    SlideDeckFactory(session=link.session)
    link.session.tags.add("kvm")
    return link.session


def public_urls(session):
    event, speaker = session.event, session.speakers.get()
    return [
        reverse("conference:event_list"),
        event.get_absolute_url(),
        session.get_absolute_url(),
        speaker.get_absolute_url(),
        reverse("speakers:list"),
        reverse("talks:tag_detail", args=["kvm"]),
        reverse("talks:search") + "?q=session",
    ]


class ScriptsAndStyles(HTMLParser):
    """Every <script> (attributes and text), <style> element and inline style/handler attribute."""

    def __init__(self):
        super().__init__()
        self.scripts, self.inline_styles, self.handlers = [], [], []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self._script = {"attrs": attrs, "text": ""}
            self.scripts.append(self._script)
        if tag == "style" or "style" in attrs:
            self.inline_styles.append((tag, attrs))
        self.handlers += [(tag, name) for name in attrs if name.startswith("on")]

    def handle_data(self, data):
        if self._script is not None:
            self._script["text"] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None


def parse_page(html):
    parser = ScriptsAndStyles()
    parser.feed(html)
    return parser


def inline_executable_scripts(scripts):
    """The scripts CSP ``script-src 'self'`` would block: inline code, without src or nonce.

    A <script> whose type is not a JavaScript MIME type is a data block: browsers never run it,
    so CSP does not apply to it. Ours are JSON-LD and must also be valid JSON.
    """
    blocked = []
    for script in scripts:
        attrs = script["attrs"]
        if attrs.get("src") or attrs.get("nonce"):
            continue
        if attrs.get("type") in ("application/ld+json", "application/json"):
            json.loads(script["text"])
            continue
        blocked.append(script)
    return blocked


# --- Headers ---------------------------------------------------------------------------------


def assert_security_headers(response):
    assert parse_csp(response["Content-Security-Policy"]) == EXPECTED_CSP
    assert response["Strict-Transport-Security"] == "max-age=31536000"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_public_page_sends_security_headers(client, session):
    response = client.get(session.get_absolute_url(), secure=True)

    assert response.status_code == 200
    assert_security_headers(response)


def test_public_page_from_the_page_cache_sends_security_headers(client, session):
    client.get(session.event.get_absolute_url(), secure=True)

    response = client.get(session.event.get_absolute_url(), secure=True)

    assert_security_headers(response)


def test_admin_page_sends_security_headers(admin_client, session):
    response = admin_client.get(
        reverse("admin:talks_session_change", args=[session.pk]), secure=True
    )

    assert response.status_code == 200
    assert_security_headers(response)


def test_admin_login_page_sends_security_headers(client):
    response = client.get(reverse("admin:login"), secure=True)

    assert response.status_code == 200
    assert_security_headers(response)


def test_csp_adds_peertube_instances_and_thumbnail_host_when_configured():
    result = run_django(
        [
            "-c",
            "import django, json; django.setup(); from django.conf import settings; "
            "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']))",
        ],
        {
            "SECRET_KEY": "x" * 50,
            "PEERTUBE_INSTANCES": "Video.Example.org,tube.example.",
            "EMBED_THUMBNAILS": "1",
        },
    )

    directives = json.loads(result.stdout)
    assert directives["frame-src"] == [
        *EXPECTED_CSP["frame-src"],
        "https://video.example.org",
        "https://tube.example",
    ]
    assert directives["img-src"] == ["'self'", "data:", "https://i.ytimg.com"]


def test_provider_added_to_the_table_is_allowed_by_the_csp():
    script = (
        "from tests.sessions.clipshare import register; register(); "
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']))"
    )

    result = run_django(["-c", script], {"SECRET_KEY": "x" * 50, "EMBED_THUMBNAILS": "1"})

    directives = json.loads(result.stdout)
    assert directives["frame-src"] == [
        *EXPECTED_CSP["frame-src"],
        "https://player.clipshare.example",
    ]
    assert directives["img-src"] == [
        "'self'",
        "data:",
        "https://i.ytimg.com",
        "https://img.clipshare.example",
    ]


def test_session_cookies_are_secure_and_http_only_when_debug_is_off():
    assert (settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE) == (
        False,
        True,
        True,
    )
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_check_deploy_reports_no_issues_with_production_settings():
    result = run_django(["manage.py", "check", "--deploy"], PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


def test_check_deploy_with_hsts_subdomains_and_preload_asked_for_silences_nothing():
    # The two silenced checks cover only the deliberate default; asked for, they are met.
    env = {**PRODUCTION_ENV, "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1", "SECURE_HSTS_PRELOAD": "1"}

    result = run_django(["manage.py", "check", "--deploy"], env)

    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


# --- No inline code: what CSP would block ----------------------------------------------------


def test_public_pages_have_no_inline_script_style_or_handler(client, session):
    for url in public_urls(session):
        response = client.get(url)
        assert response.status_code == 200, url
        page = parse_page(response.content.decode())

        assert inline_executable_scripts(page.scripts) == [], url
        assert (page.inline_styles, page.handlers) == ([], []), url


def test_json_ld_blocks_are_data_that_csp_leaves_alone(client, session):
    response = client.get(session.get_absolute_url())

    scripts = parse_page(response.content.decode()).scripts
    data_blocks = [script for script in scripts if not script["attrs"].get("src")]
    assert [script["attrs"] for script in data_blocks] == [{"type": "application/ld+json"}]
    assert json.loads(data_blocks[0]["text"])["@graph"][0]["@type"] == "VideoObject"


@pytest.mark.parametrize(
    "url_name", ["talks_session_change", "conference_event_change", "speakers_speaker_change"]
)
def test_admin_change_forms_have_no_inline_script_or_style(admin_client, session, url_name):
    obj = {
        "talks_session_change": session,
        "conference_event_change": session.event,
        "speakers_speaker_change": session.speakers.get(),
    }[url_name]

    response = admin_client.get(reverse(f"admin:{url_name}", args=[obj.pk]))

    assert response.status_code == 200
    page = parse_page(response.content.decode())
    assert inline_executable_scripts(page.scripts) == []
    assert (page.inline_styles, page.handlers) == ([], [])


def test_admin_changelist_and_add_form_have_no_inline_script_or_style(admin_client, session):
    for url in [reverse("admin:talks_session_changelist"), reverse("admin:talks_session_add")]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        page = parse_page(response.content.decode())

        assert inline_executable_scripts(page.scripts) == [], url
        assert (page.inline_styles, page.handlers) == ([], []), url


# --- Database unreachable --------------------------------------------------------------------


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_database_unreachable_gives_503_page_and_recovers(client, monkeypatch, caplog, error):
    def database_down(self, user):
        raise error("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

    monkeypatch.setattr(EventQuerySet, "visible_to", database_down)

    response = client.get(reverse("conference:event_list"))

    html = response.content.decode()
    assert (response.status_code, response["Retry-After"]) == (503, "30")
    assert "Back in a moment" in html
    assert "Connection refused" not in html and "Traceback" not in html
    assert "no-cache" in response["Cache-Control"]
    assert response["Content-Security-Policy"]
    logged = [r.getMessage() for r in caplog.records if r.name == "conference.middleware"]
    assert logged == [
        "Database unavailable while serving GET /: "
        "connection to server at 127.0.0.1, port 5432 failed: Connection refused"
    ]

    monkeypatch.undo()
    assert client.get(reverse("conference:event_list")).status_code == 200


def test_503_page_renders_without_touching_the_database(django_assert_num_queries):
    from django.template.loader import render_to_string

    with django_assert_num_queries(0):
        html = render_to_string("503.html")

    assert "Please try again in half a minute." in html


# --- Admin login throttling ------------------------------------------------------------------


def log_in(client, username, password):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
    )


def test_admin_login_locked_after_five_failures_other_user_unaffected(client):
    UserFactory(username="alice", is_staff=True)
    UserFactory(username="bob", is_staff=True)

    failures = [log_in(client, "alice", "wrong").status_code for _ in range(5)]
    right_password = log_in(client, "alice", PASSWORD)

    assert failures == [200, 200, 200, 200, 429]
    assert right_password.status_code == 429
    assert "Account locked" in right_password.content.decode()
    assert "_auth_user_id" not in client.session
    bob = log_in(client, "bob", PASSWORD)
    assert (bob.status_code, bob["Location"]) == (302, reverse("admin:index"))


def test_admin_login_failures_below_the_limit_then_success_logs_in(client):
    UserFactory(username="alice", is_staff=True)

    failures = [log_in(client, "alice", "wrong").status_code for _ in range(4)]
    response = log_in(client, "alice", PASSWORD)

    assert failures == [200, 200, 200, 200]
    assert (response.status_code, response["Location"]) == (302, reverse("admin:index"))


def test_admin_lockout_lifts_after_the_cool_off(client):
    from datetime import timedelta

    from axes.models import AccessAttempt

    UserFactory(username="alice", is_staff=True)
    for _ in range(5):
        log_in(client, "alice", "wrong")
    # 15 minutes later: the attempts are older than the cool-off.
    attempt = AccessAttempt.objects.get()
    AccessAttempt.objects.update(attempt_time=attempt.attempt_time - timedelta(minutes=16))

    response = log_in(client, "alice", PASSWORD)

    assert response.status_code == 302


def test_without_a_secret_key_commands_run_but_the_site_refuses_to_start(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(DJANGO_SETTINGS_MODULE="conference.settings", SECRET_KEY_FILE=str(tmp_path / "none"))

    check = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    serve = subprocess.run(
        [sys.executable, "-c", "import conference.wsgi"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert check.returncode == 0, check.stderr
    assert serve.returncode != 0
    assert "SECRET_KEY must be set to serve the site" in serve.stderr


def log_in_from(client, address, username, password, *, forged=""):
    """A login through one proxy (10.0.0.1) that appends ``address`` to X-Forwarded-For."""
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=f"{forged}, {address}" if forged else address,
    )


def test_admin_lockout_behind_a_proxy_is_per_visitor(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="alice", is_staff=True)

    for _ in range(5):
        log_in_from(client, "203.0.113.7", "alice", "wrong")
    # The attacker forges addresses of its own: the proxy's entry still names it.
    forged = log_in_from(client, "203.0.113.7", "alice", PASSWORD, forged="198.51.100.1")
    alice_elsewhere = log_in_from(client, "203.0.113.8", "alice", PASSWORD)

    assert forged.status_code == 429
    assert (alice_elsewhere.status_code, alice_elsewhere["Location"]) == (
        302,
        reverse("admin:index"),
    )


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "198.51.100.1", "203.0.113.7"),  # no proxy: the header is forged
        (1, "10.0.0.1", "203.0.113.7", "203.0.113.7"),
        (1, "10.0.0.1", "198.51.100.1, 203.0.113.7", "203.0.113.7"),
        (2, "10.0.0.2", "198.51.100.1, 203.0.113.7, 10.0.0.1", "203.0.113.7"),
        (1, "10.0.0.1", "2001:db8::1", "2001:db8::1"),
        (1, "10.0.0.1", "", "10.0.0.1"),  # the proxy did not say: its own address
        (2, "10.0.0.2", "203.0.113.7", "10.0.0.2"),  # fewer hops than proxies
        (1, "10.0.0.1", "not-an-address", "10.0.0.1"),
        (1, "10.0.0.1", "198.51.100.1, ", "198.51.100.1"),
    ],
)
def test_client_address_trusts_only_the_proxies_entries(
    rf, settings, proxies, remote, forwarded, expected
):
    from conference.client_address import client_address

    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_address(request) == expected
