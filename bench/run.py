"""Benchmark the public pages under gunicorn with wrk, beside a same-bytes ceiling.

Usage (from the checkout, after scripts/bootstrap; needs Debian's wrk):

    .venv/bin/python bench/run.py [--sizes 36 1000] [--duration 10] [--connections 16]
    .venv/bin/python bench/run.py --short     # CI: one small event, 2 s per measurement
    .venv/bin/python bench/run.py --peer wafer=http://127.0.0.1:8001/talks/   # beside a peer

It builds a throw-away SQLite database (or uses --database-url) holding the reference post
and one synthetic event per size, times each import, starts gunicorn (2 workers) on
127.0.0.1, and measures throughput and p50/p99 latency of the event page (warm, and cold:
rendered for each request, as for a visitor with a session cookie), a session page and a
speaker page. The ceiling is a minimal WSGI app under the same gunicorn settings returning
the event page's bytes from memory (gzipped for clients that accept gzip). Worker memory is
read before and after --memory-requests requests.

Rows beside warm/cold, for each event:

- warm plain / warm gzip: cached page, without and with ``Accept-Encoding: gzip``, each beside
  the ceiling serving that event page's bytes the same way, measured in turns (``--rounds``,
  page then ceiling), so that a busy machine weighs on both alike;
- empty cache: median ms of an in-process render (Django test client) with the page cache,
  the in-process page memo and the version memo cleared before each render, once every
  server of the run has stopped;
- after one edit: a background editor process saves one session of the event every 0.5 s
  (a title toggled, through the ORM, so the signals bump the event's version like the admin)
  while wrk hits the event page: every 0.5 s the page is cold once, then warm;
- dog-pile: one session edited, then 64 connections hit the event page for 2 s; the number of
  renders is counted from the ``X-Page-Cache: miss`` responses (with locmem: at most one per
  gunicorn worker).

Peer apps (``--peer LABEL=URL``, repeatable, or ``BENCH_PEERS="LABEL=URL ..."``): other
conference apps already running somewhere. Each URL is fetched once before anything is built
(a redirect, a non-200 answer or no answer stops the run, exit status 2); after our own servers
have stopped, so that they take no CPU from the peers, each is measured with the same wrk
settings as our rows and printed as ``peer LABEL``, followed by each event's after-one-edit
row as a multiple of the best peer's req/s.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from peers import PeerError, best_peer, check_peer, parse_peers, versus_best_peer

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = sys.executable
SEED = ROOT.parent / "shared" / "seeds" / "ccc2023-roundup.md"
# gunicorn's own messages (e.g. a worker timed out on a connection wrk left open).
LOG = Path(tempfile.gettempdir()) / "roundup-bench-gunicorn.log"

# The page cache serves only visitors without a session cookie, and keys pages by the query
# parameters they read (a made-up "?cold=N" would be served from the cache): a request with a
# session cookie is rendered every time.
COLD_SCRIPT = """
wrk.headers["Cookie"] = "sessionid=bench-cold"
"""
GZIP_SCRIPT = """
wrk.headers["Accept-Encoding"] = "gzip"
"""
# Counts the responses rendered by the app (X-Page-Cache: miss), over all wrk threads.
COUNT_RENDERS_SCRIPT = """
local threads = {}
renders = 0
setup = function(thread) table.insert(threads, thread) end
response = function(status, headers, body)
  if headers["X-Page-Cache"] == "miss" then renders = renders + 1 end
