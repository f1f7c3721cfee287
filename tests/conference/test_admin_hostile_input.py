"""Hostile input through every admin form, changelist and endpoint: refused with a clear form
error and nothing changed, or accepted when it is legitimately fine; never a server error.

Each case posts what a browser would (the change form as opened, with one value replaced) and
compares the whole database before and after a refusal. The same cases run on SQLite and on
PostgreSQL, which is stricter (NUL characters, integer ranges, ``varchar`` lengths).
"""

import html
import io
import struct
import zlib
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from taggit.models import Tag, TaggedItem

from conference.models import Event, Sponsor, Sponsorship
from sessions.models import Recording, Session, SessionSpeaker, SlideDeck
from speakers.models import ProfileLink, Speaker
from tests.conference.test_concurrent_edit import FormFields
from tests.factories import (
    EventFactory,
    ProfileLinkFactory,
    RecordingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    SponsorFactory,
    SponsorshipFactory,
)

pytestmark = pytest.mark.django_db

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


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def event():
    return EventFactory(name="CCC 2023", slug="ccc-2023", website="https://example.org/")


@pytest.fixture
def session(event):
    return SessionFactory(event=event, title="Opening keynote", slug="opening", position=0)


# Events ----------------------------------------------------------------------------------------

EVENT_CASES = [
    pytest.param({"name": "x" * 201}, "at most 200 characters", id="name-too-long"),
    pytest.param({"name": "CCC\x00 2023"}, NUL_ERROR, id="name-nul"),
    pytest.param({"name": "CCC\x0b2023"}, CONTROL_ERROR, id="name-vertical-tab"),
    pytest.param({"name": "CCC\x1b[31m"}, CONTROL_ERROR, id="name-escape"),
    pytest.param({"name": "   "}, "This field is required.", id="name-blank"),
    pytest.param({"venue": "v" * 201}, "at most 200 characters", id="venue-too-long"),
    pytest.param({"city": "c" * 101}, "at most 100 characters", id="city-too-long"),
    pytest.param({"country": "\x00"}, NUL_ERROR, id="country-nul"),
    pytest.param({"summary": "Hello\x00"}, NUL_ERROR, id="summary-nul"),
    pytest.param({"summary": "Bell\x07"}, CONTROL_ERROR, id="summary-bell"),
    pytest.param({"slug": "a/b"}, SLUG_ERROR, id="slug-slash"),
    pytest.param({"slug": "ünïcödé"}, SLUG_ERROR, id="slug-unicode"),
    pytest.param({"slug": "../../etc"}, SLUG_ERROR, id="slug-dots"),
    pytest.param({"slug": "s" * 201}, "at most 200 characters", id="slug-too-long"),
    pytest.param({"slug": "taken"}, "Event with this Slug already exists.", id="slug-taken"),
    pytest.param({"start_date": "0000-01-01"}, "Enter a valid date.", id="year-zero"),
    pytest.param({"start_date": "99999-01-01"}, "Enter a valid date.", id="year-99999"),
    pytest.param({"start_date": "2023-02-30"}, "Enter a valid date.", id="february-30"),
    pytest.param({"start_date": "9999-12-31"}, "before the year 3000", id="year-9999"),
    pytest.param({"end_date": "3000-01-01"}, "before the year 3000", id="end-year-3000"),
    pytest.param({"start_date": "0999-01-01"}, "year 1900 or later", id="year-999"),
    pytest.param({"start_date": "\x00"}, "Enter a valid date.", id="date-nul"),
    pytest.param(
        {"start_date": "2023-11-24", "end_date": "2023-11-23"},
        "The event cannot end before it starts.",
        id="ends-before-start",
    ),
    pytest.param({"attendee_count": "-1"}, "greater than or equal to 0", id="attendees-negative"),
    pytest.param({"attendee_count": str(2**31)}, "less than or equal to", id="attendees-2-31"),
    pytest.param({"attendee_count": str(10**30)}, "less than or equal to", id="attendees-1e30"),
    pytest.param({"attendee_count": "1e3"}, "Enter a whole number.", id="attendees-float"),
    pytest.param({"country_count": str(2**63)}, "less than or equal to", id="countries-2-63"),
    pytest.param({"website": "javascript:alert(1)"}, URL_ERROR, id="website-javascript"),
    pytest.param({"website": "JaVaScRiPt:alert(1)//x.org"}, URL_ERROR, id="website-js-case"),
    pytest.param({"website": "data:text/html,<script>1</script>"}, URL_ERROR, id="website-data"),
    pytest.param({"website": "vbscript:msgbox(1)"}, URL_ERROR, id="website-vbscript"),
    pytest.param({"website": "ftp://example.org/"}, URL_ERROR, id="website-ftp"),
    pytest.param({"website": "https://bank.example@evil.example/"}, URL_ERROR, id="userinfo"),
    pytest.param({"website": "https://exa mple.org/"}, URL_ERROR, id="website-space"),
    pytest.param({"website": "https://example.org/\n<x>"}, URL_ERROR, id="website-newline"),
    pytest.param({"website": "https://example.org/\x00"}, NUL_ERROR, id="website-nul"),
    pytest.param({"website": "https://[::1"}, URL_ERROR, id="website-broken-ipv6"),
    pytest.param({"website": "https://example.org:99999/"}, URL_ERROR, id="website-port"),
    pytest.param({"website": "https://" + LONG + ".org"}, "at most 500", id="website-10k"),
    pytest.param({"photo_gallery_url": "javascript:alert(1)"}, URL_ERROR, id="gallery-js"),
    pytest.param({"photo_gallery_url": "https://" + "a" * 600}, "at most 500", id="gallery-long"),
    pytest.param({"opened_at": "2023-13-45T99:99:99"}, "changed by someone else", id="opened-bad"),
    pytest.param({"opened_at": "\x00"}, "changed by someone else", id="opened-nul"),
    pytest.param({"opened_at": LONG}, "changed by someone else", id="opened-10k"),
    pytest.param({"opened_at": "2000-01-01T00:00:00"}, "changed by someone else", id="opened-old"),
]


