"""Public pages served from the cache, always correct, and only re-rendered where an edit shows.

Anonymous GET requests are answered from Django's cache, by ``PageCacheMiddleware`` before any
other middleware runs, under a key made of content versions
(:class:`~conference.models.ContentVersion`) and the URL as the view reads it
(``page_cache_key``). Each cached entry keeps its body gzipped once and an ETag, so repeat
visits get ``304 Not Modified`` and compression costs nothing per request. Logged-in users
(staff previewing drafts) are never served or stored. A hit whose versions this process holds
is answered earlier still, from the WSGI environ, by ``conference.fast_path``, with the same
key and the same answer (:meth:`CachedPage.answer`).

Scopes. A page of one event (``cache_for_visitors(view, event_from="slug")``) is keyed by that
event's version; every other page (home, event list, speakers, tags, search, feeds, sitemap)
by the cross-event ``site`` version; every page also by the ``all`` version. Each app declares
in its ``AppConfig.ready()`` which events a row of its models shows on
(``register_public_models(Model, scope=function)``: the function returns event slugs, or
``None`` for "every event"); a model without a scope function bumps ``all``. A save, delete or
many-to-many change bumps the events the row shows on before and after the change (computed
on ``pre_save``/``pre_delete`` for models registered with ``moves=True``: slug changes, a
session moved to another event, cascades) and always ``site``. Code that writes with
``QuerySet.update()`` (no signals) calls :func:`content_changed_for` itself; the importer
batches its rows with :func:`one_version_bump`.

Never stale, across processes and servers. The versions' truth is the database: a bump is an
``UPDATE`` inside the edit's own transaction, so a page rendered elsewhere while that
transaction is open reads the old version and is stored under the old key. Each process keeps
the numbers it read in memory, valid while a cheap *change signal* stays the same; every bump
changes the signal at once and again on ``transaction.on_commit``, so after a commit every
process re-reads the numbers (one query) on its next request. The signal is

- with a shared cache (``CACHE_URL`` Redis, Memcached...: two machines): one key of that cache;
- with a per-process cache (locmem, the default; dummy): a small file whose ``stat()`` changes
  (``PAGE_CACHE_SIGNAL_FILE``, by default in the temporary folder, named after the database),
  shared by every process on the machine; a per-process cache cannot serve two machines anyway.

So a warm hit costs a ``stat()`` (or one cache read) and no database query.

No dog-pile. On a miss the first request takes a lock (``cache.add``) and renders; the others
for the same key wait for its page, at most ``PAGE_RENDER_WAIT_SECONDS``, then render anyway
(a lock holder that died). With a shared cache that is one render per key for all servers;
with locmem one per process (each gunicorn worker renders once). Every response says
``X-Page-Cache: hit``, ``miss`` (rendered here) or ``wait`` (served another's render).
"""

import gzip
import hashlib
import logging
import os
import tempfile
import threading
import time
import uuid
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache, wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIRequest
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, get_resolver
from django.utils.cache import add_never_cache_headers, get_conditional_response

from .models import ContentVersion

logger = logging.getLogger(__name__)

PER_RESPONSE_HEADERS = {
    "content-length",
    "content-encoding",
    "etag",
    "cache-control",
    "vary",
    "x-page-cache",
}
COMPRESSIBLE_TYPES = ("text/", "application/json", "application/xml", "application/rss+xml")
MIN_COMPRESSED_SIZE = 200
SIGNAL_KEY = "page-cache:signal"
# The headers get_conditional_response reads: without any, a page is answered as it is.
PRECONDITION_HEADERS = (
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
)

_batch = threading.local()
# Scopes computed before a save or delete, bumped after it: {(label, pk): scopes}.
_before = threading.local()


# Every model whose rows appear on a public page: each app declares its own (AppConfig.ready()).
_public_models = {}
_moving_models = set()
_back_office_models = set()


