"""The published site as a folder of files any static host serves as is (``manage.py freeze``).

Every page is rendered through Django's full handler (``django.test.Client``), so the bytes and
the security headers are those the live site sends. Rules (see ``docs/static-export.md``):

- A path ending in ``/`` is written as ``path/index.html``; every other URL (feeds, calendars,
  exports, sitemap, robots) keeps its own name, whose extension gives a static server the right
  content type.
- Pages come from the models (each published event's pages and exports, its published
  sessions, the visible speakers) and from following every same-origin link of every page.
- Links to pages that need the server (admin, search, form actions, a query on a page that is
  not frozen such as ``agenda.ics?s=``) point at the live site (``base_url``). A query on a frozen
  page (the schedule's and the event page's filters) stays: the static page applies it in
  JavaScript.
- With ``event`` only that event's pages (``/events/<slug>/...``) are frozen, with all static
  files and the uploads they show; links to any other page point at the live site.
- Static files are copied as whitenoise serves them (hashed names when the manifest storage is
  on); uploads only when a frozen page links to them (a draft's uploads never leave).
- Headers a static host cannot send are written to ``_headers`` (with ``event``, merged with
  the rules of the other pages the folder holds); ``.freeze-manifest.json`` lists the files
  this module wrote, so a later run removes only those and rewrites only the files whose bytes
  changed.
- A later run renders again only what may have changed. The manifest records, per page, the
  content versions that key it in the page cache (``conference.caching``: ``all`` and its
  event's or the cross-event one) and a fingerprint of everything else a page is made of (the
  code, templates and static files, the settings, installed packages' versions, the base URL).
  A page whose versions and fingerprint are those recorded, and whose file is still the one
  written, is the page the live site would serve from its cache: it is kept without rendering,
  with the links and headers recorded. Pages the live site never caches (redirects) are always
  rendered.
"""

import hashlib
import html
import importlib.metadata
import json
import logging
import os
import re
import time
from collections import Counter, deque
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles.finders import get_finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.files.storage import default_storage
from django.test import Client
from django.test.utils import override_settings
from django.urls import Resolver404, resolve, reverse

from conference.caching import page_query_and_scope
from conference.models import ContentVersion, Event
from speakers.models import Speaker

from .models import Session

MANIFEST = ".freeze-manifest.json"
# Bumped when this module changes what a page record means.
RECORD_FORMAT = 1
# Settings that are secrets: never part of a fingerprint written beside public files.
SECRET_SETTINGS = re.compile(r"SECRET|PASSWORD|TOKEN|(^|_)KEY$|DATABASES|CACHES")
MEMORY_ADDRESS = re.compile(r" at 0x[0-9a-f]+")
HEADERS_FILE = "_headers"
# Response headers a static host cannot send by itself, copied from the live responses.
KEPT_HEADERS = [
    "Content-Security-Policy",
    "Strict-Transport-Security",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
    "Cross-Origin-Resource-Policy",
]
# Pages only the app can answer: every link to them points at the live site.
SERVER_ONLY_PREFIXES = ("/admin/", "/search/")
# Frozen pages whose query-string links keep working: their JavaScript applies the filters.
FILTERED_BY_SCRIPT = {"conference:event_detail", "talks:event_schedule"}
# Attributes whose URL a script completes with a query only the server answers
# (agenda.js: ``agenda.ics?s=<guids>``): always the live site.
QUERY_TEMPLATES = {"data-ical"}
# Per-event URL names without arguments beyond the slug.
EVENT_URL_NAMES = [
    "conference:event_detail",
    "talks:event_schedule",
    "talks:event_agenda",
    "talks:event_agenda_ical",
    "talks:event_track_styles",
    "talks:event_export_markdown",
    "talks:event_export_json",
    "talks:event_ical",
    "talks:event_schedule_xml",
    "talks:event_schedule_json",
    "talks:event_schedule_csv",
]
SITE_PATHS = ["/", "/robots.txt", "/sitemap.xml", "/feeds/recordings.rss", "/feeds/recordings.atom"]
LINK_ATTRIBUTE = re.compile(
    rb"""(?P<lead>\s(?P<name>href|src|action|poster|data-ical|data-src)\s*=\s*)(?P<q>["'])(?P<url>[^"']*)(?P=q)""",
    re.IGNORECASE,
)
SRCSET = re.compile(rb"""\ssrcset\s*=\s*(["'])([^"']*)\1""", re.IGNORECASE)
CSS_URL = re.compile(rb"""url\(\s*["']?([^"')]+)["']?\s*\)""")
XML_LOC = re.compile(rb"<loc>([^<]+)</loc>")