@pytest.mark.parametrize(("fields", "message"), EVENT_CASES)
def test_event_change_form_refuses_hostile_value(organiser_client, event, fields, message):
    EventFactory(slug="taken")
    before = database_state()

    response = change(organiser_client, event, **fields)

    assert_refused(response, message, before)


@pytest.mark.parametrize(("fields", "message"), EVENT_CASES[:-4])
def test_event_add_form_refuses_hostile_value(organiser_client, fields, message):
    EventFactory(slug="taken")
    before = database_state()
    valid = {"name": "New event", "slug": "new-event"}

    response = add(organiser_client, Event, **{**valid, **fields})

    assert_refused(response, message, before)


@pytest.mark.parametrize(
    ("field", "posted", "stored"),
    [
        pytest.param("name", "<script>alert(1)</script>", "<script>alert(1)</script>", id="markup"),
        pytest.param("name", "Tab\tand\u202eRTL", "Tab\tand\u202eRTL", id="tab-and-bidi"),
        pytest.param("name", "  CCC 2023\x0b ", "CCC 2023", id="trailing-control-stripped"),
        pytest.param(
            "summary", "Line\r\nbreaks\tand tabs", "Line\r\nbreaks\tand tabs", id="summary"
        ),
        pytest.param("website", "example.org/path", "https://example.org/path", id="no-scheme"),
        pytest.param("website", "https://bücher.example/", "https://bücher.example/", id="idn"),
        pytest.param("attendee_count", "1000000", 1_000_000, id="million-attendees"),
        pytest.param("slug", "UPPER-case_1", "UPPER-case_1", id="slug-uppercase"),
    ],
)
def test_event_change_form_accepts_odd_but_legitimate_value(
    organiser_client, event, field, posted, stored
):
    response = change(organiser_client, event, **{field: posted})

    assert_saved(response)
    assert Event.objects.values_list(field, flat=True).get(pk=event.pk) == stored


def sponsorship_rows(rows):
    data = {
        "sponsorships-TOTAL_FORMS": [str(len(rows))],
        "sponsorships-INITIAL_FORMS": ["0"],
    }
    for index, row in enumerate(rows):
        data.update({f"sponsorships-{index}-{name}": [value] for name, value in row.items()})
    return data


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        pytest.param(
            [
                {"sponsor": "{a}", "tier": "20", "position": "0"},
                {"sponsor": "{a}", "tier": "20", "position": "1"},
            ],
            "Please correct the duplicate data",
            id="same-sponsor-and-tier-twice",
        ),
        pytest.param(
            [{"sponsor": "999999", "tier": "20", "position": "0"}],
            CHOICE_ERROR,
            id="unknown-sponsor",
        ),
        pytest.param(
            [{"sponsor": "abc", "tier": "20", "position": "0"}],
            CHOICE_ERROR,
            id="sponsor-not-a-number",
        ),
        pytest.param(
            [{"sponsor": str(2**70), "tier": "20", "position": "0"}],
            CHOICE_ERROR,
            id="sponsor-2-70",
        ),
        pytest.param(
            [{"sponsor": "{a}", "tier": "999", "position": "0"}], CHOICE_ERROR, id="unknown-tier"
        ),
        pytest.param(
            [{"sponsor": "{a}", "tier": "\x00", "position": "0"}], CHOICE_ERROR, id="tier-nul"
        ),
        pytest.param(
            [{"sponsor": "{a}", "tier": "20", "position": "-5"}],
            "greater than or equal to 0",
            id="position-negative",
        ),
        pytest.param(
            [{"sponsor": "{a}", "tier": "20", "position": str(2**40)}],
            "less than or equal to",
            id="position-2-40",
        ),
    ],
)
def test_event_sponsorship_inline_refuses_hostile_rows(organiser_client, event, rows, message):
    sponsor = SponsorFactory()
    rows = [{k: v.replace("{a}", str(sponsor.pk)) for k, v in row.items()} for row in rows]
    before = database_state()

    response = change(organiser_client, event, **sponsorship_rows(rows))

    assert_refused(response, message, before)


def test_event_sponsorship_inline_with_existing_sponsor_tier_is_refused(organiser_client, event):
    sponsorship = SponsorshipFactory(event=event, tier=Sponsorship.Tier.GOLD)
    url = admin_url(event, "change", event.pk)
    data = open_form(organiser_client, url)
    # A forged post that leaves the existing row out and adds it again.
    data.update(
        sponsorship_rows([{"sponsor": str(sponsorship.sponsor.pk), "tier": "20", "position": "0"}])
    )
    before = database_state()

    response = organiser_client.post(url, data)

    assert_refused(response, "This sponsor already has this tier at this event.", before)


