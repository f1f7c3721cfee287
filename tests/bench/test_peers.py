"""bench/run.py's peer apps: the LABEL=URL items, and the one request that checks each."""

import http.server
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bench.peers import PeerError, best_peer, check_peer, parse_peers, versus_best_peer

RUN = Path(__file__).resolve().parents[2] / "bench" / "run.py"


def test_parse_peers_keeps_labels_in_order():
    peers = parse_peers(
        ["wafer=http://127.0.0.1:8001/talks/", "pretalx=https://example.org/democon/schedule/"]
    )

    assert peers == {
        "wafer": "http://127.0.0.1:8001/talks/",
        "pretalx": "https://example.org/democon/schedule/",
    }


def test_parse_peers_splits_at_the_first_equals_sign():
    assert parse_peers(["search=http://127.0.0.1:8001/search/?q=a=b"]) == {
        "search": "http://127.0.0.1:8001/search/?q=a=b"
    }


def test_parse_peers_of_nothing_is_empty():
    assert parse_peers([]) == {}


NOT_A_URL = "is not an http:// or https:// URL with a host"


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("http://127.0.0.1:8001/", "expected LABEL=URL, e.g. wafer=http://127.0.0.1:8001/"),
        ("=http://127.0.0.1:8001/", "the label before '=' is empty"),
        ("my peer=http://127.0.0.1:8001/", "the label may not contain spaces"),
        ("wafer=127.0.0.1:8001/talks/", f"'127.0.0.1:8001/talks/' {NOT_A_URL}"),
        ("wafer=ftp://127.0.0.1/talks/", f"'ftp://127.0.0.1/talks/' {NOT_A_URL}"),
        ("wafer=http:///talks/", f"'http:///talks/' {NOT_A_URL}"),
        ("wafer=", f"'' {NOT_A_URL}"),
    ],
)
def test_parse_peers_malformed_item(item, message):
    with pytest.raises(PeerError) as raised:
        parse_peers([item])

    assert str(raised.value) == f"peer {item!r}: {message}"


def test_parse_peers_label_given_twice():
    with pytest.raises(PeerError) as raised:
        parse_peers(["wafer=http://127.0.0.1:8001/", "wafer=http://127.0.0.1:8002/"])

    assert str(raised.value) == (
        "peer 'wafer' is given twice (http://127.0.0.1:8001/ and http://127.0.0.1:8002/)"
    )


def test_best_peer_is_the_fastest_measured():
    results = {"wafer": {"rps": 310.0}, "pretalx": {"rps": 95.0}, "gone": None}

    assert best_peer(results) == ("wafer", {"rps": 310.0})


def test_best_peer_of_none_measured():
    assert best_peer({"gone": None}) is None


def test_versus_best_peer_line():
    line = versus_best_peer("bench-36", 5019.4, ("wafer", {"rps": 310.2}))

    assert line == "after one edit bench-36: 5019 req/s = 16.2x the best peer (wafer, 310 req/s)"


class PeerHandler(http.server.BaseHTTPRequestHandler):
    """A page at /talks/, a redirect to it from /talks, nothing elsewhere."""

    def do_GET(self):
        if self.path == "/talks/":
            self.answer(200, b"<h1>Talks</h1>")
        elif self.path == "/talks":
            self.send_response(301)
            self.send_header("Location", "/talks/")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.answer(404, b"not found")

    def answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def peer_base():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), PeerHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_check_peer_page_answering_200(peer_base):
    assert check_peer("local", f"{peer_base}/talks/") is None


def test_check_peer_page_answering_404(peer_base):
    with pytest.raises(PeerError) as raised:
        check_peer("local", f"{peer_base}/sessions/")

    assert str(raised.value) == (
        f"peer local: {peer_base}/sessions/ answered 404 Not Found; "
        "pass the URL of a page that answers 200"
    )


def test_check_peer_redirect_names_the_final_url(peer_base):
    with pytest.raises(PeerError) as raised:
        check_peer("local", f"{peer_base}/talks")

    assert str(raised.value) == (
        f"peer local: {peer_base}/talks redirects to {peer_base}/talks/; "
        f"wrk does not follow redirects: pass --peer local={peer_base}/talks/"
    )


def test_check_peer_connection_refused():
    # A port bound but not listening refuses connections, and no other process can take it.
    with socket.socket() as bound:
        bound.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{bound.getsockname()[1]}/talks/"

        with pytest.raises(PeerError) as raised:
            check_peer("local", url)

    assert str(raised.value) == f"peer local: {url} is not reachable (Connection refused)"


def test_run_stops_on_a_bad_peer_with_one_line_and_status_2(peer_base):
    completed = subprocess.run(
        [sys.executable, str(RUN), "--short", "--peer", f"local={peer_base}/nowhere/"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"BENCH_PEERS": "", "PATH": ""},
    )

    assert (completed.returncode, completed.stdout, completed.stderr) == (
        2,
        "",
        f"bench/run.py: peer local: {peer_base}/nowhere/ answered 404 Not Found; "
        "pass the URL of a page that answers 200\n",
    )


def test_run_reads_bench_peers(peer_base):
    completed = subprocess.run(
        [sys.executable, str(RUN), "--short"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"BENCH_PEERS": f"local={peer_base}/talks/ local={peer_base}/talks/", "PATH": ""},
    )

    assert (completed.returncode, completed.stderr) == (
        2,
        f"bench/run.py: peer 'local' is given twice ({peer_base}/talks/ and {peer_base}/talks/)\n",
    )
