"""Public pages served from the cache, always correct.

Anonymous GET requests are answered from Django's cache, by ``PageCacheMiddleware`` before any
other middleware runs, under a key made of the current
:class:`~conference.models.ContentVersion` and the URL as the view reads it (``page_cache_key``).
Every change to public content (a save, delete or many-to-many change of any model an app
declares with ``register_public_models``, from the admin, the importer or a shell) bumps that
version, so the next request renders afresh.
Each cached entry keeps its body gzipped once and an ETag, so repeat visits get
``304 Not Modified`` and compression costs nothing per request. Logged-in users (staff
previewing drafts) are never served or stored.
"""

import gzip
import hashlib
import logging
import threading
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, get_resolver
from django.utils.cache import add_never_cache_headers, get_conditional_response, patch_vary_headers

from .models import ContentVersion

logger = logging.getLogger(__name__)

PER_RESPONSE_HEADERS = {"content-length", "content-encoding", "etag", "cache-control", "vary"}
COMPRESSIBLE_TYPES = ("text/", "application/json", "application/xml", "application/rss+xml")
MIN_COMPRESSED_SIZE = 200

_batch = threading.local()


def content_changed(**kwargs):
    """Signal receiver: public content changed, so cached pages are out of date."""
    if getattr(_batch, "depth", 0):
        _batch.changed = True
    else:
        ContentVersion.bump()


@contextmanager
def one_version_bump():
    """Bump the content version once for all the changes made inside (the importer's rows)."""
    _batch.depth = getattr(_batch, "depth", 0) + 1
    try:
        yield
    finally:
        _batch.depth -= 1
        if not _batch.depth and getattr(_batch, "changed", False):
            _batch.changed = False
            ContentVersion.bump()


# Every model whose rows appear on a public page: each app declares its own (AppConfig.ready()).
_public_models = set()
_back_office_models = set()