def register_public_models(*models, scope=None, moves=False):
    """Declare models whose rows appear on a public page.

    ``scope(instance)`` returns the slugs of the events the row shows on (an iterable), or
    ``None`` when it may show on any event's pages; without it every page is out of date after
    a change. ``moves=True``: a row can change the events it shows on (a slug, a foreign key),
    so the events before the save count too (one query per save). Each app calls this from its
    ``AppConfig.ready()`` for the models it shows (or the third-party models it shows them with).
    """
    for model in models:
        # A later registration may say where rows show (sessions for speakers), never forget it.
        if scope is not None or model not in _public_models:
            _public_models[model] = scope
        if moves:
            _moving_models.add(model)
        uid = f"content-version-{model._meta.label}"
        pre_save.connect(before_save, sender=model, dispatch_uid=f"{uid}-pre-save")
        post_save.connect(after_change, sender=model, dispatch_uid=f"{uid}-save")
        pre_delete.connect(before_delete, sender=model, dispatch_uid=f"{uid}-pre-delete")
        post_delete.connect(after_delete, sender=model, dispatch_uid=f"{uid}-delete")
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


def scopes_of(instance):
    """The version scopes a change of ``instance`` makes out of date."""
    function = _public_models.get(type(instance))
    slugs = function(instance) if function else None
    if slugs is None:
        return {ContentVersion.ALL}
    return {ContentVersion.SITE} | {ContentVersion.event_scope(slug) for slug in slugs if slug}


def _remember(sender, instance, scopes):
    pending = getattr(_before, "scopes", None)
    if pending is None:
        pending = _before.scopes = {}
    pending.setdefault((sender._meta.label, instance.pk), set()).update(scopes)


def before_save(sender, instance, raw=False, **kwargs):
    if sender in _moving_models and instance.pk is not None and not instance._state.adding:
        previous = sender._base_manager.filter(pk=instance.pk).first()
        if previous is not None:
            _remember(sender, instance, scopes_of(previous))


def before_delete(sender, instance, **kwargs):
    # Related rows still exist here, not after the delete.
    _remember(sender, instance, scopes_of(instance))


def after_change(sender, instance, raw=False, **kwargs):
    pending = getattr(_before, "scopes", None) or {}
    scopes = pending.pop((sender._meta.label, instance.pk), set())
    if raw:  # loaddata: relations may not be loaded yet
        scopes.add(ContentVersion.ALL)
    else:
        try:
            scopes |= scopes_of(instance)
        except Exception:  # a half-deleted row's relations: be safe, not sorry
            scopes.add(ContentVersion.ALL)
    content_changed_for(scopes)


def after_delete(sender, instance, **kwargs):
    pending = getattr(_before, "scopes", None) or {}
    content_changed_for(pending.pop((sender._meta.label, instance.pk), {ContentVersion.ALL}))


def relation_changed(sender, instance, action, **kwargs):
    """Signal receiver for many-to-many changes: only those through a public model count."""
    if sender not in _public_models:
        return
    if action == "pre_clear" and type(instance) in _public_models:
        # After the clear, the instance no longer leads to the rows it was shown with.
        _remember(sender, instance, scopes_of(instance))
    if action.startswith("post_"):
        pending = getattr(_before, "scopes", None) or {}
        scopes = pending.pop((sender._meta.label, instance.pk), set())
        if type(instance) in _public_models:
            scopes |= scopes_of(instance)
        model, pks = kwargs.get("model"), kwargs.get("pk_set") or ()
        if model in _public_models and pks:
            for other in model._base_manager.filter(pk__in=pks):
                scopes |= scopes_of(other)
        content_changed_for(scopes or {ContentVersion.ALL})


def content_changed_for(scopes):
    """Public content of these scopes changed (see :func:`scopes_of`, :func:`event_scopes`)."""
    if getattr(_batch, "depth", 0):
        _batch.scopes |= set(scopes)
    else:
        bump(scopes)


def event_scopes(slugs):
    """The scopes to bump after changing the content of these events (``QuerySet.update()``)."""
    return {ContentVersion.SITE} | {ContentVersion.event_scope(slug) for slug in slugs}


def content_changed(**kwargs):
    """Everything may be out of date (kept for callers outside any event)."""
    content_changed_for({ContentVersion.ALL})


def bump(scopes):
    scopes = set(scopes) | {ContentVersion.SITE}
    ContentVersion.bump(scopes)
    # Now, for this process (and its open transaction), and after the commit, for the others:
    # a process that re-read the numbers before the commit re-reads them once more.
    change_signal().touch()
    transaction.on_commit(lambda: change_signal().touch())