# Sponsors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param({"name": "n" * 201}, "at most 200 characters", id="name-too-long"),
        pytest.param({"name": "A\x00"}, NUL_ERROR, id="name-nul"),
        pytest.param({"name": "A\x08B"}, CONTROL_ERROR, id="name-backspace"),
        pytest.param({"slug": "taken"}, "Sponsor with this Slug already exists.", id="slug-taken"),
        pytest.param({"slug": "<b>"}, SLUG_ERROR, id="slug-markup"),
        pytest.param({"website": "javascript:alert(1)"}, URL_ERROR, id="website-js"),
        pytest.param({"website": "https://x.org@evil.example"}, URL_ERROR, id="website-userinfo"),
        pytest.param({"website": "https://" + LONG}, "at most 500", id="website-10k"),
    ],
)
def test_sponsor_add_form_refuses_hostile_value(organiser_client, fields, message):
    SponsorFactory(slug="taken")
    before = database_state()

    response = add(organiser_client, Sponsor, **{"name": "Acme", "slug": "acme", **fields})

    assert_refused(response, message, before)


@pytest.mark.parametrize(("name", "content", "message"), BAD_IMAGES)
@pytest.mark.parametrize(
    ("model", "field"), [(Event, "banner"), (Sponsor, "logo"), (Speaker, "photo")]
)
def test_image_upload_refuses_bad_file(organiser_client, model, field, name, content, message):
    obj = {Event: EventFactory, Sponsor: SponsorFactory, Speaker: SpeakerFactory}[model]()
    before = database_state()

    response = change(organiser_client, obj, **{field: SimpleUploadedFile(name, content)})

    assert_refused(response, message, before)


def test_gif_polyglot_is_stored_re_encoded_without_its_script(organiser_client, media_root):
    sponsor = SponsorFactory()

    response = change(organiser_client, sponsor, logo=SimpleUploadedFile("a.gif", gif_polyglot()))

    assert_saved(response)
    sponsor.refresh_from_db()
    stored = (media_root / sponsor.logo.name).read_bytes()
    assert (stored[:3], b"alert" in stored, sponsor.logo.name[-4:]) == (b"GIF", False, ".gif")


# Speakers and profile links ----------------------------------------------------------------------


def inline_rows(prefix, rows, *, existing=0):
    data = {f"{prefix}-TOTAL_FORMS": [str(len(rows))], f"{prefix}-INITIAL_FORMS": [str(existing)]}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": [value] for name, value in row.items()})
    return data


def link_rows(rows, *, existing=0):
    """Profile link rows, each at the position of its place in ``rows``."""
    rows = [{"position": str(index), **row} for index, row in enumerate(rows)]
    return inline_rows("links", rows, existing=existing)


SPEAKER_CASES = [
    pytest.param({"name": "n" * 201}, "at most 200 characters", id="name-too-long"),
    pytest.param({"name": "Ada\x00"}, NUL_ERROR, id="name-nul"),
    pytest.param({"name": "Ada\x7f"}, CONTROL_ERROR, id="name-delete-char"),
    pytest.param({"company": "A\x0cB"}, CONTROL_ERROR, id="company-form-feed"),
    pytest.param({"bio": "bio\x00"}, NUL_ERROR, id="bio-nul"),
    pytest.param({"bio": "bio\x1fmore"}, CONTROL_ERROR, id="bio-unit-separator"),
    pytest.param({"slug": "taken"}, "Speaker with this Slug already exists.", id="slug-taken"),
    pytest.param({"slug": "ада"}, SLUG_ERROR, id="slug-cyrillic"),
]


@pytest.mark.parametrize(("fields", "message"), SPEAKER_CASES)
def test_speaker_add_form_refuses_hostile_value(organiser_client, fields, message):
    SpeakerFactory(slug="taken")
    before = database_state()

    response = add(organiser_client, Speaker, **{"name": "Ada", "slug": "ada", **fields})

    assert_refused(response, message, before)


@pytest.mark.parametrize(("fields", "message"), SPEAKER_CASES)
def test_speaker_change_form_refuses_hostile_value(organiser_client, fields, message):
    SpeakerFactory(slug="taken")
    speaker = SpeakerFactory(name="Ada", slug="ada")
    before = database_state()

    response = change(organiser_client, speaker, **fields)

    assert_refused(response, message, before)


