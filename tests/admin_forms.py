"""Admin forms posted as a browser would, the hostile values they are tried with, and the
database compared before and after: shared by the hostile-input tests of every app.
"""

import html
import io
import struct
import zlib
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from PIL import Image
from taggit.models import Tag, TaggedItem

from conference.models import Event, Sponsor, Sponsorship
from sessions.models import Recording, Session, SessionSpeaker, SlideDeck
from speakers.models import ProfileLink, Speaker

MODELS = [
    Event,
    Sponsor,
    Sponsorship,
    Speaker,
    ProfileLink,
    Session,
    SessionSpeaker,
    Recording,
    SlideDeck,
    Tag,
    TaggedItem,
]
YOUTUBE = "https://www.youtube.com/watch?v=cCNCmJxxEPA"
NUL_ERROR = "Null characters are not allowed."
CONTROL_ERROR = "Remove the control character"
URL_ERROR = "Enter a valid URL."
SLUG_ERROR = "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."
CHOICE_ERROR = "Select a valid choice."
LONG = "x" * 10_000


class FormFields(HTMLParser):
    """The name/value pairs a browser would submit from the page's change form."""

    def __init__(self):
        super().__init__()
        self.data = {}
        self._in_form = False
        self._textarea = None
        self._select = None

    def _add(self, name, value):
        if "__prefix__" not in name:  # the hidden template row of an inline
            self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form or ("name" not in attrs and tag != "option"):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file") or (
                kind == "checkbox" and "checked" not in attrs
            ):
                return
            self._add(attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self._add(self._textarea, "")
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))

    def handle_data(self, data):
        if self._textarea in self.data:  # not the template row's
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def database_state():
    """Every row of every model the admin edits, to compare before and after a refusal."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


def admin_url(obj_or_model, page, *args):
    opts = obj_or_model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}", args=args)


def open_form(client, url):
    """GET an add or change form: the name/value lists a browser would submit from it."""
    response = client.get(url)
    assert response.status_code == 200
    parser = FormFields()
    parser.feed(response.content.decode())
    return parser.data


def change(client, obj, **fields):
    """Open ``obj``'s change form, replace ``fields`` and post it."""
    url = admin_url(obj, "change", obj.pk)
    data = open_form(client, url)
    data.update(fields)
    return client.post(url, data)


def add(client, model, **fields):
    url = admin_url(model, "add")
    data = open_form(client, url)
    data.update(fields)
    return client.post(url, data)


def form_errors(response):
    """Every error message of the admin form and its inlines."""
    found = []
    form = response.context["adminform"].form
    for errors in form.errors.values():
        found += errors
    for inline in response.context["inline_admin_formsets"]:
        found += inline.formset.non_form_errors()
        for inline_form in inline.formset.forms:
            for errors in inline_form.errors.values():
                found += errors
    return found


def assert_refused(response, message, before):
    """A 200 with ``message`` among the errors shown, and the database as it was."""
    assert response.status_code == 200
    errors = form_errors(response)
    assert any(message in error for error in errors), errors
    assert message in html.unescape(response.content.decode())
    assert database_state() == before


def assert_saved(response):
    assert response.status_code == 302, form_errors(response) if response.context else response


def inline_rows(prefix, rows, *, existing=0):
    data = {f"{prefix}-TOTAL_FORMS": [str(len(rows))], f"{prefix}-INITIAL_FORMS": [str(existing)]}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": [value] for name, value in row.items()})
    return data


def link_rows(rows, *, existing=0):
    """Profile link rows, each at the position of its place in ``rows``."""
    rows = [{"position": str(index), **row} for index, row in enumerate(rows)]
    return inline_rows("links", rows, existing=existing)


def png_bytes(size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


def png_declaring(width, height):
    """A PNG header that declares ``width`` x ``height`` pixels, with one tiny data chunk."""

    def chunk(kind, payload):
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\x00" * 16)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def gif_polyglot():
    """A real GIF with a script appended: it decodes, so it is stored, but re-encoded."""
    buffer = io.BytesIO()
    Image.new("P", (4, 4)).save(buffer, "GIF")
    return buffer.getvalue() + b"*/=1;alert(document.domain)//<script>alert(1)</script>"


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="5"/></svg>'
HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

EMPTY_FILE_ERROR = "The submitted file is empty."
MARKUP_ERROR = "This file is SVG or HTML text"
CORRUPT_ERROR = "This image is damaged or incomplete and cannot be read."
TOO_MANY_PIXELS_ERROR = "images are limited to 40 million pixels"
TOO_LARGE_ERROR = "uploads are limited to 5.0"
NOT_AN_IMAGE_ERROR = "This file is not one, whatever its name says."

BAD_IMAGES = [
    pytest.param("empty.png", b"", EMPTY_FILE_ERROR, id="zero-bytes"),
    pytest.param("cut.png", png_bytes()[:-20], CORRUPT_ERROR, id="truncated-png"),
    pytest.param("bomb.png", png_declaring(100_000, 100_000), TOO_MANY_PIXELS_ERROR, id="bomb"),
    pytest.param(
        "huge.png", png_declaring(2**31 - 1, 2**31 - 1), TOO_MANY_PIXELS_ERROR, id="huge-header"
    ),
    pytest.param("logo.png", SVG, MARKUP_ERROR, id="svg-named-png"),
    pytest.param("photo.jpg", HTML, MARKUP_ERROR, id="html-named-jpg"),
    pytest.param("doc.gif", PDF, NOT_AN_IMAGE_ERROR, id="pdf-named-gif"),
    pytest.param("big.jpg", b"\xff\xd8\xff" + b"\0" * (6 * 1024 * 1024), TOO_LARGE_ERROR, id="6mb"),
]


def shown_on(response):
    """What an admin page shows: a changelist's rows and actions, or a form's object, fields,
    inlines and buttons."""
    assert response.status_code == 200
    context = response.context
    if "cl" in context:
        return {
            "rows": [str(obj) for obj in context["cl"].result_list],
            "actions": [name for name, _ in context["action_form"].fields["action"].choices][1:],
            "can_add": context["has_add_permission"],
        }
    return {
        "object": str(context["original"]) if context.get("original") else None,
        "fields": list(context["adminform"].form.fields),
        "inlines": [inline.formset.prefix for inline in context["inline_admin_formsets"]],
        "can_change": context["has_change_permission"],
        "can_delete": context["has_delete_permission"],
    }