@contextmanager
def one_version_bump():
    """Bump the versions once for all the changes made inside (the importer's rows): the
    union of the scopes they touched."""
    depth = getattr(_batch, "depth", 0)
    if not depth:
        _batch.scopes = set()
    _batch.depth = depth + 1
    try:
        yield
    finally:
        _batch.depth -= 1
        if not _batch.depth:
            scopes, _batch.scopes = _batch.scopes, set()
            if scopes:
                bump(scopes)


class FileSignal:
    """A file every process on this machine sees; replaced on each change, so its ``stat()``
    (inode, times) identifies the current state."""

    def __init__(self, path):
        self.path = Path(path)

    def read(self):
        try:
            status = os.stat(self.path)
        except FileNotFoundError:
            self.touch()
            status = os.stat(self.path)
        return (status.st_ino, status.st_mtime_ns, status.st_ctime_ns, status.st_size)

    def touch(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f"{self.path.name}.{uuid.uuid4().hex}")
        temporary.write_text(uuid.uuid4().hex)
        os.replace(temporary, self.path)


class CacheSignal:
    """One key of the shared cache; a failing cache reads as "changed" (the database decides)."""

    def read(self):
        try:
            token = cache.get(SIGNAL_KEY)
            if token is None:
                cache.add(SIGNAL_KEY, uuid.uuid4().hex, None)
                token = cache.get(SIGNAL_KEY)
        except Exception:
            token = None
        return token if token is not None else object()

    def touch(self):
        try:
            cache.set(SIGNAL_KEY, uuid.uuid4().hex, None)
        except Exception:
            logger.warning("Page cache unavailable: change signal not sent", exc_info=True)


PER_PROCESS_BACKENDS = ("LocMemCache", "DummyCache")


def change_signal():
    """The signal for this configuration (see the module's docstring)."""
    # The default connection's own settings, without the per-thread lookup of the connection.
    database = connections.settings[DEFAULT_DB_ALIAS]
    identity = (settings.CACHES["default"]["BACKEND"], database["NAME"], database.get("HOST"))
    signal = _signals.get(identity)
    if signal is None:
        kind = settings.PAGE_CACHE_SIGNAL
        if kind == "auto":
            kind = "file" if identity[0].endswith(PER_PROCESS_BACKENDS) else "cache"
        if kind == "file":
            path = settings.PAGE_CACHE_SIGNAL_FILE or default_signal_path(database)
            signal = FileSignal(path)
        else:
            signal = CacheSignal()
        _signals[identity] = signal
    return signal


_signals = {}


def default_signal_path(database):
    name = repr(
        (database["ENGINE"], str(database["NAME"]), database.get("HOST"), database.get("PORT"))
    )
    digest = hashlib.blake2b(name.encode(), digest_size=8).hexdigest()
    return Path(tempfile.gettempdir()) / f"roundup-page-signal-{digest}"


class VersionMemo:
    """The version numbers this process read, valid while the change signal stays the same.

    When the signal changes, the first read from the database re-reads the scopes this process
    held (one query, at most ``REREAD_SCOPES`` of them), not only the page's: the fast path,
    which never queries, then answers the other events' pages at once instead of sending each
    scope's first request after an edit through Django."""

    REREAD_SCOPES = 256

    def __init__(self):
        self.token = None
        self.numbers = {}
        self.stale = set()  # scopes held before the last change, not read since
        self.lock = threading.Lock()

    def numbers_of(self, scopes, *, read_database=True):
        """The current number of each scope; ``None`` when one is not in memory and
        ``read_database`` is false (the WSGI fast path, which never queries)."""
        token = change_signal().read()
        with self.lock:
            if token != self.token:
                self.stale |= set(self.numbers)
                self.token, self.numbers = token, {}
            numbers, stale = self.numbers, set(self.stale)
        missing = [scope for scope in scopes if scope not in numbers]
        if missing:
            if not read_database:
                return None
            # Read after the token: a bump after this read changes the token again.
            reread = sorted(stale.difference(missing))[: self.REREAD_SCOPES]
            fresh = ContentVersion.numbers([*missing, *reread])
            with self.lock:
                if self.token == token:
                    self.numbers = {**self.numbers, **fresh}
                    self.stale = set()
            numbers = {**numbers, **fresh}
        return [numbers[scope] for scope in scopes]

    def clear(self):
        with self.lock:
            self.token, self.numbers, self.stale = None, {}, set()


version_memo = VersionMemo()


