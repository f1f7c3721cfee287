"""The peer apps bench/run.py measures beside our pages: other conference apps (wafer,
pretalx...) already running somewhere, each named by the user with ``LABEL=URL``.

Pure parsing (``parse_peers``) and a one-request check (``check_peer``); both raise
``PeerError`` with a one-line message for the user.
"""

import http.client
import urllib.error
import urllib.parse
import urllib.request

CHECK_TIMEOUT_SECONDS = 10


class PeerError(ValueError):
    """A peer given wrongly or not answering as a page to measure: the message says which."""


def parse_peer(item):
    """``"LABEL=URL"`` -> ``(label, url)``; the label is what precedes the first ``=``."""
    label, separator, url = item.partition("=")
    if not separator:
        raise PeerError(f"peer {item!r}: expected LABEL=URL, e.g. wafer=http://127.0.0.1:8001/")
    if not label.strip():
        raise PeerError(f"peer {item!r}: the label before '=' is empty")
    if label != label.strip() or any(character.isspace() for character in label):
        raise PeerError(f"peer {item!r}: the label may not contain spaces")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PeerError(f"peer {item!r}: {url!r} is not an http:// or https:// URL with a host")
    return label, url


def parse_peers(items):
    """``{label: url}`` of ``LABEL=URL`` items, in their order; a label given twice is an
    error (two rows of one name could not be told apart)."""
    peers = {}
    for item in items:
        label, url = parse_peer(item)
        if label in peers:
            raise PeerError(f"peer {label!r} is given twice ({peers[label]} and {url})")
        peers[label] = url
    return peers


class _RecordRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects as urllib does, noting that one happened: wrk follows none, so it
    would measure the redirect rather than the page."""

    redirected = False

    def redirect_request(self, request, fp, code, message, headers, new_url):
        self.redirected = True
        return super().redirect_request(request, fp, code, message, headers, new_url)


def check_peer(label, url, timeout=CHECK_TIMEOUT_SECONDS):
    """GET ``url`` once; return quietly on a 200 served without a redirect, else raise
    ``PeerError`` saying what answered (and, for a redirect, the URL to pass instead)."""
    redirects = _RecordRedirects()
    # Straight to the host, as wrk goes: no proxy from the environment.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), redirects)
    try:
        with opener.open(url, timeout=timeout) as response:
            response.read()
            status, final_url = response.status, response.geturl()
    except urllib.error.HTTPError as error:
        where = f" (redirected to {error.geturl()})" if redirects.redirected else ""
        raise PeerError(
            f"peer {label}: {url} answered {error.code} {error.reason}{where}; "
            "pass the URL of a page that answers 200"
        ) from None
    except urllib.error.URLError as error:
        raise PeerError(f"peer {label}: {url} is not reachable ({_reason(error.reason)})") from None
    except (OSError, http.client.HTTPException) as error:
        raise PeerError(f"peer {label}: {url} is not reachable ({_reason(error)})") from None
    if redirects.redirected:
        raise PeerError(
            f"peer {label}: {url} redirects to {final_url}; wrk does not follow redirects: "
            f"pass --peer {label}={final_url}"
        )
    if status != 200:
        raise PeerError(
            f"peer {label}: {url} answered {status}; pass the URL of a page that answers 200"
        )


def _reason(error):
    """One line for an exception urllib wraps (ConnectionRefusedError, gaierror, timeout)."""
    if isinstance(error, str):
        return error
    text = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return text.strip().splitlines()[0] if text.strip() else type(error).__name__


def best_peer(results):
    """``(label, result)`` of the highest req/s among ``{label: wrk result or None}`` (None:
    wrk could not measure it), or None when no peer served a request."""
    measured = [(label, result) for label, result in results.items() if result and result["rps"]]
    return max(measured, key=lambda pair: pair[1]["rps"], default=None)


def versus_best_peer(slug, after_edit_rps, best):
    """The line comparing an event's after-one-edit row with the best peer page."""
    label, result = best
    return (
        f"after one edit {slug}: {after_edit_rps:.0f} req/s = "
        f"{after_edit_rps / result['rps']:.1f}x the best peer ({label}, {result['rps']:.0f} req/s)"
    )
