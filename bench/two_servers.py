"""Two app servers, one database and one cache: an edit through one shows on the other.

Usage (PostgreSQL and Redis running locally, as on the development machines):

    .venv/bin/python bench/two_servers.py [--database-url postgres://postgres@127.0.0.1:5432/roundup_bench]
                                          [--cache-url redis://127.0.0.1:6379/14] [--short]

The database is created when it does not exist; a PostgreSQL or Redis that does not answer is
named in a one-line message. The two gunicorns run with SESSION_COOKIE_SECURE=0: they speak
plain HTTP on 127.0.0.1, where a Secure cookie would never come back. ``--short`` (CI) runs
one gunicorn worker per server; the check itself is the same.

It imports the reference post, starts two gunicorn instances on different ports, warms both
caches with the event page, unpublishes a session through the admin of the first (logged in,
with the bulk action), and checks that the very next anonymous request to the second no longer
lists it. It prints what it saw and exits non-zero if the second server served a stale page.
"""

import argparse
import html
import os
import re
import secrets
import socket
import sys
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ensure_database
from run import ROOT, SEED, Gunicorn, manage


def fetch(opener, url, data=None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body)
    if data is not None:
        request.add_header("Referer", url)
    with opener.open(request) as response:
        return response.read().decode()


def csrf_token(page):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def ensure_redis(url):
    parts = urllib.parse.urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 6379
    try:
        with socket.create_connection((host, port), timeout=5) as connection:
            connection.sendall(b"PING\r\n")
            answer = connection.recv(64)
    except OSError as error:
        raise SystemExit(
            f"Redis is not reachable at {host}:{port} ({error}); start it or pass --cache-url"
        ) from None
    if not answer.startswith(b"+PONG"):
        raise SystemExit(f"Redis at {host}:{port} answered {answer!r} to PING; pass --cache-url")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/roundup_bench"
    )
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--short", action="store_true", help="one worker per server, for CI")
    args = parser.parse_args()
    if not SEED.exists():
        raise SystemExit(f"the reference post is missing: {SEED}")
    ensure_database(args.database_url)
    ensure_redis(args.cache_url)
    workers = 1 if args.short else 2
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "CACHE_URL": args.cache_url,
        "SECRET_KEY": "two-servers-check",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SESSION_COOKIE_SECURE": "0",
        "PYTHONPATH": str(ROOT),
    }
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    manage(env, "import_roundup", str(SEED))
    password = secrets.token_urlsafe(16)
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        "User.objects.filter(username='bench-admin').delete(); "
        f"User.objects.create_superuser('bench-admin', '', '{password}')",
    )
    first, second = Gunicorn("conference.wsgi:application", env, workers=workers), None
    try:
        second = Gunicorn("conference.wsgi:application", env, workers=workers)
        event_path = "/events/ccc2023-roundup/"
        visitor = urllib.request.build_opener()
        before = fetch(visitor, second.base + event_path)
        fetch(visitor, first.base + event_path)
        session_link = re.search(r'href="/events/ccc2023-roundup/sessions/([^"/]+)/"', before)
        slug = session_link.group(1)
        title = html.unescape(
            re.search(rf'sessions/{slug}/"[^>]*>([^<]+)<', before).group(1)
        ).strip()
        print(f"second server lists '{title}' before the edit: {title in html.unescape(before)}")

        organiser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        login_page = fetch(organiser, first.base + "/admin/login/")
        fetch(
            organiser,
            first.base + "/admin/login/?next=/admin/",
            {
                "csrfmiddlewaretoken": csrf_token(login_page),
                "username": "bench-admin",
                "password": password,
                "next": "/admin/",
            },
        )
        changelist = fetch(organiser, first.base + f"/admin/talks/session/?q={slug}")
        pk = re.search(r'name="_selected_action" value="(\d+)"', changelist).group(1)
        fetch(
            organiser,
            first.base + "/admin/talks/session/",
            {
                "csrfmiddlewaretoken": csrf_token(changelist),
                "action": "unpublish",
                "_selected_action": pk,
                "index": "0",
            },
        )
        print(f"unpublished session {pk} through the admin of the first server ({first.base})")

        after = html.unescape(fetch(visitor, second.base + event_path))
        stale = f"/sessions/{slug}/" in after
        print(f"second server ({second.base}) still lists it on its next request: {stale}")
        manage(
            env,
            "shell",
            "-c",
            f"from sessions.models import Session; s = Session.objects.get(pk={pk}); "
            "s.is_published = True; s.save()",
        )
    finally:
        first.stop()
        if second:
            second.stop()
    if stale:
        raise SystemExit("FAIL: the second app server served a stale page")
    print("OK: the edit showed on the other app server's next request")


if __name__ == "__main__":
    main()