@dataclass(frozen=True)
class CachedPage:
    status: int
    headers: tuple
    body: bytes
    gzipped: bytes | None
    etag: str

    @classmethod
    def from_response(cls, response):
        """The page ``response`` holds, its gzipped body compressed here, once."""
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

    def answer(self, environ, state="hit", request=None):
        """``(status, headers, body)`` answering with this page the GET or HEAD request whose
        WSGI environ (``request.META``) is ``environ``.

        The one place a cached page's answer is made: ``respond`` (the middleware) and the WSGI
        fast path (``conference.fast_path``) both send exactly this. ``If-None-Match`` with the
        page's ETag gets ``304`` and a failed ``If-Match`` ``412`` (Django's rules, logged
        there), both without a body; HEAD gets the headers of GET and no body. ``request`` is
        the request's ``HttpRequest`` where there is one (the fast path has none: one is made
        from ``environ`` for a conditional request only).
        """
        conditional = None
        if any(name in environ for name in PRECONDITION_HEADERS):
            request = request or WSGIRequest(environ)
            conditional = get_conditional_response(request, etag=self.etag)
        wants_gzip = self.gzipped is not None and accepts_gzip(
            environ.get("HTTP_ACCEPT_ENCODING", "")
        )
        headers = list(self.headers)
        if conditional is None:
            status, content = self.status, self.gzipped if wants_gzip else self.body
            if wants_gzip:
                headers.append(("Content-Encoding", "gzip"))
            headers.append(("Content-Length", str(len(content))))
            body = b"" if environ["REQUEST_METHOD"].upper() == "HEAD" else content
        else:
            status, body = conditional.status_code, b""
        headers += [
            ("ETag", self.etag),
            # Shared caches may keep it but must revalidate: an edit shows on the next request.
            ("Cache-Control", "public, no-cache"),
            ("Vary", "Accept-Encoding, Cookie"),
            ("X-Page-Cache", state),
        ]
        return status, headers, body

    def respond(self, request, state="hit"):
        """``answer`` as an ``HttpResponse``."""
        status, headers, body = self.answer(request.META, state, request)
        response = HttpResponse(body, status=status, headers=headers)
        if status >= 400:
            # get_conditional_response logged the failed precondition; Django's own mark
            # keeps its handler from logging it twice.
            response._has_been_logged = True
        return response


def page_cache_key(request, *, read_database=True):
    """The content versions, and everything of the request a public page is made of.

    The versions: ``all``, then the page's event's (a view declared with ``event_from``) or the
    cross-event ``site`` one. Scheme and host are part of it (pages hold absolute URLs:
    canonical links, sitemap, feeds), then the path and the query parameters the page reads
    (:func:`cache_for_visitors`), decoded: ``?utm_source=...`` or a link's ``?fbclid=...`` share
    the page's entry instead of each rendering it afresh. Parameters count decoded, as the view
    reads them, never as raw URL bytes. ``None`` when a version is not in this process's memory
    and ``read_database`` is false.
    """
    return versioned_key(page_identity(request), read_database=read_database)


def page_identity(request):
    """``(scope, digest)``: the version scope keying the page ``request`` asks for, and a
    digest of everything of the request the page is made of (see :func:`page_cache_key`).
    Raises ``DisallowedHost`` for a host not in ``ALLOWED_HOSTS``, as ``get_host`` does."""
    read, scope = page_query_and_scope(request.path_info)
    # The order of different names changes nothing.
    parameters = sorted(
        (name, values) for name, values in request.GET.lists() if read is None or name in read
    )
    identity = repr((request.scheme, request.get_host(), request.path, parameters))
    digest = hashlib.blake2b(identity.encode("utf-8", "surrogatepass"), digest_size=16)
    return scope, digest.hexdigest()


def versioned_key(identity, *, read_database=True):
    """The cache key of the page ``page_identity`` names, under the current versions."""
    scope, digest = identity
    numbers = version_memo.numbers_of([ContentVersion.ALL, scope], read_database=read_database)
    if numbers is None:
        return None
    everything, page = numbers
    return f"page:{everything}.{page}:{digest}"


def page_query(path):
    """The query parameters the cacheable page at ``path`` reads; ``None`` when ``path`` is
    not such a page (its responses are never stored, so every parameter may count)."""
    return page_query_and_scope(path)[0]


