"""Cached pages answered straight from the WSGI environ, before Django handles the request.

:class:`PageCacheFastPath` wraps Django's WSGI application (``conference/wsgi.py``). A request
that ``PageCacheMiddleware`` would answer from the cache, whose content versions this process
already holds in memory and whose page it already has, gets that page's answer
(:meth:`CachedPage.answer <conference.caching.CachedPage.answer>`: the status, headers and body
the middleware sends too) without the rest of Django's request handling: no
``request_started``/``request_finished`` signals, no middleware chain, no ``HttpResponse``.
Everything else goes to Django unchanged: a POST, a session cookie, the admin, static files and
uploads, a host Django refuses (its 400), a page not cached yet (rendered there), and a request
right after an edit, until this process has read the new versions (the fast path never queries
the database; the middleware's path reads them, once per process).

Which page a request asks for is Django's own decision: a ``WSGIRequest`` (its
``ALLOWED_HOSTS`` check, scheme, path and query decoding), then the middleware's
:func:`~conference.caching.may_serve` and :func:`~conference.caching.page_identity`. That costs
more than the rest of a hit, so each process remembers it for the requests it saw last, keyed
by the environ's text values less :data:`PER_REQUEST_VALUES`. The decision is computed from
that key alone (an environ rebuilt from it), so two requests with one key get one decision by
construction; what the decision may not read are the values left out, which are the client's
address, its description of itself and the values a cached page's answer reads anew on every
request (``Accept-Encoding``, the conditional headers).

A hit touches neither the database connection nor closes the cache's, which the next hit reuses.
"""

import io
from functools import lru_cache
from http.client import responses

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import setting_changed

from .caching import may_serve, page_identity, stored_page, uncached_prefixes, versioned_key

PAGE_CACHE_MIDDLEWARE = "conference.caching.PageCacheMiddleware"
# Environ values that vary from request to request and that no part of the decision reads:
# left out of the key, so they do not make every visitor's request a new one.
PER_REQUEST_VALUES = frozenset(
    {
        "REMOTE_ADDR",
        "REMOTE_PORT",
        "HTTP_X_FORWARDED_FOR",
        "HTTP_X_REAL_IP",
        # Read on every request by CachedPage.answer, from the request's own environ.
        "HTTP_ACCEPT_ENCODING",
        "HTTP_IF_MATCH",
        "HTTP_IF_NONE_MATCH",
        "HTTP_IF_MODIFIED_SINCE",
        "HTTP_IF_UNMODIFIED_SINCE",
        # What the browser says of itself and of the visit.
        "HTTP_USER_AGENT",
        "HTTP_ACCEPT",
        "HTTP_ACCEPT_LANGUAGE",
        "HTTP_REFERER",
        "HTTP_CONNECTION",
        "HTTP_CACHE_CONTROL",
        "HTTP_PRAGMA",
        "HTTP_PRIORITY",
        "HTTP_DNT",
        "HTTP_SEC_GPC",
        "HTTP_UPGRADE_INSECURE_REQUESTS",
        "HTTP_SEC_FETCH_DEST",
        "HTTP_SEC_FETCH_MODE",
        "HTTP_SEC_FETCH_SITE",
        "HTTP_SEC_FETCH_USER",
        "HTTP_SEC_CH_UA",
        "HTTP_SEC_CH_UA_MOBILE",
        "HTTP_SEC_CH_UA_PLATFORM",
    }
)


class PageCacheFastPath:
    """WSGI middleware: answers page-cache hits itself, passes every other request on."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        answer = cached_answer(environ)
        if answer is None:
            return self.application(environ, start_response)
        status, headers, body = answer
        start_response(f"{status} {responses.get(status, 'Unknown Status Code')}", headers)
        return [body]


def cached_answer(environ):
    """``(status, headers, body)`` of the cached page answering ``environ``, or ``None`` when
    Django should answer it."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return None
    identity = page_identity_of(request_key(environ))
    key = identity and versioned_key(identity, read_database=False)
    page = key and stored_page(key)
    if not page:
        return None
    return page.answer(environ)


def request_key(environ):
    """The environ's text values, less those no part of the decision reads."""
    return frozenset(
        (name, value)
        for name, value in environ.items()
        if type(value) is str and name not in PER_REQUEST_VALUES
    )


# Bounded: a key holds the request's headers (a cookie may be kilobytes).
@lru_cache(maxsize=1024)
def page_identity_of(key):
    """``page_identity`` of the request ``key`` describes, or ``None`` when the page cache may
    not answer it (``may_serve``; the middleware not installed) or Django refuses it (a host
    not allowed: its 400)."""
    if PAGE_CACHE_MIDDLEWARE not in settings.MIDDLEWARE:
        return None
    request = WSGIRequest({**dict(key), "wsgi.input": io.BytesIO()})
    try:
        if not may_serve(request, uncached_prefixes()):
            return None
        return page_identity(request)
    except SuspiciousOperation:
        return None


def forget_decisions(**kwargs):
    """Settings changed (tests): hosts, prefixes or URLs may decide otherwise now."""
    page_identity_of.cache_clear()


setting_changed.connect(forget_decisions, dispatch_uid="page-cache-fast-path-settings")
