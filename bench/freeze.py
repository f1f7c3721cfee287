"""Time ``manage.py freeze``: the reference roundup's site, then a generated big event (FOSDEM's
size: 1,000 sessions, 100 rooms, 4 days) frozen alone; for each the first run (every file
written) and a second one (nothing changed: every page kept from the first run, none written).
Wall and CPU seconds: on a shared machine the CPU time is the steadier of the two.

    .venv/bin/python bench/freeze.py            # the 1,000-session event
    .venv/bin/python bench/freeze.py --short    # a short run for CI: 40 sessions, 4 rooms, 2 days

A throw-away SQLite file and output folder unless ``--database-url`` names another database
(which is flushed).
"""

import argparse
import shutil
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.common import setup_django  # noqa: E402

REFERENCE_ROUNDUP = ROOT.parent / "shared" / "seeds" / "ccc2023-roundup.md"
BASE_URL = "https://roundups.example.org"


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--rooms", type=int, default=100)
    parser.add_argument("--days", type=int, default=4)
    parser.add_argument("--database-url", help="default: a throw-away SQLite file")
    parser.add_argument("--short", action="store_true", help="a short run for CI")
    arguments = parser.parse_args()
    if arguments.short:
        arguments.sessions, arguments.rooms, arguments.days = 40, 4, 2
    return arguments


def timed_freeze(label, output, *args):
    from django.core.management import call_command

    for run in ("first", "second"):
        out = StringIO()
        started, cpu = time.perf_counter(), time.process_time()
        call_command("freeze", "--output", str(output), "--base-url", BASE_URL, *args, stdout=out)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        summary = out.getvalue().strip()
        pages = summary[summary.find("(") + 1 : summary.find(")")]  # "N rendered, M kept..."
        print(
            f"{label:44} {run:6} run {seconds:7.2f} s (CPU {cpu:6.2f} s)   "
            f"{summary.split('; ')[-1]} pages: {pages}"
        )


def main():
    arguments = parse_arguments()
    if not REFERENCE_ROUNDUP.exists():
        raise SystemExit(f"The reference roundup is missing: expected it at {REFERENCE_ROUNDUP}")
    workdir = Path(tempfile.mkdtemp(prefix="roundup-freeze-"))
    try:
        setup_django(arguments.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}")
        from django.core.management import call_command
        from django.db import connection

        from tests.sessions.big_event import build_big_event

        call_command("migrate", verbosity=0)
        if arguments.database_url:
            call_command("flush", "--noinput", stdout=StringIO())
        call_command("import_roundup", str(REFERENCE_ROUNDUP), stdout=StringIO())
        print(f"Database: {connection.vendor}")
        timed_freeze("reference roundup (whole site)", workdir / "reference")
        event = build_big_event(
            sessions=arguments.sessions, rooms=arguments.rooms, days=arguments.days
        )
        label = f"{arguments.sessions} sessions, {arguments.rooms} rooms (--event)"
        timed_freeze(label, workdir / "big", "--event", event.slug)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
