"""Time ``import_schedule`` on a generated frab schedule.xml of FOSDEM's scale: 1,000 sessions in
100 rooms over 4 days, with persons, links (videos, plain links) and attachments (slides).

    .venv/bin/python bench/import_schedule.py [--sessions 1000] [--rooms 100] [--days 4]
    .venv/bin/python bench/import_schedule.py --short   # CI: 100 sessions, 10 rooms, 2 days

It prints the seconds and SQL queries of the first import and of a second import of the same
file (which changes nothing), on a freshly migrated throw-away SQLite file unless
``--database-url`` names another database (which is flushed). The issue's bound: a 1,000-session
import in at most 10 s on SQLite; the script exits non-zero when the first import takes longer
than ``--max-seconds`` (10 by default).
"""

import argparse
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from io import StringIO
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.common import setup_django  # noqa: E402

NAMESPACE = uuid.UUID("a4a7f2f6-4c62-4e8e-9a53-5f0d9c1f3b10")  # the bench's guids, stable
FIRST_DAY = date(2026, 2, 1)
TRACKS = ("Kernel", "Web", "Databases", "Security", "Community", "Hardware", "Languages", "Art")


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--rooms", type=int, default=100)
    parser.add_argument("--days", type=int, default=4)
    parser.add_argument("--max-seconds", type=float, default=10.0)
    parser.add_argument("--database-url", help="default: a throw-away SQLite file")
    parser.add_argument("--short", action="store_true", help="a short run for CI")
    arguments = parser.parse_args()
    if arguments.short:
        arguments.sessions, arguments.rooms, arguments.days = 100, 10, 2
    return arguments


def generate_schedule(*, sessions, rooms, days):
    """A frab schedule.xml: sessions spread over ``rooms`` and ``days``, 30-minute talks back to
    back from 09:00, each with one or two persons (a third of them speak twice), a video link,
    a plain link, and slides for every other one."""
    per_room_day = -(-sessions // (rooms * days))  # ceil
    persons = max(1, sessions * 2 // 3)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<schedule>",
        '  <generator name="roundup-bench" version="1"/>',
        "  <version>1.0</version>",
        "  <conference>",
        "    <acronym>bench-conf</acronym>",
        "    <title>Bench Conference</title>",
        f"    <start>{FIRST_DAY}</start>",
        f"    <end>{FIRST_DAY + timedelta(days=days - 1)}</end>",
        f"    <days>{days}</days>",
        "    <timeslot_duration>00:05</timeslot_duration>",
        "    <time_zone_name>Europe/Brussels</time_zone_name>",
        "  </conference>",
    ]
    number = 0
    for day_index in range(days):
        day = FIRST_DAY + timedelta(days=day_index)
        lines.append(
            f'  <day index="{day_index + 1}" date="{day}" start="{day}T08:00:00+01:00" '
            f'end="{day}T20:00:00+01:00">'
        )
        for room_index in range(rooms):
            room = f"Room {room_index + 1:03d}"
            lines.append(f"    <room name={quoteattr(room)}>")
            for slot in range(per_room_day):
                if number >= sessions:
                    break
                number += 1
                lines.extend(_event(number, day, slot, room, persons))
            lines.append("    </room>")
        lines.append("  </day>")
    lines.append("</schedule>")
    return "\n".join(lines) + "\n"


def _event(number, day, slot, room, persons):
    starts = datetime(day.year, day.month, day.day, 9, 0) + timedelta(minutes=30 * slot)
    guid = uuid.uuid5(NAMESPACE, f"session-{number}")
    speakers = [number % persons]
    if number % 3 == 0:
        speakers.append((number * 7 + 1) % persons)
    people = "".join(
        f'<person id="{9000 + p}" guid="{uuid.uuid5(NAMESPACE, f"person-{p}")}">'
        f"{escape(f'Speaker {p:04d}')}</person>"
        for p in dict.fromkeys(speakers)
    )
    attachments = (
        f'<attachment href="https://bench.example.org/slides/{number}.pdf">Slides</attachment>'
        if number % 2 == 0
        else ""
    )
    return [
        f'      <event guid="{guid}" id="{number}">',
        f"        <date>{starts:%Y-%m-%dT%H:%M:%S}+01:00</date>",
        f"        <start>{starts:%H:%M}</start>",
        "        <duration>00:25</duration>",
        f"        <room>{escape(room)}</room>",
        f"        <slug>bench-{number}-talk</slug>",
        f"        <title>Talk number {number}</title>",
        "        <subtitle></subtitle>",
        f"        <track>{TRACKS[number % len(TRACKS)]}</track>",
        "        <type>lecture</type>",
        "        <language>en</language>",
        f"        <abstract>What talk {number} is about.</abstract>",
        f"        <description>The longer story of talk {number}.</description>",
        f"        <persons>{people}</persons>",
        "        <links>"
        f'<link href="https://www.youtube.com/watch?v=bench{number:06d}">Video</link>'
        f'<link href="https://bench.example.org/talks/{number}/notes">Notes</link>'
        "</links>",
        f"        <attachments>{attachments}</attachments>",
        "      </event>",
    ]


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed_import(path):
    """``(seconds, queries, output)`` of one ``import_schedule`` of ``path``."""
    from django.core.management import call_command
    from django.db import connection

    counter, output = QueryCounter(), StringIO()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        call_command("import_schedule", str(path), stdout=output)
    return time.perf_counter() - started, counter.count, output.getvalue()


def main():
    arguments = parse_arguments()
    workdir = Path(tempfile.mkdtemp(prefix="roundup-import-bench-"))
    setup_django(
        arguments.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}", "conference.settings"
    )
    from django.core.management import call_command
    from django.db import connection

    from sessions.models import Session

    call_command("migrate", verbosity=0)
    if arguments.database_url:
        call_command("flush", "--noinput", stdout=StringIO())
    path = workdir / "schedule.xml"
    path.write_text(
        generate_schedule(sessions=arguments.sessions, rooms=arguments.rooms, days=arguments.days),
        encoding="utf-8",
    )
    print(
        f"schedule.xml: {arguments.sessions} sessions, {arguments.rooms} rooms, "
        f"{arguments.days} days, {path.stat().st_size:,} bytes ({connection.vendor})"
    )
    first_seconds, first_queries, _output = timed_import(path)
    imported = Session.objects.filter(event__slug="bench-conf").count()
    if imported != arguments.sessions:
        raise SystemExit(f"imported {imported} sessions, not {arguments.sessions}")
    print(
        f"first import: {first_seconds:.2f} s, {first_queries} queries "
        f"({first_queries / arguments.sessions:.1f} per session)"
    )
    again_seconds, again_queries, output = timed_import(path)
    if "(unchanged)" not in output:
        raise SystemExit(f"the second import changed something:\n{output}")
    print(
        f"re-import (unchanged): {again_seconds:.2f} s, {again_queries} queries "
        f"({again_queries / arguments.sessions:.1f} per session)"
    )
    if first_seconds > arguments.max_seconds:
        raise SystemExit(f"the first import took more than {arguments.max_seconds:g} s")


if __name__ == "__main__":
    main()