# GitHub paths are compared in lower case, and "İ" lower-cases to two characters.
LOWER_CASE_LONGER = "https://github.com/" + "\u0130" * 480


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        pytest.param([{"url": "javascript:alert(1)", "kind": "website"}], URL_ERROR, id="js"),
        pytest.param([{"url": "data:text/html,x", "kind": "website"}], URL_ERROR, id="data"),
        pytest.param([{"url": "https://a@b.example", "kind": "website"}], URL_ERROR, id="userinfo"),
        pytest.param([{"url": "https://" + LONG, "kind": "website"}], "at most 500", id="10k"),
        pytest.param([{"url": "https://x.org\x00", "kind": "website"}], NUL_ERROR, id="nul"),
        pytest.param([{"url": "https://x.org", "kind": "evil"}], CHOICE_ERROR, id="bad-kind"),
        pytest.param(
            [{"url": "https://x.org", "kind": "website", "position": str(2**40)}],
            "less than or equal to",
            id="position-2-40",
        ),
        pytest.param(
            [
                {"url": "https://github.com/ada", "kind": "github"},
                {"url": "https://github.com/ada", "kind": "github"},
            ],
            "This profile is listed twice.",
            id="same-url-twice",
        ),
        pytest.param(
            [
                {"url": "https://github.com/Ada/", "kind": "github"},
                {"url": "http://www.github.com/ada", "kind": "github"},
            ],
            "This profile is listed twice.",
            id="same-profile-written-twice",
        ),
        pytest.param(
            [{"url": "https://github.com/grace", "kind": "github"}],
            "This profile already belongs to Grace.",
            id="profile-of-another-speaker",
        ),
        pytest.param(
            [{"url": LOWER_CASE_LONGER, "kind": "github"}],
            "This link is too long",
            id="idn-host-longer-once-normalised",
        ),
    ],
)
def test_speaker_profile_link_inline_refuses_hostile_rows(organiser_client, rows, message):
    ProfileLinkFactory(speaker__name="Grace", url="https://github.com/grace")
    speaker = SpeakerFactory(name="Ada", slug="ada")
    before = database_state()

    response = change(organiser_client, speaker, **link_rows(rows))

    assert_refused(response, message, before)


def test_speaker_profile_links_swapped_between_rows_are_saved(organiser_client):
    speaker = SpeakerFactory()
    first = ProfileLinkFactory(speaker=speaker, url="https://github.com/a", position=0)
    second = ProfileLinkFactory(speaker=speaker, url="https://github.com/b", position=1)
    url = admin_url(speaker, "change", speaker.pk)
    data = open_form(organiser_client, url)
    data["links-0-url"], data["links-1-url"] = [second.url], [first.url]

    response = organiser_client.post(url, data)

    # Refused with a message (the check is row by row), or saved: never a crash.
    assert response.status_code in (200, 302)
    assert sorted(ProfileLink.objects.values_list("url", flat=True)) == [
        "https://github.com/a",
        "https://github.com/b",
    ]


# Sessions --------------------------------------------------------------------------------------


SESSION_CASES = [
    pytest.param({"title": "t" * 301}, "at most 300 characters", id="title-too-long"),
    pytest.param({"title": "Talk\x00"}, NUL_ERROR, id="title-nul"),
    pytest.param({"title": "Ta\x0blk"}, CONTROL_ERROR, id="title-vertical-tab"),
    pytest.param({"description": "x\x00y"}, NUL_ERROR, id="description-nul"),
    pytest.param({"description": "x\x1by"}, CONTROL_ERROR, id="description-escape"),
    pytest.param({"slug": "s" * 201}, "at most 200 characters", id="slug-too-long"),
    pytest.param({"slug": "a b"}, SLUG_ERROR, id="slug-space"),
    pytest.param({"slug": "taken"}, "Session with this Event and Slug already exists.", id="dup"),
    pytest.param({"event": "999999"}, CHOICE_ERROR, id="unknown-event"),
    pytest.param({"event": "1 OR 1=1"}, CHOICE_ERROR, id="event-sql"),
    pytest.param({"kind": "<script>"}, CHOICE_ERROR, id="bad-kind"),
    pytest.param({"day": "0"}, "Days are numbered from 1.", id="day-zero"),
    pytest.param({"day": "-1"}, "greater than or equal to", id="day-negative"),
    pytest.param({"day": "40000"}, "less than or equal to", id="day-40000"),
    pytest.param({"day": str(2**64)}, "less than or equal to", id="day-2-64"),
    pytest.param({"position": str(2**31)}, "less than or equal to", id="position-2-31"),
    pytest.param({"position": "7"}, "Session with this Event, Day and Position already exists."),
    pytest.param({"start_time": "25:00"}, "Enter a valid time.", id="time-25h"),
    pytest.param({"start_time": "\x00"}, "Enter a valid time.", id="time-nul"),
    pytest.param({"tags": "t" * 101}, "Tags are limited to 100 characters", id="tag-101"),
    pytest.param({"tags": "ok, " + "t" * 5000}, "Tags are limited to 100 characters", id="tag-5k"),
    pytest.param({"tags": "kvm\x00"}, NUL_ERROR, id="tag-nul"),
    pytest.param({"tags": "k\x0bvm"}, CONTROL_ERROR, id="tag-vertical-tab"),
    pytest.param({"opened_at": "9999-99-99T99:99"}, "changed by someone else", id="opened-bad"),
]


@pytest.mark.parametrize(("fields", "message"), SESSION_CASES)
def test_session_change_form_refuses_hostile_value(organiser_client, session, fields, message):
    SessionFactory(event=session.event, slug="taken", position=7)
    before = database_state()

    response = change(organiser_client, session, **fields)

    assert_refused(response, message, before)


