"""A small HTTP server on 127.0.0.1 for the URL import tests, with a few misbehaving pages."""

import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    """``/files/<name>`` serves ``files[name]``; ``/slow`` answers after 2 s; ``/endless``
    sends without end and no length; ``/to-ftp`` redirects to ``ftp://``; anything else 404."""

    files = {}

    def do_GET(self):
        name = self.path.removeprefix("/files/")
        if self.path.startswith("/files/") and name in self.files:
            self.answer(self.files[name])
        elif self.path == "/slow":
            time.sleep(2)
            self.answer(b"late")
        elif self.path == "/endless":
            self.send_response(200)
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"x" * 65536)
            except OSError:
                pass
        elif self.path == "/to-ftp":
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1/post.md")
            self.end_headers()
        else:
            self.send_error(404)

    def answer(self, body):
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def local_http_server(files):
    """Serve ``files`` (``{name: bytes}``); yields the base URL, ``http://127.0.0.1:PORT``."""
    handler = type("FilesHandler", (Handler,), {"files": files})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
