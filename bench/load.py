"""Load and fault test: the public pages under sustained load, then while PostgreSQL drops out.

Usage (from the checkout, after scripts/bootstrap; needs wrk and a local PostgreSQL):

    .venv/bin/python bench/load.py [--duration 30] [--connections 64] [--outage 5]
        [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--short]

``--short`` (CI): 8 s per run, 4 connections (a shared CI machine times out beyond), a 2 s
outage; the same checks.

It creates a throw-away database on that server (dropped at the end), imports the reference
post and starts gunicorn (2 workers) on 127.0.0.1, connected to PostgreSQL through a small TCP
proxy this script runs on 127.0.0.1. wrk cycles through the event, session, speaker, search and
feed pages twice:

1. steady: the site as deployed (page cache on); expect no non-2xx response, no socket error;
2. outage: the page cache off (CACHE_URL=dummycache:// and a session cookie, so every request
   queries the database);
   halfway through, the proxy drops every database connection and refuses new ones for
   --outage seconds. Expect 503 (the friendly page) during the outage, and only 200 after it,
   with nothing restarted.

Everything is bounded in time and stops by itself; only 127.0.0.1 is used.
"""

import argparse
import asyncio
import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from run import ROOT, SEED, Gunicorn, free_port, manage, to_ms

PAGES_PER_KIND = 5
# Visitors with a session cookie are never answered from a page cache (nor from the pages a
# process keeps in memory, which need no database): each of their requests is rendered.
RENDER_EVERY_REQUEST = {"Cookie": "sessionid=bench-outage"}
RECOVERY_GRACE_SECONDS = 2  # after the proxy is back: requests in flight still see the outage
# Cycles through the paths; counts responses per (second, status) and prints them at the end.
WRK_SCRIPT = """
local paths = {%(paths)s}
local request_headers = {%(headers)s}
local counter = 0
counts = {}
local threads = {}

setup = function(thread)
  table.insert(threads, thread)
end

request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], request_headers)
end

response = function(status, headers, body)
  local key = os.time() .. " " .. status
  counts[key] = (counts[key] or 0) + 1
end

done = function(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for key, count in pairs(thread:get("counts")) do
      io.write("STATUS " .. key .. " " .. count .. "\\n")
    end
  end
end
"""
STATUS_LINE = re.compile(r"^STATUS (\d+) (\d+) (\d+)$", re.MULTILINE)
# Anchored: a "+/- Stdev" such as "50.99%" must not pass for the 99th percentile.
PERCENTILE = r"^\s+%s%%\s+(\S+)"


class FlakyProxy:
    """A TCP proxy on 127.0.0.1 to the database that can be cut and restored.

    ``cut()`` resets every open connection and closes the listening socket, so new connections
    are refused, as when the database host goes away; ``restore()`` listens again on the same
    port. It runs its own asyncio loop in a daemon thread.
    """

    def __init__(self, upstream_host, upstream_port):
        self.upstream = (upstream_host, upstream_port)
        self.port = free_port()
        self.connections = set()
        self.server = None
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.restore()

    def restore(self):
        self._run(self._listen())

    def cut(self):
        self._run(self._cut())

    def stop(self):
        self.cut()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)

    def _run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=10)

    async def _listen(self):
        self.server = await asyncio.start_server(
            self._forward, "127.0.0.1", self.port, reuse_address=True
        )

    async def _cut(self):
        server, self.server = self.server, None
        if server:
            server.close()
        for writer in list(self.connections):
            writer.transport.abort()
        self.connections.clear()

    async def _forward(self, client_reader, client_writer):
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            client_writer.transport.abort()
            return
        if self.server is None:  # cut while this connection was being opened
            client_writer.transport.abort()
            upstream_writer.transport.abort()
            return
        self.connections |= {client_writer, upstream_writer}
        await asyncio.gather(
            self._pipe(client_reader, upstream_writer),
            self._pipe(upstream_reader, client_writer),
        )

    async def _pipe(self, reader, writer):
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except OSError:
            pass
        finally:
            self.connections.discard(writer)
            writer.transport.abort()