def page_query_and_scope(path):
    """``page_query(path)`` and the version scope keying the page at ``path``."""
    return _page_query_and_scope(get_resolver(), path)


# Resolving is a pure function of the URL configuration (a new one is a new resolver) and the
# path, and costs more than the rest of a hit: remembered for the paths asked for last.
@lru_cache(maxsize=1024)
def _page_query_and_scope(resolver, path):
    try:
        match = resolver.resolve(path)
    except Resolver404:
        return None, ContentVersion.SITE
    event_from = getattr(match.func, "event_from", None)
    slug = match.kwargs.get(event_from) if event_from else None
    scope = ContentVersion.event_scope(slug) if slug else ContentVersion.SITE
    return getattr(match.func, "page_query", None), scope


# Few clients send other headers than a handful of browsers' own: remembered.
@lru_cache(maxsize=256)
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


def stored_page(key):
    """The page stored under ``key``: this process's memo, else the shared cache."""
    page = recent_pages.get(key) or read_shared_cache(key)
    if page is not None:
        recent_pages.add(key, page)
    return page


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


def cache_for_visitors(view, *, query=(), event_from=None):
    """Mark what ``view`` answers anonymous visitors as cacheable by ``PageCacheMiddleware``;
    logged-in users (staff previewing drafts) get responses no cache may keep.

    ``query`` names the query parameters the view reads: only they reach it, and only they
    are part of the cache key, so the page cached under a key is the page its parameters make.
    ``event_from`` names the URL parameter holding the slug of the one event the page shows:
    the page is then keyed by that event's version, not the cross-event one. Only for pages
    that show nothing of another event.
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
    cached_view.event_from = event_from
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
    stored on the way out, with the headers the rest of the middleware added. One render per
    key at a time (see the module's docstring: no dog-pile).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.uncached_prefixes = uncached_prefixes()

    def __call__(self, request):
        if not may_serve(request, self.uncached_prefixes):
            return self.get_response(request)
        try:
            key = page_cache_key(request)
        except DatabaseError:  # let the inner middleware answer with its 503 page
            return self.get_response(request)
        page = stored_page(key)
        state = "hit"
        if page is None:
            page, response = self.render_once(request, key)
            if page is None:
                return response
            state = "miss" if response is not None else "wait"
        return page.respond(request, state)

    def render_once(self, request, key):
        """``(page, response)``: rendered here (``response`` set; ``page`` ``None`` when it may
        not be stored), or another request's render of the same key (``response`` ``None``)."""
        lock = f"lock:{key}"
        deadline = time.monotonic() + settings.PAGE_RENDER_WAIT_SECONDS
        held = take_lock(lock)
        while not held:
            time.sleep(0.02)
            page = stored_page(key)
            if page is not None:
                return page, None
            if time.monotonic() >= deadline:
                break  # the holder died or is slow: render anyway
            held = not lock_held(lock) and take_lock(lock)
        try:
            response = self.get_response(request)
            if not self.may_store(response):
                return None, response
            page = CachedPage.from_response(response)
            write_shared_cache(key, page)
            recent_pages.add(key, page)
            return page, response
        finally:
            if held:
                release_lock(lock)

    @staticmethod
    def may_store(response):
        return (
            getattr(response, "cache_for_visitors", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        )


def uncached_prefixes():
    """The paths never answered from the page cache: the admin, static files, uploads."""
    return tuple(
        "/" + prefix.strip("/") + "/"
        for prefix in ("admin", settings.STATIC_URL, settings.MEDIA_URL)
        if not prefix.startswith(("http://", "https://"))
    )


def may_serve(request, uncached_prefixes):
    """Whether the page cache may answer ``request``: GET or HEAD without a session cookie
    (anonymous for sure), outside ``uncached_prefixes``. Anyone else gets the whole stack."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(uncached_prefixes)
    )


# The lock only saves work: a failing cache lets every request render.
def take_lock(lock):
    try:
        return cache.add(lock, os.getpid(), settings.PAGE_RENDER_LOCK_SECONDS)
    except Exception:
        return True


def lock_held(lock):
    try:
        return cache.get(lock) is not None
    except Exception:
        return False


def release_lock(lock):
    try:
        cache.delete(lock)
    except Exception:
        logger.warning("Page cache unavailable: render lock not released", exc_info=True)
