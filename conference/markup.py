"""The one way user-written markdown becomes HTML: render with markdown-it, then sanitise.

markdown-it-py is a CommonMark implementation; nh3 (Rust's ammonia) cleans its output against
an allow-list, so raw HTML that organisers paste (older posts are full of it) is kept where it
is harmless and dropped where it is not.
"""

import hashlib
from functools import lru_cache
from html import unescape

import nh3
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}


@lru_cache(maxsize=1)
def _markdown():
    options = dict(RENDERER_OPTIONS)
    return MarkdownIt(options.pop("preset"), options)


def render_markdown(text):
    """Return sanitised HTML for ``text``, marked safe for templates."""
    if not text:
        return mark_safe("")
    html = _markdown().render(text)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
    )
    return mark_safe(cleaned)  # cleaned by nh3 against the allow-list above


def markdown_to_text(text):
    """Plain text of a Markdown field: rendered, tags stripped, entities decoded."""
    return unescape(strip_tags(render_markdown(text))).strip()


# Stored HTML: each markdown field ``X`` of a model has ``X_html`` (the rendered, sanitised
# HTML) and ``X_html_digest`` (``source_digest`` of the source it was rendered from, under the
# rules above). A row whose digest differs from its source's (the rules changed, or a write
# path skipped ``fill_markdown``) is rendered afresh at display time, never shown stale.
RENDERER_OPTIONS = {"preset": "commonmark", "html": True, "linkify": False, "typographer": False}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
DIGEST_LENGTH = 32


@lru_cache(maxsize=1)
def _library_versions():
    from importlib.metadata import version

    return version("markdown-it-py"), version("nh3")


def rules_fingerprint():
    """A hash of everything that decides the HTML of a text: the sanitiser's allow-lists,
    URL schemes, link rel, the renderer's options and both libraries' versions."""
    rules = repr(
        (
            sorted(ALLOWED_TAGS),
            sorted((tag, sorted(names)) for tag, names in ALLOWED_ATTRIBUTES.items()),
            sorted(URL_SCHEMES),
            LINK_REL,
            sorted(RENDERER_OPTIONS.items()),
            _library_versions(),
        )
    )
    return hashlib.sha256(rules.encode()).hexdigest()[:16]


def source_digest(text, fingerprint=None):
    """The digest a row stores beside the HTML of ``text``."""
    fingerprint = fingerprint or rules_fingerprint()
    return hashlib.sha256(f"{fingerprint}\0{text or ''}".encode()).hexdigest()[:DIGEST_LENGTH]


def fill_markdown(instance, fields):
    """Set ``F_html`` and ``F_html_digest`` of ``instance`` for each markdown field ``F`` whose
    stored HTML is not that of its source; return the names of the columns it set."""
    fingerprint = rules_fingerprint()
    changed = []
    for field in fields:
        text = getattr(instance, field) or ""
        digest = source_digest(text, fingerprint)
        if getattr(instance, f"{field}_html_digest") != digest:
            setattr(instance, f"{field}_html", str(render_markdown(text)))
            setattr(instance, f"{field}_html_digest", digest)
            changed += [f"{field}_html", f"{field}_html_digest"]
    return changed


def stored_markdown(instance, field):
    """The HTML of ``instance.field``: the stored one when it is that of the current source
    under the current rules, else rendered now."""
    text = getattr(instance, field) or ""
    if getattr(instance, f"{field}_html_digest", None) == source_digest(text):
        return mark_safe(getattr(instance, f"{field}_html"))  # sanitised when stored
    return render_markdown(text)


def refresh_stored_markdown(model, fields, *, batch_size=500):
    """Re-render the rows of ``model`` whose stored HTML is out of date; return how many.
    Works on historical models too (data migrations)."""
    columns = [name for field in fields for name in (field, f"{field}_html_digest")]
    stale = []
    for row in model._default_manager.only("pk", *columns).iterator(chunk_size=batch_size):
        if fill_markdown(row, fields):
            stale.append(row)
    updated = [name for field in fields for name in (f"{field}_html", f"{field}_html_digest")]
    model._default_manager.bulk_update(stale, updated, batch_size=batch_size)
    return len(stale)


class StoredMarkdown:
    """Model mixin: ``markdown_fields`` are rendered into their ``_html`` columns on every
    ``save()``. Bulk writes call ``fill_markdown(obj, Model.markdown_fields)`` themselves."""

    markdown_fields = ()

    def save(self, *args, **kwargs):
        changed = fill_markdown(self, self.markdown_fields)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and changed:
            kwargs["update_fields"] = {*update_fields, *changed}
        super().save(*args, **kwargs)


def stored_markdown_models():
    from django.apps import apps

    return [model for model in apps.get_models() if issubclass(model, StoredMarkdown)]


def refresh_after_migrate(**kwargs):
    """post_migrate receiver: every ``migrate`` (each deploy runs one) re-renders the rows
    whose HTML was made under other rules. A migrate to an earlier state, whose tables have
    no stored columns yet, re-renders nothing; so does ``flush`` (no plan: the tables are
    emptied, and may be at any migration state).

    ``bulk_update`` sends no signal, so when any row changed, the content version that keys
    every page (``all``) is bumped here: pages kept in a cache that outlives the process
    (Redis) would otherwise show the old HTML until they expire. A refresh that changed no row
    bumps nothing, so a deploy without a rule change keeps every cached page."""
    if kwargs.get("plan") is None:
        return
    state = kwargs.get("apps")
    refreshed = 0
    for model in stored_markdown_models():
        try:
            historical = state.get_model(model._meta.label) if state is not None else model
        except LookupError:
            continue
        columns = {field.name for field in historical._meta.get_fields()}
        if all(f"{field}_html_digest" in columns for field in model.markdown_fields):
            refreshed += refresh_stored_markdown(historical, model.markdown_fields)
    if refreshed:
        # Imported here: conference.caching imports the models, which import this module.
        from .caching import content_changed_for
        from .models import ContentVersion

        content_changed_for({ContentVersion.ALL})
