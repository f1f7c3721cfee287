"""Absolute addresses for the writers, which have no request to ask."""

from urllib.parse import urljoin, urlsplit

from django.http.request import split_domain_port
from django.utils.encoding import iri_to_uri


def absolute_url(base_url, location):
    """``location`` made absolute against ``base_url`` (``scheme://host[:port]``), exactly as
    ``request.build_absolute_uri(location)`` does for a request to that address."""
    bits = urlsplit(location)
    if not (bits.scheme and bits.netloc):
        if bits.path.startswith("/") and "/./" not in bits.path and "/../" not in bits.path:
            location = base_url + location.removeprefix("//")
        else:
            location = urljoin(base_url + "/", location)
    return iri_to_uri(location)


def host_name(base_url):
    """The host of ``base_url`` without its port, lowercased (``request.get_host()`` split)."""
    host, _port = split_domain_port(urlsplit(base_url).netloc)
    return host
