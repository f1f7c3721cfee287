"""Lighthouse scores of the event page, a session page and a speaker page under gunicorn.

Usage (from the checkout, after scripts/bootstrap; needs Debian's chromium and Lighthouse):

    npm install --prefix /tmp/lighthouse-tool lighthouse   # once; 190 MB, so not in npm ci
    .venv/bin/python bench/lighthouse.py [--short]

It builds a throw-away SQLite database holding the reference post, starts gunicorn (DEBUG off,
static files collected) as bench/run.py does, and runs Lighthouse (mobile, simulated
throttling: the score barely depends on the machine's load) on each page. It prints the four
category scores, the main metrics and the performance audits that lost points. --short: the
event page only, performance only. Lighthouse is looked up as $LIGHTHOUSE, on PATH,
node_modules/.bin or /tmp/lighthouse-tool; Chromium as $CHROME_PATH or /usr/bin/chromium.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from run import ROOT, SEED, Gunicorn, first_link, import_timed, manage  # noqa: E402

CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
METRICS = [
    ("first-contentful-paint", "FCP"),
    ("largest-contentful-paint", "LCP"),
    ("total-blocking-time", "TBT"),
    ("cumulative-layout-shift", "CLS"),
    ("speed-index", "SI"),
]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def find_lighthouse():
    candidates = [
        os.environ.get("LIGHTHOUSE"),
        shutil.which("lighthouse"),
        ROOT / "node_modules" / ".bin" / "lighthouse",
        Path(tempfile.gettempdir()) / "lighthouse-tool" / "node_modules" / ".bin" / "lighthouse",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return str(candidate)
    raise SystemExit(
        "Lighthouse is needed: npm install --prefix /tmp/lighthouse-tool lighthouse "
        "(or set LIGHTHOUSE to its executable)"
    )


def find_chrome():
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    if not Path(chrome).is_file():
        raise SystemExit(f"Chromium is needed at {chrome}: apt-get install chromium")
    return chrome


def lighthouse(executable, chrome, url, categories):
    result = subprocess.run(
        [
            executable,
            url,
            "--output=json",
            "--output-path=stdout",
            "--quiet",
            f"--chrome-flags={CHROME_FLAGS}",
            f"--only-categories={','.join(categories)}",
        ],
        env={**os.environ, "CHROME_PATH": chrome},
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"Lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout)


def lost_points(report):
    """The performance audits that count and did not pass, with what they would save."""
    weighted = {
        ref["id"] for ref in report["categories"]["performance"]["auditRefs"] if ref["weight"]
    }
    lines = []
    for audit in report["audits"].values():
        score = audit.get("score")
        if score is None or score >= 0.9 or audit["scoreDisplayMode"] not in ("numeric", "binary"):
            continue
        if audit["id"] in weighted or audit.get("details", {}).get("type") == "opportunity":
            lines.append(f"    {audit['id']}: {audit.get('displayValue', '')} (score {score})")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--short", action="store_true", help="event page, performance only")
    parser.add_argument("--save", type=Path, help="write each page's full report (JSON) here")
    args = parser.parse_args()
    executable, chrome = find_lighthouse(), find_chrome()
    if not SEED.exists():
        raise SystemExit(f"The reference post is needed at {SEED}")

    workdir = Path(tempfile.mkdtemp(prefix="roundup-lighthouse-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "SECRET_KEY": "benchmark-only",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MEDIA_ROOT": str(workdir / "media"),
        "PYTHONPATH": str(ROOT),
    }
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    import_timed(env, SEED)

    server = Gunicorn("conference.wsgi:application", env)
    try:
        import urllib.request

        event_path = "/events/ccc2023-roundup/"
        pages = [("event page", event_path)]
        if not args.short:
            html = urllib.request.urlopen(server.base + event_path).read().decode()
            pages.append(
                ("session page", first_link(html, r'href="(/events/[^"]+/sessions/[^"]+/)"'))
            )
            pages.append(("speaker page", first_link(html, r'href="(/speakers/[^"/]+/)"')))
        # Visitors get pages from the warm page cache: render each once before it is measured.
        for _, path in pages:
            urllib.request.urlopen(server.base + path).read()
        categories = ["performance"] if args.short else CATEGORIES
        print(f"Lighthouse {subprocess.check_output([executable, '--version'], text=True).strip()}")
        header = "".join(f"{name:>16}" for name in categories)
        metrics = "".join(f"{label:>9}" for _, label in METRICS)
        print(f"{'page':<14}{header}{metrics}")
        details = []
        for name, path in pages:
            report = lighthouse(executable, chrome, server.base + path, categories)
            scores = "".join(
                f"{round(report['categories'][c]['score'] * 100):>16}" for c in categories
            )
            values = "".join(
                f"{''.join(report['audits'][audit]['displayValue'].split()):>9}"
                for audit, _ in METRICS
            )
            print(f"{name:<14}{scores}{values}", flush=True)
            details.append((name, path, lost_points(report)))
            if args.save:
                args.save.mkdir(parents=True, exist_ok=True)
                (args.save / f"{name.replace(' ', '-')}.json").write_text(json.dumps(report))
    finally:
        server.stop()
    for name, path, lines in details:
        if lines:
            print(f"\n{name} ({path}): performance audits below 0.9")
            print("\n".join(lines))


if __name__ == "__main__":
    main()