class ThrowAwayDatabase:
    """A new, empty database on the server of ``url``; ``drop()`` removes it."""

    def __init__(self, url):
        parts = urlsplit(url)
        self.connect_args = {
            "host": parts.hostname or "127.0.0.1",
            "port": parts.port or 5432,
            "user": parts.username or "postgres",
            "password": parts.password,
            "dbname": parts.path.lstrip("/") or "postgres",
            "autocommit": True,
        }
        self.name = f"roundup_load_{os.getpid()}"
        with psycopg.connect(**self.connect_args) as connection:
            connection.execute(f'CREATE DATABASE "{self.name}"')

    def url_through(self, port):
        user = self.connect_args["user"]
        password = f":{self.connect_args['password']}" if self.connect_args["password"] else ""
        return f"postgres://{user}{password}@127.0.0.1:{port}/{self.name}"

    def drop(self):
        with psycopg.connect(**self.connect_args) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@contextlib.contextmanager
def stderr_into(path):
    """Processes started inside write their stderr to ``path`` (one line per 503 otherwise)."""
    saved = os.dup(2)
    with path.open("ab") as log:
        os.dup2(log.fileno(), 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def start_server(env, log):
    with stderr_into(log):
        return Gunicorn("conference.wsgi:application", env)


def pages_to_load(base):
    """Paths of the event, some sessions and speakers, two searches and both feeds."""
    event = "/events/ccc2023-roundup/"
    html = urllib.request.urlopen(base + event, timeout=30).read().decode()
    sessions = list(dict.fromkeys(re.findall(r'href="(/events/[^"]+/sessions/[^"]+/)"', html)))
    speakers = list(dict.fromkeys(re.findall(r'href="(/speakers/[^"/]+/)"', html)))
    if not sessions or not speakers:
        raise SystemExit("the event page links no session or no speaker: was the post imported?")
    return [
        event,
        *sessions[:PAGES_PER_KIND],
        *speakers[:PAGES_PER_KIND],
        "/search/?q=cloudstack",
        "/search/?q=kubernetes",
        "/feeds/recordings.rss",
        "/feeds/recordings.atom",
    ]


def start_wrk(base, paths, *, duration, connections, workdir, headers=None):
    script = workdir / "pages.lua"
    lua_headers = ", ".join(f'["{name}"] = "{value}"' for name, value in (headers or {}).items())
    script.write_text(
        WRK_SCRIPT % {"paths": ", ".join(f'"{path}"' for path in paths), "headers": lua_headers}
    )
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(script)]
    return subprocess.Popen([*command, base], stdout=subprocess.PIPE, text=True)


def finish_wrk(process, duration, log):
    """wrk's summary: req/s, p50/p99 in ms, non-2xx, socket errors, statuses per second."""
    output, _ = process.communicate(timeout=duration + 60)
    with log.open("a") as kept:
        kept.write(output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": to_ms(re.search(PERCENTILE % 50, output, re.MULTILINE).group(1)),
        "p99": to_ms(re.search(PERCENTILE % 99, output, re.MULTILINE).group(1)),
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "none",
        "statuses": [
            (int(second), int(status), int(count))
            for second, status, count in STATUS_LINE.findall(output)
        ],
    }


def statuses_between(result, start, end):
    counts = Counter()
    for second, status, count in result["statuses"]:
        if start <= second < end:
            counts[status] += count
    return counts