def register_public_models(*models):
    """Declare models whose rows appear on a public page: any save, delete or many-to-many
    change of one makes every cached page out of date. Each app calls this from its
    ``AppConfig.ready()`` for the models it shows (or the third-party models it shows them with)."""
    for model in models:
        _public_models.add(model)
        uid = f"content-version-{model._meta.label}"
        post_save.connect(content_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(relation_changed, dispatch_uid="content-version-m2m")


def public_models():
    """The models declared with :func:`register_public_models`."""
    return frozenset(_public_models)


def register_back_office_models(*models):
    """Declare models that point at public ones but never show on a public page (an import
    job): their saves leave the cached pages as they are."""
    _back_office_models.update(models)


def back_office_models():
    """The models declared with :func:`register_back_office_models`."""
    return frozenset(_back_office_models)


def relation_changed(sender, **kwargs):
    """Signal receiver for many-to-many changes: only those through a public model count."""
    if sender in _public_models:
        content_changed()


@dataclass(frozen=True)
class CachedPage:
    status: int
    headers: tuple
    body: bytes
    gzipped: bytes | None
    etag: str

    @classmethod
    def from_response(cls, response):
        body = response.content
        content_type = response.get("Content-Type", "")
        gzipped = None
        if len(body) >= MIN_COMPRESSED_SIZE and content_type.startswith(COMPRESSIBLE_TYPES):
            gzipped = gzip.compress(body, compresslevel=6, mtime=0)
        # Every header the middleware added on the way out (CSP, HSTS, X-Frame-Options...) is
        # kept, since a hit is answered before that middleware runs again.
        headers = tuple(
            (name, value)
            for name, value in response.items()
            if name.lower() not in PER_RESPONSE_HEADERS
        )
        etag = f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'
        return cls(response.status_code, headers, body, gzipped, etag)

    def respond(self, request):
        not_modified = get_conditional_response(request, etag=self.etag)
        wants_gzip = self.gzipped is not None and accepts_gzip(
            request.headers.get("Accept-Encoding", "")
        )
        response = not_modified or HttpResponse(
            self.gzipped if wants_gzip else self.body, status=self.status
        )
        for name, value in self.headers:
            response[name] = value
        if wants_gzip and not not_modified:
            response["Content-Encoding"] = "gzip"
        response["ETag"] = self.etag
        # Shared caches may keep it but must revalidate: an edit shows on the next request.
        response["Cache-Control"] = "public, no-cache"
        patch_vary_headers(response, ["Accept-Encoding", "Cookie"])
        return response


def page_cache_key(request):
    """The content version, and everything of the request a public page is made of.

    Scheme and host are part of it (pages hold absolute URLs: canonical links, sitemap, feeds),
    then the path and the query parameters the page reads (:func:`cache_for_visitors`), decoded:
    ``?utm_source=...`` or a link's ``?fbclid=...`` share the page's entry instead of each
    rendering it afresh. Parameters count decoded, as the view reads them, never as raw URL bytes.
    """
    read = page_query(request.path_info)
    # The order of different names changes nothing.
    parameters = sorted(
        (name, values) for name, values in request.GET.lists() if read is None or name in read
    )
    identity = repr((request.scheme, request.get_host(), request.path, parameters))
    digest = hashlib.blake2b(identity.encode("utf-8", "surrogatepass"), digest_size=16)
    return f"page:{ContentVersion.current()}:{digest.hexdigest()}"


def page_query(path):
    """The query parameters the cacheable page at ``path`` reads; ``None`` when ``path`` is
    not such a page (its responses are never stored, so every parameter may count)."""
    try:
        match = get_resolver().resolve(path)
    except Resolver404:
        return None
    return getattr(match.func, "page_query", None)


def accepts_gzip(accept_encoding):
    """Whether an ``Accept-Encoding`` header allows gzip: listed (or ``*``) with a quality above
    zero. ``gzip;q=0`` refuses it, and a malformed quality counts as a refusal."""
    qualities = {}
    for coding in accept_encoding.lower().split(","):
        name, *parameters = (part.strip() for part in coding.split(";"))
        quality = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        qualities[name] = quality
    return qualities.get("gzip", qualities.get("*", 0.0)) > 0


class RecentPages:
    """The pages this process served last, so a hit skips unpickling from the shared cache.

    Safe without invalidation: keys hold the content version, so a changed site simply
    stops asking for the old keys, which age out.
    """

    def __init__(self, size=64):
        self.size = size
        self.pages = OrderedDict()

    def get(self, key):
        page = self.pages.get(key)
        if page is not None:
            self.pages.move_to_end(key)
        return page

    def add(self, key, page):
        self.pages[key] = page
        if len(self.pages) > self.size:
            self.pages.popitem(last=False)


recent_pages = RecentPages()


# The shared cache only saves work: when its server is down, full or returns something else
# than a page, visitors get the page rendered afresh, never an error.
def read_shared_cache(key):
    """The page stored under ``key``; ``None`` when there is none or the cache fails."""
    try:
        page = cache.get(key)
    except Exception:
        logger.warning("Page cache unavailable: rendering without it", exc_info=True)
        return None
    return page if isinstance(page, CachedPage) else None


def write_shared_cache(key, page):
    try:
        cache.set(key, page, settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.warning("Page cache unavailable: page not stored", exc_info=True)


def cache_for_visitors(view, *, query=()):
    """Mark what ``view`` answers anonymous visitors as cacheable by ``PageCacheMiddleware``;
    logged-in users (staff previewing drafts) get responses no cache may keep.

    ``query`` names the query parameters the view reads: only they reach it, and only they
    are part of the cache key, so the page cached under a key is the page its parameters make.
    """
    read = frozenset(query)

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        request.GET = only_parameters(request.GET, read)
        response = view(request, *args, **kwargs)
        if request.method in ("GET", "HEAD") and not request.user.is_authenticated:
            response.cache_for_visitors = True
        else:
            add_never_cache_headers(response)
        return response

    cached_view.page_query = read
    return cached_view


def only_parameters(query_dict, names):
    kept = QueryDict(mutable=True)
    for name, values in query_dict.lists():
        if name in names:
            kept.setlist(name, values)
    kept._mutable = False
    return kept


class PageCacheMiddleware:
    """First in MIDDLEWARE: answers cached pages before anything else runs.

    Only for GET/HEAD requests without a session cookie, who are anonymous for sure; anyone
    else goes through the whole stack. A response the view marked (``cache_for_visitors``) is
    stored on the way out, with the headers the rest of the middleware added.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.skipped_prefixes = tuple(
            "/" + prefix.strip("/") + "/"
            for prefix in ("admin", settings.STATIC_URL, settings.MEDIA_URL)
            if not prefix.startswith(("http://", "https://"))
        )

    def __call__(self, request):
        if not self.may_serve(request):
            return self.get_response(request)
        try:
            key = page_cache_key(request)
        except DatabaseError:  # let the inner middleware answer with its 503 page
            return self.get_response(request)
        page = recent_pages.get(key) or read_shared_cache(key)
        if page is None:
            response = self.get_response(request)
            if not self.may_store(response):
                return response
            page = CachedPage.from_response(response)
            write_shared_cache(key, page)
        recent_pages.add(key, page)
        return page.respond(request)

    def may_serve(self, request):
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(self.skipped_prefixes)
        )

    @staticmethod
    def may_store(response):
        return (
            getattr(response, "cache_for_visitors", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        )
