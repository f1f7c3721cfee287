"""The ceiling of this stack: a minimal WSGI app returning a saved page's bytes from memory.

Run under the same gunicorn settings as the site (bench/run.py does), it shows what serving
those bytes costs without Django, so the site's throughput can be read as a share of it. A
client that accepts gzip gets the same bytes gzipped once at start-up, as the page cache does.
"""

import gzip
import os
from pathlib import Path

PAGE = Path(os.environ["BENCH_PAGE"]).read_bytes()
GZIPPED = gzip.compress(PAGE, compresslevel=6, mtime=0)
TYPE = ("Content-Type", "text/html; charset=utf-8")
PLAIN = [TYPE, ("Content-Length", str(len(PAGE))), ("Vary", "Accept-Encoding")]
COMPRESSED = [
    TYPE,
    ("Content-Length", str(len(GZIPPED))),
    ("Content-Encoding", "gzip"),
    ("Vary", "Accept-Encoding"),
]


def application(environ, start_response):
    if "gzip" in environ.get("HTTP_ACCEPT_ENCODING", ""):
        start_response("200 OK", COMPRESSED)
        return [GZIPPED]
    start_response("200 OK", PLAIN)
    return [PAGE]