end
done = function(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("renders") end
  io.write("RENDERS " .. total .. "\\n")
end
"""
DJANGO = """
import os, sys, time, statistics
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
import django
django.setup()
from sessions.models import Session
"""
# Saves one session of the event every 0.5 s (argv: slug, seconds; 0 seconds: once).
EDITOR = (
    DJANGO
    + """
slug, seconds = sys.argv[1], float(sys.argv[2])
session = Session.objects.filter(event__slug=slug).order_by("pk").first()
title = session.title
deadline = time.monotonic() + seconds
edits = 0
while True:
    session.title = title + (" (edited)" if edits % 2 == 0 else "")
    session.save()
    edits += 1
    if time.monotonic() >= deadline:
        break
    time.sleep(0.5)
print(edits)
"""
)
# Median ms of renders from an empty cache (argv: path, renders).
EMPTY_CACHE = (
    DJANGO
    + """
from django.core.cache import cache
from django.test import Client
from conference.caching import recent_pages, version_memo
path, count = sys.argv[1], int(sys.argv[2])
client = Client(HTTP_HOST="127.0.0.1")
times = []
for _ in range(count):
    cache.clear()
    recent_pages.pages.clear()
    version_memo.clear()
    started = time.perf_counter()
    response = client.get(path)
    times.append((time.perf_counter() - started) * 1000)
    assert response.status_code == 200, response.status_code
print(statistics.median(times))
"""
)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env, *args):
    return subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def import_timed(env, path):
    """Import a post; return (seconds, queries, event page queries, session page queries)."""
    output = subprocess.run(
        [PYTHON, str(BENCH / "import_queries.py"), str(path)],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    seconds, *queries = output.split()[-4:]
    return float(seconds), *map(int, queries)


class Gunicorn:
    def __init__(self, app, env, workers=2):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                app,
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
            stderr=open(LOG, "a"),  # noqa: SIM115 - closed with the process
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/", timeout=2).read()
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"gunicorn {app} did not start on port {self.port}")

    def wait_idle(self, timeout=120):
        """Wait until the workers answer again: wrk leaves queued requests behind it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/robots.txt", timeout=1).read()
                return
            except OSError:
                time.sleep(0.5)

    def worker_rss_kib(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        total = 0
        for pid in children.read_text().split():
            status = Path(f"/proc/{pid}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        return total

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def wrk(url, *, duration, connections, script=None, extra_env=None, server=None):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        if script:
            lua.write(script)
    if script:
        command += ["-s", lua.name]
    output = subprocess.run(
        [*command, url],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(extra_env or {})},
    ).stdout
    os.unlink(lua.name)
    if server:
        server.wait_idle()
    return parse_wrk(output)


def to_ms(value):
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def parse_wrk(output):
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": rps,
        "requests": requests,
        "p50": p50,
        "p99": p99,
        "non2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "none",
    }


def count_renders(url, server):
    """Renders of ``url`` by a burst of 64 connections for 2 s (see COUNT_RENDERS_SCRIPT)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(COUNT_RENDERS_SCRIPT)
    output = subprocess.run(
        ["wrk", "-t2", "-c64", "-d2s", "-s", lua.name, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(lua.name)
    server.wait_idle()
    return int(re.search(r"RENDERS (\d+)", output).group(1))


def paired_with_ceiling(url, ceiling_server, script, rounds, measure):
    """``url`` and the ceiling serving its bytes, measured in turns, so that what else the
    machine does weighs on both alike: ``{"page", "ceiling"}`` (the median round of each) and
    ``share``, the median of the rounds' ratios."""
    pages, ceilings = [], []
    for _ in range(rounds):
        pages.append(wrk(url, script=script, **measure))
        ceilings.append(
            wrk(ceiling_server.base + "/", script=script, **{**measure, "server": None})
        )
    ratios = [page["rps"] / ceiling["rps"] for page, ceiling in zip(pages, ceilings, strict=True)]
    return {
        "page": median_run(pages),
        "ceiling": median_run(ceilings),
        "share": statistics.median(ratios),
    }


def median_run(runs):
    return sorted(runs, key=lambda run: run["rps"])[len(runs) // 2]


def render_from_empty_cache(env, path, short):
    output = subprocess.run(
        [PYTHON, "-c", EMPTY_CACHE, path, "3" if short else "7"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return float(output.split()[-1])


def first_link(html, pattern):
    match = re.search(pattern, html)
    if not match:
        raise SystemExit(f"no link matching {pattern} on the event page")
    return match.group(1)


def peers_to_measure(options):
    """``{label: url}`` of BENCH_PEERS then --peer, each answering 200 without a redirect;
    a mistake ends the run before anything is built, with one line and exit status 2."""
    items = [*os.environ.get("BENCH_PEERS", "").split(), *(options or [])]
    try:
        peers = parse_peers(items)
        for label, url in peers.items():
            check_peer(label, url)
    except PeerError as error:
        print(f"bench/run.py: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    return peers


def measure_peer(url, measure):
    """wrk's result for a peer page, or None when wrk cannot reach it any more."""
    try:
        return wrk(url, **measure)
    except subprocess.CalledProcessError as error:
        said = (error.stderr or error.stdout or "").strip() or f"exit status {error.returncode}"
        print(f"wrk could not measure {url}: {said}")
        return None


def table_row(name, result, width, share=None):
    """One row of the serving table; ``share`` (of the ceiling) blank when None, and a row
    wrk could not measure (a peer gone away) says so."""
    if result is None:
        return f"{name:<{width}}{'not measured (see wrk above)':>47}"
    share_column = f"{share:>12.0%}" if share is not None else f"{'':>12}"
    return (
        f"{name:<{width}}{result['rps']:>9.0f}{result['p50']:>9.2f}{result['p99']:>9.2f}"
        f"{share_column}{result['non2xx']:>8}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[36, 1000])
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--rounds", type=int, default=3, help="warm rows: rounds of page then ceiling"
    )
    parser.add_argument("--memory-requests", type=int, default=20000)
    parser.add_argument("--database-url", help="default: a throw-away SQLite file")
    parser.add_argument(
        "--short", action="store_true", help="CI: one 36-session event, 2 s per measurement"
    )
    parser.add_argument(
        "--peer",
        action="append",
        metavar="LABEL=URL",
        help="a peer app's page to measure after ours (repeatable; also BENCH_PEERS, "
        "space-separated): e.g. wafer=http://127.0.0.1:8001/talks/",
    )
    args = parser.parse_args()
    if args.short:
        args.sizes, args.duration, args.memory_requests, args.rounds = [36], 2, 2000, 1
    peers = peers_to_measure(args.peer)
    if not shutil.which("wrk"):
        raise SystemExit("bench/run.py needs wrk on the PATH: apt-get install wrk")

    workdir = Path(tempfile.mkdtemp(prefix="roundup-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}",
        "SECRET_KEY": "benchmark-only",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MEDIA_ROOT": str(workdir / "media"),
        "PYTHONPATH": str(ROOT),
    }
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    if args.database_url:
        manage(env, "flush", "--noinput")

    sys.path.insert(0, str(BENCH))
    from synthetic import write_synthetic_roundup

    imports = []
    for size in args.sizes:
        path = write_synthetic_roundup(size, workdir)
        imports.append((f"bench-{size}", size, *import_timed(env, path)))
    if SEED.exists():
        imports.append(("ccc2023-roundup", 36, *import_timed(env, SEED)))

    print("\nImport (one transaction per file), and queries of a cold page render")
    print(
        f"{'event':<18}{'sessions':>9}{'seconds':>9}{'queries':>9}{'q/session':>11}"
        f"{'event page q':>14}{'session page q':>16}"
    )
    for slug, size, seconds, queries, event_queries, session_queries in imports:
        print(
            f"{slug:<18}{size:>9}{seconds:>9.2f}{queries:>9}{queries / size:>11.1f}"
            f"{event_queries:>14}{session_queries:>16}"
        )

    rows = []
    ceilings = {}  # warm row, or slug (its plain warm row): the paired measurement
    dog_piles = []
    empty_cache_pages = []
    server = Gunicorn("conference.wsgi:application", env)
    try:
        for slug, *_ in imports:
            event_path = f"/events/{slug}/"
            html = urllib.request.urlopen(server.base + event_path).read().decode()
            session_path = first_link(html, r'href="(/events/[^"]+/sessions/[^"]+/)"')
            # A big event's page lists its days, not its cards: a session page names speakers.
            session_html = urllib.request.urlopen(server.base + session_path).read().decode()
            speaker_path = first_link(session_html, r'href="(/speakers/[^"/]+/)"')
            measure = dict(duration=args.duration, connections=args.connections, server=server)
            page_file = workdir / f"{slug}.html"
            page_file.write_bytes(urllib.request.urlopen(server.base + event_path).read())
            ceiling_server = Gunicorn(
                "bench.ceiling:application", {**env, "BENCH_PAGE": str(page_file)}
            )
            try:
                for name, script in (
                    (f"{slug} event warm", None),
                    (f"{slug} event warm gzip", GZIP_SCRIPT),
                ):
                    ceilings[name] = paired_with_ceiling(
                        server.base + event_path, ceiling_server, script, args.rounds, measure
                    )
                    rows.append((name, ceilings[name]["page"]))
            finally:
                ceiling_server.stop()
            ceilings[slug] = ceilings[f"{slug} event warm"]
            rows.append(
                (
                    f"{slug} event cold",
                    wrk(server.base + event_path, script=COLD_SCRIPT, **measure),
                )
            )
            rows.append((f"{slug} session", wrk(server.base + session_path, **measure)))
            rows.append((f"{slug} speaker", wrk(server.base + speaker_path, **measure)))
            editor = subprocess.Popen(
                [PYTHON, "-c", EDITOR, slug, str(args.duration)],
                env=env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
            )
            rows.append((f"{slug} event after one edit", wrk(server.base + event_path, **measure)))
            editor.communicate(timeout=args.duration + 60)
            subprocess.run(
                [PYTHON, "-c", EDITOR, slug, "0"],
                env=env,
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
            dog_piles.append((slug, count_renders(server.base + event_path, server)))
            empty_cache_pages.append((slug, event_path))
    finally:
        server.stop()

    # Memory on a fresh server, after a warm-up, so earlier large renders do not blur it.
    reference = imports[-1][0]
    server = Gunicorn("conference.wsgi:application", env)
    try:
        event_url = f"{server.base}/events/{reference}/"
        warm_up = wrk(event_url, duration=2, connections=args.connections, server=server)
        rss_before = server.worker_rss_kib()
        # wrk runs for a time, not a count: long enough for the requests asked for.
        seconds = max(5, round(args.memory_requests / warm_up["rps"] * 1.2))
        served = wrk(event_url, duration=seconds, connections=args.connections, server=server)
        rss_after = server.worker_rss_kib()
    finally:
        server.stop()

    # In-process renders, once no server is left to share the CPU with (a burst's queued
    # requests outlive wrk).
    empty_cache = [
        (slug, render_from_empty_cache(env, path, args.short)) for slug, path in empty_cache_pages
    ]

    # Our servers are stopped: the peers have the machine to themselves, as ours had.
    peer_measure = dict(duration=args.duration, connections=args.connections, server=None)
    peer_results = {label: measure_peer(url, peer_measure) for label, url in peers.items()}

    print(
        f"\nServing (gunicorn 2 workers, wrk 2 threads x {args.connections} connections, "
        f"{args.duration}s each)"
    )
    peer_rows = [(f"peer {label}", result) for label, result in peer_results.items()]
    # Wide enough for the longest name (a peer's label is the user's), so columns stay aligned.
    width = max(40, 2 + max(len(name) for name, _ in [*rows, *peer_rows]))
    print(f"{'page':<{width}}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'of ceiling':>12}{'errors':>8}")
    for name, result in rows:
        if name in ceilings:
            paired = ceilings[name]
            share = paired["share"]
        else:
            paired = ceilings[name.split(" ")[0]]
            share = result["rps"] / paired["ceiling"]["rps"]
        print(table_row(name, result, width, share))
        if name in ceilings:
            print(table_row("  same-bytes ceiling", paired["ceiling"], width))
    for name, result in peer_rows:
        print(table_row(name, result, width))
    print(
        f"(warm rows: medians of {args.rounds} round(s), each the page then a minimal WSGI app "
        "serving its bytes, gzipped for the gzip row; the share is the median of the rounds' "
        "ratios. Other rows: shares of the event's plain ceiling"
        + ("; peer rows: measured after our servers stopped)" if peer_rows else ")")
    )
    by_name = dict(rows)
    best = best_peer(peer_results)
    if best:
        for slug, *_ in imports:
            print(versus_best_peer(slug, by_name[f"{slug} event after one edit"]["rps"], best))
    elif peer_results:
        print("no peer page was measured: no comparison with the peers")
    for slug, renders in dog_piles:
        print(f"dog-pile {slug}: 64 connections right after one edit, {renders} render(s)")
    for slug, milliseconds in empty_cache:
        print(f"empty cache {slug} event page: median render {milliseconds:.0f} ms")
    if len(args.sizes) >= 2:
        small, large = args.sizes[0], args.sizes[-1]
        ratio = (
            by_name[f"bench-{large} event cold"]["p50"]
            / by_name[f"bench-{small} event cold"]["p50"]
        )
        print(f"\ncold render p50, {large} vs {small} sessions: {ratio:.1f}x")
    print(
        f"worker RSS (both workers) before/after {served['requests']} requests: "
        f"{rss_before / 1024:.1f} MiB / {rss_after / 1024:.1f} MiB"
    )
    print(f"gunicorn's messages: {LOG}")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