@pytest.mark.parametrize(("fields", "message"), SESSION_CASES[:-1])
def test_session_add_form_refuses_hostile_value(organiser_client, event, fields, message):
    SessionFactory(event=event, slug="taken", position=7)
    before = database_state()
    valid = {"event": str(event.pk), "title": "New", "slug": "new", "day": "1", "position": "1"}

    response = add(organiser_client, Session, **{**valid, **fields})

    assert_refused(response, message, before)


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        pytest.param('kvm, "open source", a"b', ["a", "b", "kvm", "open source"], id="quotes"),
        pytest.param('"one, two", three', ["one, two", "three"], id="comma-inside-quotes"),
        pytest.param("t" * 100, ["t" * 100], id="tag-of-100"),
        pytest.param("<script>alert(1)</script>", ["<script>alert(1)</script>"], id="markup"),
        pytest.param("KVM, kvm", ["KVM"], id="case-insensitive"),
        pytest.param("!!!, ???", ["!!!", "???"], id="no-slug-characters"),
        pytest.param(",,, ,", [], id="only-commas"),
        pytest.param(", ".join(f"tag{n}" for n in range(500)), 500, id="500-tags"),
    ],
)
def test_session_tags_odd_but_legitimate_are_saved(organiser_client, session, tags, expected):
    response = change(organiser_client, session, tags=tags)

    assert_saved(response)
    names = sorted(session.tags.names())
    assert (len(names) if isinstance(expected, int) else names) == expected


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        pytest.param([{"url": "javascript:alert(1)"}], "Only http and https", id="js"),
        pytest.param([{"url": "data:text/html,x"}], "Only http and https", id="data"),
        pytest.param(
            [{"url": '<iframe src="javascript:alert(1)"></iframe>'}], "Only http", id="iframe-js"
        ),
        pytest.param([{"url": "<iframe onload=alert(1)>"}], "with a src attribute", id="no-src"),
        pytest.param([{"url": "<script>alert(1)</script>"}], "with a src attribute", id="script"),
        pytest.param(
            [{"url": "https://www.youtube.com.evil.example/watch?v=cCNCmJxxEPA"}],
            "not a supported video link",
            id="look-alike-host",
        ),
        pytest.param(
            [{"url": "https://www.youtube.com@evil.example/watch?v=cCNCmJxxEPA"}],
            "That link has an unusual host part.",
            id="userinfo-host",
        ),
        pytest.param(
            [{"url": "https://youtube.com:8443/watch?v=cCNCmJxxEPA"}], "unusual host", id="port"
        ),
        pytest.param(
            [{"url": "https://www.youtube.com/watch?v=cCNCmJxxEP<"}], "11-character id", id="id"
        ),
        pytest.param([{"url": LONG}], "at most 4000 characters", id="10k"),
        pytest.param([{"url": YOUTUBE + "\x00"}], NUL_ERROR, id="nul"),
        pytest.param([{"url": "https://[::1"}], "malformed", id="broken-ipv6"),
        pytest.param([{"url": YOUTUBE, "kind": "evil"}], CHOICE_ERROR, id="bad-kind"),
        pytest.param([{"url": YOUTUBE, "title": "t" * 301}], "at most 300", id="title-long"),
        pytest.param([{"url": YOUTUBE, "title": "a\x0bb"}], CONTROL_ERROR, id="title-control"),
        pytest.param(
            [
                {"url": YOUTUBE, "position": "1"},
                {"url": "https://youtu.be/cCNCmJxxEPA", "position": "2"},
            ],
            "This video is already attached to this session.",
            id="same-video-twice",
        ),
        pytest.param(
            [{"url": YOUTUBE, "position": "5"}, {"url": "https://vimeo.com/1", "position": "5"}],
            "Please correct the duplicate data for position",
            id="same-position-twice",
        ),
        pytest.param(
            [{"url": YOUTUBE, "position": str(2**31)}], "less than or equal to", id="position-2-31"
        ),
    ],
)
def test_session_recording_inline_refuses_hostile_rows(organiser_client, session, rows, message):
    before = database_state()
    rows = [{"kind": "full", **row} for row in rows]

    response = change(organiser_client, session, **inline_rows("recordings", rows))

    assert_refused(response, message, before)


def test_session_recording_already_saved_is_refused_when_posted_again_as_new(
    organiser_client, session
):
    RecordingFactory(session=session, url=YOUTUBE, position=0)
    url = admin_url(session, "change", session.pk)
    data = open_form(organiser_client, url)
    # A forged post that leaves the saved row out and adds the same video as a new one.
    data.update(inline_rows("recordings", [{"url": YOUTUBE, "kind": "full", "position": "3"}]))
    before = database_state()

    response = organiser_client.post(url, data)

    assert_refused(response, "This video is already attached to this session.", before)


@pytest.mark.parametrize(
    ("url", "expected_key"),
    [
        pytest.param(
            '<iframe width="1" src="https://www.youtube.com/embed/cCNCmJxxEPA" '
            'onload="alert(1)" style="position:fixed" srcdoc="<script>x</script>"></iframe>',
            "cCNCmJxxEPA",
            id="iframe-with-hostile-attributes",
        ),
        pytest.param("  https://youtu.be/cCNCmJxxEPA?t=42  ", "cCNCmJxxEPA", id="share-link"),
        pytest.param("https://vimeo.com/76979871", "76979871", id="vimeo"),
    ],
)
def test_session_recording_embed_code_is_stored_as_provider_and_key(
    organiser_client, session, url, expected_key
):
    rows = [{"url": url, "kind": "full", "position": "0"}]

    response = change(organiser_client, session, **inline_rows("recordings", rows))

    assert_saved(response)
    [recording] = Recording.objects.filter(session=session)
    assert (recording.provider_key, "<" in recording.url) == (expected_key, False)


SLIDESHARE_LONG = "https://www.slideshare.net/" + "u" * 150 + "/" + "t" * 150
SPEAKERDECK_LONG = "https://speakerdeck.com/" + "u" * 100 + "/" + "d" * 100


