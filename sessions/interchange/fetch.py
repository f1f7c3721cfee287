"""Fetching a schedule from an ``http(s)`` URL, as safely as reading a file (:mod:`.files`).

:func:`fetch_source` downloads the URL into a file named after it and returns that file's path,
for the readers to read as they read any other file. It refuses what a file on disk could not
be: more than :data:`~.files.MAX_SCHEDULE_BYTES`, a download that takes longer than
``timeout`` seconds in all (not only between two packets), and any scheme but ``http`` and
``https``.

A URL that an organiser types is also a way to make the server fetch something on its own
network: every address the host name resolves to must be public (no loopback, private,
link-local, reserved or multicast address), unless ``settings.IMPORT_ALLOW_PRIVATE_URLS`` is
on (the tests serve files from 127.0.0.1). The connection is made to the very address that was
checked, so a name that resolves to another address a moment later (DNS rebinding) does not
get through; each redirect is checked again the same way. Proxies from the environment are
not used: they would connect elsewhere than the address checked.
"""

import ipaddress
import socket
import tempfile
import time
import urllib.error
import urllib.request
from http.client import HTTPConnection, HTTPException, HTTPSConnection
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.utils.text import get_valid_filename

from .document import START, SourceError
from .files import MAX_SCHEDULE_BYTES, too_big

TIMEOUT_SECONDS = 30
CHUNK_BYTES = 64 * 1024
SCHEMES = ("http", "https")
USER_AGENT = "roundup-schedule-import"
NAME_LENGTH = 100  # of the file written: room for an extension, well under any file system's cap


class FetchError(SourceError):
    """The URL could not be fetched; ``message`` says why (there is no line to point at)."""

    def __init__(self, message):
        super().__init__(START, message)


def check_url(url):
    """``url`` if it is an ``http(s)`` URL with a host, else :class:`FetchError`."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise FetchError(f"not a valid URL ({error})") from error
    if parts.scheme.lower() not in SCHEMES:
        raise FetchError("only http:// and https:// URLs can be imported")
    if not parts.hostname:
        raise FetchError("the URL has no host name")
    if port == 0:
        raise FetchError("the URL's port 0 is not a port")
    return url


def fetch_source(url, *, into=None, timeout=TIMEOUT_SECONDS, max_bytes=MAX_SCHEDULE_BYTES):
    """Download ``url`` into the folder ``into`` (a new temporary folder when ``None``: the
    caller removes it) and return the file's path; :class:`FetchError` if it cannot be had."""
    check_url(url)
    deadline = time.monotonic() + timeout
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}),
        CheckedHTTPHandler(),
        CheckedHTTPSHandler(),
        CheckedRedirectHandler(),
    )
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with opener.open(request, timeout=timeout) as response:
            data = _read_capped(response, deadline=deadline, max_bytes=max_bytes)
            final_url = response.geturl()
    except FetchError:
        raise
    except urllib.error.HTTPError as error:
        raise FetchError(f"the server answered {error.code} {error.reason}") from error
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, FetchError):
            raise reason from error
        if isinstance(reason, TimeoutError | socket.timeout):
            raise FetchError(f"no answer within {timeout:g} seconds") from error
        raise FetchError(
            f"cannot connect: {getattr(reason, 'strerror', None) or reason}"
        ) from error
    except TimeoutError as error:
        raise FetchError(f"no answer within {timeout:g} seconds") from error
    except (OSError, HTTPException) as error:
        raise FetchError(f"the download failed: {error}") from error
    folder = Path(into) if into is not None else Path(tempfile.mkdtemp(prefix="import-"))
    path = folder / file_name_of(final_url)
    path.write_bytes(data)
    return path


def file_name_of(url):
    """The last segment of the URL's path, made a safe file name (``download`` if none):
    what messages and the admin history call the file."""
    segment = unquote(urlsplit(url).path.rstrip("/").rpartition("/")[2])
    try:
        name = get_valid_filename(segment)[:NAME_LENGTH]
    except Exception:  # Django's SuspiciousFileOperation for "." and ".."
        name = ""
    return name or "download"


def _read_capped(response, *, deadline, max_bytes):
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise FetchError(too_big(max_bytes))
    chunks, size = [], 0
    while chunk := response.read(CHUNK_BYTES):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(too_big(max_bytes))
        if time.monotonic() > deadline:
            raise FetchError("the download took too long")
        chunks.append(chunk)
    return b"".join(chunks)


def checked_address(host, port):
    """The address to connect to for ``host``: the first it resolves to, once every one of
    them is found public (or private ones are allowed)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"cannot find the host {host!r}") from error
    addresses = [info[4][0] for info in infos]
    if not getattr(settings, "IMPORT_ALLOW_PRIVATE_URLS", False):
        for address in addresses:
            if not _is_public(ipaddress.ip_address(address.split("%")[0])):
                raise FetchError(
                    f"{host} is a private or local address ({address}): only public "
                    "addresses can be imported from (IMPORT_ALLOW_PRIVATE_URLS allows others)"
                )
    return addresses[0]


def _is_public(address):
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return address.is_global and not address.is_multicast


class PinnedConnection:
    """An HTTP(S) connection to the address :func:`checked_address` approved for its host;
    TLS still checks the certificate against the host name."""

    def __init__(self, host, *args, **kwargs):
        super().__init__(host, *args, **kwargs)
        address = checked_address(self.host, self.port)
        self._create_connection = lambda target, *rest: socket.create_connection(
            (address, target[1]), *rest
        )


class PinnedHTTPConnection(PinnedConnection, HTTPConnection):
    pass


class PinnedHTTPSConnection(PinnedConnection, HTTPSConnection):
    pass


class CheckedRedirectHandler(urllib.request.HTTPRedirectHandler):
    """Redirects to ``http(s)`` only (urllib would follow one to ``ftp://`` too)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class CheckedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(PinnedHTTPConnection, req)


class CheckedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(PinnedHTTPSConnection, req, context=self._context)