@contextmanager
def seeds_may_be_missing():
    """Django's ``Not Found: ...`` warnings left out: a seed without a page (an untimed
    event's schedule) is expected, not a broken link worth a line of the command's output."""
    logger = logging.getLogger("django.request")
    not_found = NotFoundFilter()
    logger.addFilter(not_found)
    try:
        yield
    finally:
        logger.removeFilter(not_found)


class NotFoundFilter(logging.Filter):
    def filter(self, record):
        return getattr(record, "status_code", None) != 404


class FreezeError(Exception):
    """Input the freeze cannot work with: the message says what to change."""


@dataclass
class Report:
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    pages: int = 0
    rendered: int = 0  # requests made: pages, redirects, seeds without a page
    kept: int = 0  # pages not rendered again: the last run's file is still theirs
    seconds: float = 0.0
    missing: list = field(default_factory=list)


def output_path(url_path):
    """The file (relative to the output folder) that serves ``url_path`` on a static host."""
    relative = unquote(url_path).lstrip("/")
    if relative == "" or relative.endswith("/"):
        relative += "index.html"
    return relative


class Freezer:
    def __init__(self, *, output, base_url, event_slug=None):
        self.output = Path(output)
        self.base_url = base_url.rstrip("/")
        origin = urlsplit(self.base_url)
        self.host = origin.netloc
        self.secure = origin.scheme == "https"
        self.event = None
        if event_slug is not None:
            self.event = Event.objects.published().filter(slug=event_slug).first()
            if self.event is None:
                raise FreezeError(f"No published event has the slug {event_slug!r}.")
        self.scope = f"/events/{self.event.slug}/" if self.event else "/"
        self.static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        media = urlsplit(settings.MEDIA_URL)
        self.media_prefix = None if media.netloc else "/" + media.path.strip("/") + "/"
        self.files = {}  # relative path -> bytes
        self.kept = {}  # relative path -> digest: files of pages not rendered again
        self.headers = {}  # url path -> {name: value}
        self.records = {}  # url path -> what the manifest remembers of the page
        self.rendered = 0
        self.missing = []  # (page, link) pairs that answer no 200
        self.media_names = set()
        self.seeded = set()

    # ----- which URLs -----

    def seeds(self):
        events = [self.event] if self.event else list(Event.objects.published())
        paths = [] if self.event else [*list(SITE_PATHS), reverse("speakers:list")]
        for event in events:
            paths += [reverse(name, kwargs={"slug": event.slug}) for name in EVENT_URL_NAMES]
            for session in Session.objects.published().filter(event=event).select_related("event"):
                paths.append(session.get_absolute_url())
                if session.starts_at is None:
                    continue  # an untimed session has no calendar entry
                paths.append(
                    reverse(
                        "talks:session_ical",
                        kwargs={"event_slug": event.slug, "slug": session.slug},
                    )
                )
        if not self.event:
            paths += [s.get_absolute_url() for s in Speaker.objects.visible_to(AnonymousUser())]
        return paths

    def in_scope(self, path):
        if path.startswith(SERVER_ONLY_PREFIXES):
            return False
        if self.media_prefix and path.startswith(self.media_prefix):
            return True
        return path.startswith(self.scope)

    def is_static(self, path):
        return path.startswith(self.static_prefix)

    def live(self, url):
        return self.base_url + url

    # ----- rendering -----

    def run(self):
        started = time.perf_counter()
        self.check_output()
        self.fingerprint = render_fingerprint(self.base_url)
        self.previous = self.read_manifest()
        self.versions = {}  # scope -> number, read once per run (see page_versions)
        hosts = [*settings.ALLOWED_HOSTS, self.host.split(":")[0]]
        with override_settings(ALLOWED_HOSTS=hosts):
            client = Client(HTTP_HOST=self.host)
            queue = deque(self.seeds())
            seen = set(queue)
            self.seeded = set(queue)
            while queue:
                path = queue.popleft()
                for link in self.freeze_url(client, path):
                    if link not in seen:
                        seen.add(link)
                        queue.append(link)
        self.copy_static()
        self.copy_media()
        self.files[HEADERS_FILE] = self.headers_file(self.all_headers()).encode()
        report = self.commit()
        report.pages = len(self.headers)
        report.rendered = self.rendered
        report.kept = len(self.kept)
        report.missing = self.missing
        report.seconds = time.perf_counter() - started
        return report

    def freeze_url(self, client, path):
        """Render ``path``, keep its bytes and headers; the same-origin paths it links to."""
        if self.media_prefix and path.startswith(self.media_prefix):
            self.media_names.add(unquote(path[len(self.media_prefix) :]))
            return []
        versions = self.page_versions(path)
        kept = self.keep_unchanged(path, versions)
        if kept is not None:
            return kept
        self.rendered += 1
        with seeds_may_be_missing() if path in self.seeded else nullcontext():
            response = client.get(path, secure=self.secure)
        if response.status_code in (301, 302, 307, 308):
            target = urlsplit(response["Location"])
            if target.netloc not in ("", self.host):
                return []
            body = redirect_page(target.path).encode()
            self.files[output_path(path)] = body
            return [target.path] if self.in_scope(target.path) else []
        if response.status_code != 200:
            # A seed may have no page (an untimed event has no schedule); a link must.
            if path not in self.seeded:
                self.missing.append((path, response.status_code))
            return []
        body = b"".join(response.streaming_content) if response.streaming else response.content
        self.headers[path] = {name: response[name] for name in KEPT_HEADERS if name in response}
        content_type = response.get("Content-Type", "")
        links = []
        if content_type.startswith("text/html"):
            body, links = self.rewrite_html(body)
        elif content_type.startswith("text/css"):
            links = [u.decode() for u in CSS_URL.findall(body)]
        elif path == "/sitemap.xml":
            links = [html.unescape(u.decode()) for u in XML_LOC.findall(body)]
        self.files[output_path(path)] = body
        found = self.same_origin_paths(links)
        if versions is not None:
            self.records[path] = {
                "fingerprint": self.fingerprint,
                "versions": versions,
                "headers": self.headers[path],
                "links": found,
            }
        return found

    # ----- what need not be rendered again -----

    def page_versions(self, path):
        """The content versions keying ``path`` in the live page cache; ``None`` for a page
        the live site never caches (its content is not covered by the versions)."""
        query, scope = page_query_and_scope(path)
        if query is None:
            return None
        scopes = [ContentVersion.ALL, scope]
        # Read before the first page of the scope renders, never after: an edit made during
        # the run leaves the pages it touched recorded under older numbers, so the next run
        # renders them again.
        missing = [name for name in scopes if name not in self.versions]
        if missing:
            self.versions.update(ContentVersion.numbers(missing))
        return [self.versions[name] for name in scopes]

    def keep_unchanged(self, path, versions):
        """The links of ``path`` when its file from the last run is still its page (same
        versions, same fingerprint, file untouched), after keeping it; else ``None``."""
        record = self.previous["pages"].get(path)
        if (
            versions is None
            or record is None
            or record.get("fingerprint") != self.fingerprint
            or record.get("versions") != versions
        ):
            return None
        relative = output_path(path)
        digest = self.previous["files"].get(relative)
        try:
            on_disk = hashlib.sha256((self.output / relative).read_bytes()).hexdigest()
        except OSError:
            return None
        if digest is None or on_disk != digest:
            return None
        self.kept[relative] = digest
        self.headers[path] = record["headers"]
        self.records[path] = record
        return list(record["links"])

    def same_origin_paths(self, links):
        found = []
        for link in links:
            bits = urlsplit(link)
            if bits.netloc and bits.netloc != self.host:
                continue
            if bits.scheme not in ("", "http", "https") or not bits.path.startswith("/"):
                continue
            if bits.path.startswith("//") or self.is_static(bits.path):
                continue
            if self.in_scope(bits.path):
                found.append(bits.path)
        return found

    def rewrite_html(self, body):
        """``body`` with links to server-only pages made absolute to the live site, and the
        same-origin links it holds."""
        links = []

        def rewrite(url, name):
            bits = urlsplit(url)
            if name in QUERY_TEMPLATES and url.startswith("/"):
                return self.live(url)
            if bits.scheme or bits.netloc or not url.startswith("/"):
                links.append(url)
                return url
            if self.is_static(bits.path):
                return url
            if not self.in_scope(bits.path) or (
                bits.query and self.url_name(bits.path) not in FILTERED_BY_SCRIPT
            ):
                return self.live(url)
            links.append(url)
            return url

        def attribute(match):
            url = html.unescape(match["url"].decode())
            new = rewrite(url, match["name"].decode().lower())
            if new == url:
                return match[0]
            quoted = html.escape(new, quote=True).encode()
            return match["lead"] + match["q"] + quoted + match["q"]

        def srcset(match):
            for candidate in match[2].decode().split(","):
                if candidate.strip():
                    links.append(html.unescape(candidate.split()[0]))
            return match[0]

        body = LINK_ATTRIBUTE.sub(attribute, body)
        SRCSET.sub(srcset, body)
        return body, links

    @staticmethod
    def url_name(path):
        try:
            return resolve(path).view_name
        except Resolver404:
            return None

    # ----- static files and uploads -----

    def copy_static(self):
        prefix = self.static_prefix.lstrip("/")
        if isinstance(staticfiles_storage, ManifestFilesMixin):
            root = Path(settings.STATIC_ROOT)
            if not (root / staticfiles_storage.manifest_name).exists():
                raise FreezeError(
                    f"No collected static files in {root}: run `manage.py collectstatic` first."
                )
            for file in root.rglob("*"):
                if file.is_file() and file.suffix not in (".gz", ".br"):
                    relative = file.relative_to(root).as_posix()
                    if relative != staticfiles_storage.manifest_name:
                        self.files[prefix + relative] = file.read_bytes()
            return
        for finder in get_finders():
            for name, storage in finder.list([]):
                relative = prefix + name.replace(os.sep, "/")
                if relative not in self.files:
                    with storage.open(name) as handle:
                        self.files[relative] = handle.read()

    def copy_media(self):
        prefix = self.media_prefix.lstrip("/") if self.media_prefix else ""
        for name in sorted(self.media_names):
            if default_storage.exists(name):
                with default_storage.open(name) as handle:
                    self.files[prefix + name] = handle.read()
            else:
                self.missing.append((self.media_prefix + name, 404))

    # ----- headers -----

    def all_headers(self):
        """The headers of every page the folder will hold: this run's, and with ``event`` those
        the manifest remembers of pages outside the event (an earlier full freeze)."""
        if not self.event:
            return dict(self.headers)
        others = {
            path: record["headers"]
            for path, record in self.previous["pages"].items()
            if not path.startswith(self.scope) and "headers" in record
        }
        return {**others, **self.headers}

    def headers_file(self, headers):
        """The kept headers in the Netlify / Cloudflare Pages ``_headers`` format: one ``/*`` rule
        when every response sent the same ones, else one rule per URL."""
        sets = Counter(tuple(sorted(h.items())) for h in headers.values())
        lines = ["# Written by manage.py freeze: the headers the live site sends."]
        rules = [("/*", dict(next(iter(sets))))] if len(sets) == 1 else sorted(headers.items())
        for pattern, headers in rules:
            lines.append(pattern)
            for name, value in headers.items():
                if name == "Content-Security-Policy":
                    value = self.csp_for_static(value)
                lines.append(f"  {name}: {value}")
        return "\n".join(lines) + "\n"

    def csp_for_static(self, policy):
        """The live policy, with the live site allowed as a form target: the search form of a
        frozen page submits to it."""
        directives = [d.strip() for d in policy.split(";") if d.strip()]
        for index, directive in enumerate(directives):
            if directive.startswith("form-action ") and self.base_url not in directive:
                directives[index] = f"{directive} {self.base_url}"
        return "; ".join(directives)

    # ----- writing -----

    def check_output(self):
        try:
            self.output.mkdir(parents=True, exist_ok=True)
            probe = self.output / ".freeze-probe"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as error:
            raise FreezeError(f"Cannot write to {self.output}: {error.strerror}.") from error

    def read_manifest(self):
        """``{"files": {relative: sha256}, "pages": {path: record}}`` of the last run."""
        try:
            manifest = json.loads((self.output / MANIFEST).read_text())
            files, pages = manifest["files"], manifest.get("pages", {})
            if not isinstance(files, dict) or not isinstance(pages, dict):
                raise TypeError
            return {"files": files, "pages": pages}
        except (OSError, ValueError, KeyError, TypeError):
            return {"files": {}, "pages": {}}

    def commit(self):
        report = Report()
        before = self.previous["files"]
        after = dict(before) if self.event else {}
        after.update(self.kept)
        report.unchanged += len(self.kept)
        for relative, body in sorted(self.files.items()):
            target = self.output / relative
            digest = hashlib.sha256(body).hexdigest()
            after[relative] = digest
            if (
                target.is_file()
                and target.stat().st_size == len(body)
                and target.read_bytes() == body
            ):
                report.unchanged += 1
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(target.name + ".freeze-tmp")
            temporary.write_bytes(body)
            temporary.replace(target)
            report.written += 1
        stale = [name for name in before if name not in self.files and name not in self.kept]
        if self.event:
            # An event's run removes only that event's stale pages.
            stale = [name for name in stale if name.startswith(self.scope.lstrip("/"))]
        for relative in stale:
            after.pop(relative, None)
            target = self.output / relative
            if target.is_file():
                target.unlink()
                report.removed += 1
                remove_empty_parents(target.parent, self.output)
        pages = {}
        if self.event:
            pages = {
                path: record
                for path, record in self.previous["pages"].items()
                if not path.startswith(self.scope)
            }
        pages.update(self.records)
        manifest = {"base_url": self.base_url, "files": after, "pages": pages}
        (self.output / MANIFEST).write_text(json.dumps(manifest, indent=0, sort_keys=True))
        return report