def describe(counts):
    return " ".join(f"{status}:{count}" for status, count in sorted(counts.items())) or "-"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=30, help="seconds per run")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--outage", type=int, default=5, help="seconds without the database")
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL server to create the throw-away database on",
    )
    parser.add_argument("--short", action="store_true", help="8 s runs, a 2 s outage, for CI")
    args = parser.parse_args()
    if args.short:
        args.duration, args.connections, args.outage = 8, 4, 2
    if not SEED.exists():
        raise SystemExit(f"the reference post is missing: {SEED}")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    if args.outage + 2 * RECOVERY_GRACE_SECONDS >= args.duration:
        raise SystemExit("--duration must leave time before and after the outage")

    workdir = Path(tempfile.mkdtemp(prefix="roundup-load-"))
    log = Path(tempfile.gettempdir()) / f"roundup-load-{os.getpid()}.log"
    try:
        database = ThrowAwayDatabase(args.database_url)
    except psycopg.OperationalError as error:
        raise SystemExit(
            f"PostgreSQL is not reachable through {args.database_url} "
            f"({str(error).strip().splitlines()[0] if str(error).strip() else 'no answer'}); "
            "start it or pass --database-url"
        ) from None
    proxy = FlakyProxy(database.connect_args["host"], database.connect_args["port"])
    env = {
        **os.environ,
        "DATABASE_URL": database.url_through(proxy.port),
        "SECRET_KEY": "load-test-only",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MEDIA_ROOT": str(workdir / "media"),
        "PYTHONPATH": str(ROOT),
    }
    measure = dict(duration=args.duration, connections=args.connections, workdir=workdir)
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        manage(env, "import_roundup", str(SEED))

        server = start_server(env, log)
        try:
            paths = pages_to_load(server.base)
            steady = finish_wrk(start_wrk(server.base, paths, **measure), args.duration, log)
        finally:
            server.stop()

        server = start_server({**env, "CACHE_URL": "dummycache://"}, log)
        try:
            # A session cookie: no page is answered from memory, every request queries.
            process = start_wrk(server.base, paths, **measure, headers=RENDER_EVERY_REQUEST)
            time.sleep((args.duration - args.outage) / 2)
            cut_at = time.time()
            proxy.cut()
            time.sleep(args.outage)
            proxy.restore()
            restored_at = time.time()
            faulty = finish_wrk(process, args.duration, log)
        finally:
            server.stop()
    finally:
        proxy.stop()
        database.drop()
        shutil.rmtree(workdir, ignore_errors=True)

    cut_second, restored_second = int(cut_at), int(restored_at) + 1
    recovered_second = restored_second + RECOVERY_GRACE_SECONDS
    phases = [
        ("before the outage", statuses_between(faulty, 0, cut_second)),
        (
            f"outage ({args.outage}s, proxy cut)",
            statuses_between(faulty, cut_second, restored_second),
        ),
        (
            f"first {RECOVERY_GRACE_SECONDS}s after",
            statuses_between(faulty, restored_second, recovered_second),
        ),
        ("after (recovered)", statuses_between(faulty, recovered_second, 2**31)),
    ]
    print(
        f"\nLoad: gunicorn 2 workers, PostgreSQL via a proxy on 127.0.0.1, wrk 2 threads x "
        f"{args.connections} connections, {args.duration}s per run, {len(paths)} pages in turn"
    )
    print(f"{'run':<34}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}  socket errors")
    for name, result in [("steady (page cache on)", steady), ("outage (page cache off)", faulty)]:
        print(
            f"{name:<34}{result['rps']:>9.0f}{result['p50']:>9.2f}{result['p99']:>9.2f}"
            f"{result['non2xx']:>9}  {result['socket_errors']}"
        )
    print(f"\nStatus codes of the outage run, by phase (server log: {log})")
    for name, counts in phases:
        print(f"  {name:<32}{describe(counts)}")
    after = phases[-1][1]
    verdicts = [
        ("steady run: no non-2xx, no socket error",
         steady["non2xx"] == 0 and steady["socket_errors"] == "none"),
        ("outage answered 503", phases[1][1].get(503, 0) > 0),
        ("recovered by itself: only 200 after", bool(after) and set(after) == {200}),
    ]  # fmt: skip
    print()
    for claim, holds in verdicts:
        print(f"  {'ok  ' if holds else 'FAIL'} {claim}")
    if not all(holds for _, holds in verdicts):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
