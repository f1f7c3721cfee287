"""The visitor's address, for login throttling, when the site runs behind reverse proxies.

Behind a proxy every request arrives from the proxy's address. Each trusted proxy appends the
address it received the request from to ``X-Forwarded-For``, so with ``TRUSTED_PROXY_COUNT``
proxies in front of the site the client is that many entries from the right; anything further
left was written by the client and could be forged, so it is never used.
"""

from ipaddress import ip_address

from django.conf import settings


def client_address(request):
    """The address django-axes locks out: ``REMOTE_ADDR`` unless trusted proxies say better."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [hop for hop in forwarded if hop]
    if len(forwarded) < proxies:
        return remote  # not through all our proxies: the header cannot be trusted
    candidate = forwarded[-proxies]
    try:
        return str(ip_address(candidate))
    except ValueError:
        return remote