def render_fingerprint(base_url):
    """A digest of everything a page is made of besides the content versions: this project's
    code, templates and static files, the settings (secrets left out), the installed packages'
    versions, the base URL and the record format. Any change renders every page again."""
    digest = hashlib.sha256(repr((RECORD_FORMAT, base_url)).encode())
    for root in source_folders():
        for file in sorted(root.rglob("*")):
            if file.is_file() and "__pycache__" not in file.parts and file.suffix != ".pyc":
                digest.update(file.as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    manifest = Path(settings.STATIC_ROOT or "") / "staticfiles.json"
    if settings.STATIC_ROOT and manifest.is_file():
        digest.update(manifest.read_bytes())
    for name in sorted(dir(settings)):
        if name.isupper() and not SECRET_SETTINGS.search(name):
            value = MEMORY_ADDRESS.sub("", repr(getattr(settings, name)))
            digest.update(f"{name}={value}\0".encode())
    packages = sorted(
        f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions()
    )
    digest.update("\n".join(packages).encode())
    return digest.hexdigest()[:32]


def source_folders():
    """The folders of this project's apps, templates and static files (not third-party ones:
    those count by their package version)."""
    base = Path(settings.BASE_DIR).resolve()
    folders = {Path(config.path).resolve() for config in apps.get_app_configs()}
    for engine in settings.TEMPLATES:
        folders.update(Path(folder).resolve() for folder in engine.get("DIRS", []))
    folders.update(Path(folder).resolve() for folder in settings.STATICFILES_DIRS)
    inside = [folder for folder in folders if folder == base or base in folder.parents]
    return sorted(folder for folder in inside if folder != base and folder.is_dir())


def remove_empty_parents(folder, root):
    root = root.resolve()
    folder = folder.resolve()
    while folder != root and root in folder.parents and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def redirect_page(location):
    """A page that sends the browser on to ``location`` (a static host answers no redirects)."""
    escaped = html.escape(location, quote=True)
    return (
        '<!doctype html><meta charset="utf-8"><title>Moved</title>'
        f'<meta http-equiv="refresh" content="0; url={escaped}">'
        f'<link rel="canonical" href="{escaped}"><p>This page is now at <a href="{escaped}">'
        f"{escaped}</a>.</p>\n"
    )
