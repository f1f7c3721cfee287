"""Build FOSDEM's scale (1,000 sessions, 100 rooms, 4 days) and print every public page's size,
gzipped size, SQL queries and render time, cold (nothing cached), against the 1 MB bound.

    .venv/bin/python bench/big_event.py [--sessions 1000] [--rooms 100] [--days 4] [--runs 3]
    .venv/bin/python bench/big_event.py --ci      # a short run: 200 sessions, 20 rooms, 2 days

A throw-away SQLite file unless ``--database-url`` names another database (which is flushed).
The event comes from ``tests/sessions/big_event.py`` (factories and ``bulk_create``), so the
numbers are those of the event the page-size tests hold to the bound.
"""

import argparse
import gzip
import statistics
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.common import setup_django  # noqa: E402

PAGE_BOUND = 1_000_000


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--rooms", type=int, default=100)
    parser.add_argument("--days", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3, help="cold renders per page (median)")
    parser.add_argument("--database-url", help="default: a throw-away SQLite file")
    parser.add_argument("--ci", "--short", action="store_true", help="a short run for CI")
    arguments = parser.parse_args()
    if arguments.ci:
        arguments.sessions, arguments.rooms, arguments.days, arguments.runs = 200, 20, 2, 1
    return arguments


def main():
    arguments = parse_arguments()
    workdir = Path(tempfile.mkdtemp(prefix="roundup-big-event-"))
    setup_django(arguments.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}")

    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from conference.caching import recent_pages
    from tests.sessions.big_event import build_big_event, public_pages

    call_command("migrate", verbosity=0)
    if arguments.database_url:
        call_command("flush", "--noinput", stdout=StringIO())
    started = time.perf_counter()
    event = build_big_event(sessions=arguments.sessions, rooms=arguments.rooms, days=arguments.days)
    print(
        f"Built {arguments.sessions} sessions, {arguments.rooms} rooms, {arguments.days} days "
        f"in {time.perf_counter() - started:.1f} s ({connection.vendor})"
    )
    client = Client(HTTP_HOST="127.0.0.1")
    print(f"{'page':58} {'bytes':>10} {'gzipped':>9} {'queries':>7} {'ms':>7}")
    worst = 0
    for path in public_pages(event):
        timings = []
        for _ in range(arguments.runs):
            cache.clear()
            recent_pages.pages.clear()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
        size = len(response.content)
        worst = max(worst, size)
        gzipped = len(gzip.compress(response.content, compresslevel=6))
        print(
            f"{path:58} {size:>10,} {gzipped:>9,} {len(queries):>7} "
            f"{statistics.median(timings):>7.0f}"
        )
    verdict = "within" if worst <= PAGE_BOUND else "OVER"
    print(f"Largest page: {worst:,} bytes, {verdict} the {PAGE_BOUND:,}-byte bound")
    if worst > PAGE_BOUND:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
