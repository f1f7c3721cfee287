"""The ceiling of this stack: a minimal WSGI app returning a saved page's bytes from memory.

Run under the same gunicorn settings as the site (bench/run.py does), it shows what serving
those bytes costs without Django, so the site's throughput can be read as a share of it.
"""

import os
from pathlib import Path

PAGE = Path(os.environ["BENCH_PAGE"]).read_bytes()
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(PAGE)))]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [PAGE]