@pytest.mark.parametrize(
    ("row", "message"),
    [
        pytest.param({"url": SLIDESHARE_LONG}, "That slides link is too long", id="slideshare"),
        pytest.param({"url": SPEAKERDECK_LONG}, "That slides link is too long", id="speakerdeck"),
        pytest.param({"url": "javascript:alert(1)"}, "Only http and https", id="js"),
        pytest.param({"url": "https://evil.example/deck.pdf"}, "not a supported slides", id="host"),
        pytest.param({"title": "\x00", "url": SPEAKERDECK_LONG[:60]}, NUL_ERROR, id="title-nul"),
        pytest.param(
            {"url": "https://speakerdeck.com/a/b", "pdf": ("a.pdf", PDF)},
            "Give either a slides link or a PDF file",
            id="both",
        ),
        pytest.param({"pdf": ("slides.pdf", HTML)}, "does not start with “%PDF-”", id="html-pdf"),
        pytest.param({"pdf": ("slides.pdf", b"")}, EMPTY_FILE_ERROR, id="empty-pdf"),
        pytest.param({"pdf": ("slides.pdf", PDF[:-7])}, "does not end with “%%EOF”", id="cut-pdf"),
        pytest.param(
            {"pdf": ("slides.pdf", PDF + b"\0" * (6 * 1024 * 1024))}, TOO_LARGE_ERROR, id="6mb"
        ),
        pytest.param({"pdf": ("slides.pdf", SVG)}, "does not start with “%PDF-”", id="svg-pdf"),
    ],
)
def test_session_slide_deck_inline_refuses_hostile_row(organiser_client, session, row, message):
    before = database_state()
    row = dict(row)
    pdf = row.pop("pdf", None)
    data = inline_rows("slide_decks", [{"position": "0", **row}])
    if pdf:
        data["slide_decks-0-pdf"] = SimpleUploadedFile(*pdf, content_type="application/pdf")

    response = change(organiser_client, session, **data)

    assert_refused(response, message, before)


def test_session_slide_deck_pdf_is_stored_under_random_name(organiser_client, session):
    data = inline_rows("slide_decks", [{"position": "0", "url": ""}])
    data["slide_decks-0-pdf"] = SimpleUploadedFile("../../evil<script>.pdf", PDF)

    response = change(organiser_client, session, **data)

    assert_saved(response)
    [deck] = SlideDeck.objects.filter(session=session)
    assert (deck.provider, deck.pdf.name.startswith("slides/"), "evil" in deck.pdf.name) == (
        "pdf",
        True,
        False,
    )


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        pytest.param(
            [{"speaker": "{a}", "position": "0"}, {"speaker": "{a}", "position": "1"}],
            "Please correct the duplicate data for speaker",
            id="same-speaker-twice",
        ),
        pytest.param(
            [{"speaker": "{a}", "position": "0"}, {"speaker": "{b}", "position": "0"}],
            "Please correct the duplicate data for position",
            id="same-position-twice",
        ),
        pytest.param(
            [{"speaker": "abc", "position": "0"}], CHOICE_ERROR, id="speaker-not-a-number"
        ),
        pytest.param([{"speaker": "99999", "position": "0"}], CHOICE_ERROR, id="unknown-speaker"),
        pytest.param(
            [{"speaker": "{a}", "position": str(2**31)}], "less than or equal to", id="pos-2-31"
        ),
        pytest.param(
            [{"speaker": "{a}", "position": "-1"}], "greater than or equal to", id="pos-negative"
        ),
    ],
)
def test_session_speaker_inline_refuses_hostile_rows(organiser_client, session, rows, message):
    a, b = SpeakerFactory(), SpeakerFactory()
    rows = [
        {k: v.replace("{a}", str(a.pk)).replace("{b}", str(b.pk)) for k, v in row.items()}
        for row in rows
    ]
    before = database_state()

    response = change(organiser_client, session, **inline_rows("session_speakers", rows))

    assert_refused(response, message, before)


def test_session_speaker_already_saved_is_refused_when_posted_again_as_new(
    organiser_client, session
):
    link = SessionSpeakerFactory(session=session, position=0)
    url = admin_url(session, "change", session.pk)
    data = open_form(organiser_client, url)
    rows = [{"speaker": str(link.speaker.pk), "position": "4"}]
    data.update(inline_rows("session_speakers", rows))
    before = database_state()

    response = organiser_client.post(url, data)

    assert_refused(response, "This speaker is already listed for this session.", before)


def test_session_speakers_swapping_positions_is_saved(organiser_client, session):
    first = SessionSpeakerFactory(session=session, position=0)
    second = SessionSpeakerFactory(session=session, position=1)
    url = admin_url(session, "change", session.pk)
    data = open_form(organiser_client, url)
    data["session_speakers-0-position"], data["session_speakers-1-position"] = ["1"], ["0"]

    response = organiser_client.post(url, data)

    assert_saved(response)
    assert [link.speaker for link in session.session_speakers.order_by("position")] == [
        second.speaker,
        first.speaker,
    ]


def test_invalid_utf8_in_a_post_is_replaced_not_a_crash(organiser_client, session):
    url = admin_url(session, "change", session.pk)
    data = open_form(organiser_client, url)
    data["title"] = ["PLACEHOLDER"]
    body = urlencode(data, doseq=True).replace("PLACEHOLDER", "Talk%ED%A0%80%FF")

    response = organiser_client.post(url, body, content_type="application/x-www-form-urlencoded")

    assert_saved(response)
    assert Session.objects.get(pk=session.pk).title == "Talk\ufffd\ufffd\ufffd\ufffd"


def test_session_change_page_escapes_hostile_saved_values(organiser_client, event):
    payload = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    session = SessionFactory(event=event, title=payload, description=payload)
    RecordingFactory(session=session, title=payload)
    SessionSpeakerFactory(session=session, speaker__name=payload)
    session.tags.add(payload)

    pages = [
        organiser_client.get(admin_url(session, "change", session.pk)),
        organiser_client.get(admin_url(Session, "changelist")),
        organiser_client.get(admin_url(Speaker, "changelist")),
        organiser_client.get(admin_url(session, "delete", session.pk)),
    ]

    assert [page.status_code for page in pages] == [200, 200, 200, 200]
    for page in pages:
        assert "<script>alert(1)" not in page.content.decode()
        assert "<img src=x" not in page.content.decode()


# Changelists, autocomplete, delete pages -------------------------------------------------------

CHANGELISTS = [Event, Sponsor, Sponsorship, Speaker, Session, Tag]
HOSTILE_QUERIES = [
    pytest.param({"q": "\x00"}, id="q-nul"),
    pytest.param({"q": "a\x00b' OR 1=1 --"}, id="q-nul-sql"),
    pytest.param({"q": LONG}, id="q-10k-one-word"),
    pytest.param({"q": " ".join(["ab"] * 3000)}, id="q-3000-words"),
    pytest.param({"q": '"' * 999}, id="q-quotes"),
    pytest.param({"q": "%_\\"}, id="q-like-wildcards"),
    pytest.param({"o": "999"}, id="o-999"),
    pytest.param({"o": "-1.abc.\x00"}, id="o-junk"),
    pytest.param({"p": "abc"}, id="page-junk"),
    pytest.param({"p": str(2**70)}, id="page-huge"),
    pytest.param({"event__id__exact": "abc"}, id="event-id-abc"),
    pytest.param({"event__id__exact": str(2**70)}, id="event-id-2-70"),
    pytest.param({"event__id__exact": "\x00"}, id="event-id-nul"),
    pytest.param({"kind__exact": "\x00"}, id="kind-nul"),
    pytest.param({"day__exact": str(2**70)}, id="day-2-70"),
    pytest.param({"is_published__exact": "maybe"}, id="published-junk"),
    pytest.param({"tags__id__exact": "\x00"}, id="tags-nul"),
    pytest.param({"has_video": "\x00"}, id="has-video-nul"),
    pytest.param({"country": "\x00"}, id="country-nul"),
    pytest.param({"tier__exact": str(2**70)}, id="tier-2-70"),
    pytest.param({"sessions__event__id__exact": "\x00"}, id="speaker-event-nul"),
    pytest.param({"password__startswith": "a"}, id="disallowed-lookup"),
    pytest.param({"_to_field": "password"}, id="to-field"),
    pytest.param({"e": "1"}, id="error-flag"),
]


@pytest.mark.parametrize("params", HOSTILE_QUERIES)
@pytest.mark.parametrize("model", CHANGELISTS, ids=lambda model: model.__name__)
def test_changelist_with_hostile_query_answers_without_error(organiser_client, model, params):
    SessionSpeakerFactory(session__event__country="France")

    response = organiser_client.get(admin_url(model, "changelist"), params)

    assert response.status_code in (200, 302, 400)


@pytest.mark.parametrize(
    "term", ["\x00", "a\x00b", LONG, " ".join(["ab"] * 3000), "%", "<script>alert(1)</script>"]
)
@pytest.mark.parametrize(
    ("app_label", "model_name", "field_name"),
    [
        ("conference", "sponsorship", "sponsor"),
        ("conference", "sponsorship", "event"),
        ("talks", "sessionspeaker", "speaker"),
    ],
)
def test_autocomplete_with_hostile_term_answers_json(
    organiser_client, app_label, model_name, field_name, term
):
    SponsorshipFactory()
    SpeakerFactory(name="<script>alert(1)</script>")
    params = {
        "app_label": app_label,
        "model_name": model_name,
        "field_name": field_name,
        "term": term,
    }

    response = organiser_client.get(reverse("admin:autocomplete"), params)

    assert (response.status_code, response["Content-Type"]) == (200, "application/json")


@pytest.mark.parametrize(
    "params",
    [
        {"app_label": "auth", "model_name": "user", "field_name": "groups", "term": "a"},
        {"app_label": "\x00", "model_name": "x", "field_name": "y", "term": "a"},
    ],
)
def test_autocomplete_with_hostile_target_is_refused(organiser_client, params):
    response = organiser_client.get(reverse("admin:autocomplete"), params)

    assert response.status_code == 403


@pytest.mark.parametrize("pk", ["abc", str(2**70), "%00", "-1", "1.5"])
@pytest.mark.parametrize("page", ["change", "delete", "history"])
@pytest.mark.parametrize("model", [Event, Sponsor, Speaker, Session])
def test_admin_object_page_with_hostile_id_redirects(organiser_client, model, page, pk):
    response = organiser_client.get(admin_url(model, "changelist") + f"{pk}/{page}/")

    assert response.status_code in (302, 404)


def test_delete_page_of_sponsor_in_use_refuses_and_keeps_it(organiser_client):
    sponsorship = SponsorshipFactory()
    sponsor = sponsorship.sponsor
    url = admin_url(sponsor, "delete", sponsor.pk)

    page = organiser_client.get(url)
    posted = organiser_client.post(url, {"post": "yes"})

    assert (page.status_code, posted.status_code) == (200, 200)
    assert "would require deleting the following protected" in html.unescape(page.text)
    assert Sponsor.objects.filter(pk=sponsor.pk).exists()


@pytest.mark.parametrize("model", [Event, Speaker, Session])
def test_delete_page_lists_what_goes_with_it(organiser_client, model):
    link = SessionSpeakerFactory()
    RecordingFactory(session=link.session)
    obj = {Event: link.session.event, Speaker: link.speaker, Session: link.session}[model]

    response = organiser_client.get(admin_url(obj, "delete", obj.pk))

    assert response.status_code == 200
    assert "Are you sure" in response.text


@pytest.mark.parametrize(
    ("model", "params", "kept"),
    [
        (Event, {"country": "\x00", "q": "ccc"}, "?q=ccc"),
        (Session, {"kind__exact": "talk\x00", "day__exact": "1"}, "?day__exact=1"),
        (Speaker, {"sessions__event__id__exact": "1\x00"}, "?"),
    ],
)
def test_changelist_filter_with_nul_redirects_without_that_filter(
    organiser_client, model, params, kept
):
    response = organiser_client.get(admin_url(model, "changelist"), params)

    assert (response.status_code, response["Location"]) == (
        302,
        admin_url(model, "changelist") + kept,
    )


def test_changelist_search_with_thousands_of_words_uses_the_first_ones(organiser_client):
    EventFactory(name="CCC 2023", city="Paris")
    EventFactory(name="CCC 2024", city="Madrid")

    response = organiser_client.get(
        admin_url(Event, "changelist"), {"q": "madrid " + "ccc " * 3000}
    )

    assert [event.name for event in response.context["cl"].result_list] == ["CCC 2024"]


def test_session_speaker_position_saved_meanwhile_is_refused(organiser_client, session):
    SessionSpeakerFactory(session=session, position=0)
    url = admin_url(session, "change", session.pk)
    data = open_form(organiser_client, url)
    # A post made before that row existed: it does not carry it, and takes its position.
    rows = [{"speaker": str(SpeakerFactory().pk), "position": "0"}]
    data.update(inline_rows("session_speakers", rows))
    before = database_state()

    response = organiser_client.post(url, data)

    assert_refused(response, "This position is already taken in this session.", before)


@pytest.mark.parametrize("selected", [["abc"], [str(2**70)], ["\x00"], ["1", "1e3"]])
@pytest.mark.parametrize("action", ["publish", "unpublish", "delete_selected"])
@pytest.mark.parametrize("model", [Event, Session, Speaker, Sponsor])
def test_changelist_action_on_hostile_selection_changes_nothing(
    organiser_client, model, action, selected
):
    SessionSpeakerFactory(session__is_published=False)
    SponsorFactory()
    before = database_state()
    url = admin_url(model, "changelist")

    response = organiser_client.post(
        url, {"action": action, "_selected_action": selected, "index": "0"}
    )

    assert (response.status_code, response["Location"]) == (302, url)
    assert database_state() == before


@pytest.mark.parametrize(
    ("model", "params"),
    [
        (Session, {"event": "abc", "day": "\x00", "tags": "x" * 500}),
        (Session, {"event": str(2**70), "start_time": "99:99"}),
        (Sponsorship, {"sponsor": "abc", "event": str(2**70)}),
        (Sponsorship, {"sponsor": "\x00", "tier": "<script>"}),
        (Event, {"start_date": "99999-01-01", "attendee_count": "1e99"}),
        (Speaker, {"name": "<script>alert(1)</script>", "_popup": "1", "_to_field": "id"}),
    ],
)
def test_add_form_with_hostile_initial_values_in_url_renders(organiser_client, model, params):
    response = organiser_client.get(admin_url(model, "add"), params)

    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()


def test_upload_with_a_long_file_name_is_stored_under_a_random_one(organiser_client, session):
    long_name = "Slides of a talk with a very long title, " * 6 + ".pdf"
    data = inline_rows("slide_decks", [{"position": "0", "url": ""}])
    data["slide_decks-0-pdf"] = SimpleUploadedFile(long_name, PDF)
    speaker = SpeakerFactory()

    responses = [
        change(organiser_client, session, **data),
        change(
            organiser_client, speaker, photo=SimpleUploadedFile("p" * 300 + ".png", png_bytes())
        ),
    ]

    assert [response.status_code for response in responses] == [302, 302]
    speaker.refresh_from_db()
    deck = SlideDeck.objects.get(session=session)
    assert (len(deck.pdf.name), len(speaker.photo.name)) == (43, 52)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://example.org:99999/", "port after the host must be a number up to 65535"),
        ("https://bank.example@evil.example/", "without a user name"),
    ],
)
def test_web_address_validator_refuses_what_forms_do_not_see(url, message):
    """The importer saves through ``full_clean()``: the model's validator is all it has."""
    from django.core.exceptions import ValidationError

    from conference.validators import validate_web_address

    with pytest.raises(ValidationError, match=message):
        validate_web_address(url)
