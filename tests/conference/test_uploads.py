"""Uploads of banners, logos, photos and slide PDFs: checked, re-encoded, stored under new names.

Each case runs through the model's ``full_clean`` (what the importer and any form use) and
through the admin's forms, where organisers see the messages.
"""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from sessions.models import SlideDeck
from tests.factories import EventFactory, SessionFactory, SpeakerFactory, SponsorFactory

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="5"/></svg>'
HTML = b"\xef\xbb\xbf\n<html><script>alert(document.cookie)</script></html>"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
LATITUDE = (48.0, 51.0, 24.0)

MARKUP_ERROR = (
    "Upload a JPEG, PNG, WebP or GIF image. This file is SVG or HTML text, which can carry "
    "scripts, whatever its name says."
)
NOT_AN_IMAGE_ERROR = (
    "Upload a JPEG, PNG, WebP or GIF image. This file is not one, whatever its name says."
)
CORRUPT_ERROR = "This image is damaged or incomplete and cannot be read."
NOT_A_PDF_ERROR = "Upload a PDF file: this file does not start with “%PDF-” as every PDF does."
TRUNCATED_PDF_ERROR = (
    "This PDF is incomplete: it does not end with “%%EOF”. Was the upload cut short?"
)


@pytest.fixture(autouse=True)
def media_root(settings):
    """Uploads land in the test media folder (test-artifacts/media/<worker>); each test removes its
    own."""
    before = set(settings.MEDIA_ROOT.rglob("*"))
    yield settings.MEDIA_ROOT
    for path in set(settings.MEDIA_ROOT.rglob("*")) - before:
        if path.is_file():
            path.unlink()


def image_bytes(image_format="JPEG", size=(40, 20), mode="RGB", **options):
    buffer = io.BytesIO()
    Image.new(mode, size, "red" if mode == "RGB" else 1).save(buffer, image_format, **options)
    return buffer.getvalue()


def phone_photo():
    """A JPEG as a phone writes it: turned sideways by EXIF, with the place it was taken."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # display rotated 90° clockwise
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = LATITUDE
    data = image_bytes("JPEG", size=(40, 20), exif=exif, comment=b"home sweet home")
    with Image.open(io.BytesIO(data)) as original:  # the test's own premise
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == (
            LATITUDE
        )
    return data


def corrupt_png():
    data = bytearray(image_bytes("PNG", size=(64, 64)))
    data[data.index(b"IDAT") + 6] ^= 0xFF  # the checksum no longer matches
    return bytes(data)


# What each image field is: the model, how to build a row, where its files go.
IMAGE_FIELDS = [
    pytest.param(EventFactory, "banner", "events/banners", id="event-banner"),
    pytest.param(SponsorFactory, "logo", "sponsors/logos", id="sponsor-logo"),
    pytest.param(SpeakerFactory, "photo", "speakers/photos", id="speaker-photo"),
]

BAD_IMAGES = [
    pytest.param("logo.png", SVG, MARKUP_ERROR, id="svg-named-png"),
    pytest.param("logo.png", HTML, MARKUP_ERROR, id="html-named-png"),
    pytest.param("logo.svg", SVG, MARKUP_ERROR, id="svg"),
    pytest.param("logo.png", PDF, NOT_AN_IMAGE_ERROR, id="pdf-named-png"),
    pytest.param("logo.bmp", image_bytes("BMP"), NOT_AN_IMAGE_ERROR, id="bmp"),
    pytest.param("photo.jpg", phone_photo()[:400], CORRUPT_ERROR, id="truncated-jpeg"),
    pytest.param("logo.png", corrupt_png(), CORRUPT_ERROR, id="corrupt-png"),
    pytest.param(
        "bomb.png",
        image_bytes("PNG", size=(10_000, 10_000), mode="1"),
        "This image is 10,000 by 10,000 pixels: images are limited to 40 million pixels.",
        id="bomb-over-our-limit",
    ),
    pytest.param(
        "bomb.png",
        image_bytes("PNG", size=(20_000, 20_000), mode="1"),
        "This image has too many pixels: images are limited to 40 million pixels.",
        id="bomb-over-pillows-limit",
    ),
]


def clean_with_upload(obj, field, name, content):
    setattr(obj, field, SimpleUploadedFile(name, content))
    obj.full_clean()


# Images through full_clean ----------------------------------------------------------------


@pytest.mark.parametrize(("factory", "field", "folder"), IMAGE_FIELDS)
@pytest.mark.parametrize(("name", "content", "error"), BAD_IMAGES)
def test_image_field_full_clean_rejects_bad_image(factory, field, folder, name, content, error):
    obj = factory()

    with pytest.raises(ValidationError) as caught:
        clean_with_upload(obj, field, name, content)

    assert caught.value.message_dict == {field: [error]}


@pytest.mark.parametrize(("factory", "field", "folder"), IMAGE_FIELDS)
def test_image_field_full_clean_rejects_oversize_file_by_size_alone(
    settings, factory, field, folder
):
    settings.UPLOAD_MAX_BYTES = 1024
    oversize = image_bytes("PNG").ljust(2048, b"\0")

    with pytest.raises(ValidationError) as caught:
        clean_with_upload(factory(), field, "logo.png", oversize)

    assert caught.value.message_dict == {
        field: ["This file is 2.0\xa0KB; uploads are limited to 1.0\xa0KB."]
    }


def test_image_just_over_default_limit_names_both_sizes_in_bytes():
    just_over = image_bytes("PNG").ljust(5 * 1024 * 1024 + 1, b"\0")

    with pytest.raises(ValidationError) as caught:
        clean_with_upload(SponsorFactory(), "logo", "logo.png", just_over)

    assert caught.value.message_dict == {
        "logo": ["This file is 5,242,881 bytes; uploads are limited to 5,242,880 bytes."]
    }


def test_image_pixel_limit_follows_setting(settings):
    settings.MAX_IMAGE_PIXELS = 1_000_000
    sponsor = SponsorFactory()

    with pytest.raises(ValidationError) as caught:
        clean_with_upload(sponsor, "logo", "wide.png", image_bytes("PNG", (1001, 1000), "1"))
    clean_with_upload(sponsor, "logo", "square.png", image_bytes("PNG", (1000, 1000), "1"))

    assert caught.value.message_dict == {
        "logo": ["This image is 1,001 by 1,000 pixels: images are limited to 1 million pixels."]
    }


@pytest.mark.parametrize(("factory", "field", "folder"), IMAGE_FIELDS)
def test_image_field_stores_jpeg_re_encoded_without_exif_under_random_name(
    factory, field, folder, media_root
):
    obj = factory()

    clean_with_upload(obj, field, "holiday-at-home.jpg", phone_photo())
    obj.save()

    obj.refresh_from_db()
    stored = getattr(obj, field)
    assert re.fullmatch(rf"{folder}/[0-9a-f]{{32}}\.jpg", stored.name)
    with Image.open(media_root / stored.name) as saved:
        assert (saved.format, saved.size) == ("JPEG", (20, 40))  # upright, as it was displayed
        assert dict(saved.getexif()) == {}
        assert saved.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert "comment" not in saved.info
        assert saved.getpixel((10, 20)) == pytest.approx((254, 0, 0), abs=2)


@pytest.mark.parametrize(
    ("uploaded_name", "content", "extension"),
    [
        pytest.param("logo.jpg", image_bytes("PNG", mode="RGBA"), "png", id="png-named-jpg"),
        pytest.param("logo.png", image_bytes("WEBP"), "webp", id="webp"),
        pytest.param("logo.gif", image_bytes("GIF", mode="P"), "gif", id="gif"),
    ],
)
def test_image_is_stored_with_extension_of_its_detected_format(uploaded_name, content, extension):
    sponsor = SponsorFactory()

    clean_with_upload(sponsor, "logo", uploaded_name, content)
    sponsor.save()

    assert re.fullmatch(rf"sponsors/logos/[0-9a-f]{{32}}\.{extension}", sponsor.logo.name)
    with Image.open(sponsor.logo.path) as saved:
        assert saved.format == Image.registered_extensions()[f".{extension}"]


def test_camera_jpeg_with_second_picture_is_stored_as_plain_jpeg():
    buffer = io.BytesIO()
    main, preview = Image.new("RGB", (40, 20), "red"), Image.new("RGB", (8, 4), "blue")
    main.save(buffer, "MPO", save_all=True, append_images=[preview])
    sponsor = SponsorFactory()

    clean_with_upload(sponsor, "logo", "camera.jpg", buffer.getvalue())
    sponsor.save()

    assert sponsor.logo.name.endswith(".jpg")
    with Image.open(sponsor.logo.path) as saved:
        assert (saved.format, saved.size, getattr(saved, "n_frames", 1)) == ("JPEG", (40, 20), 1)


def test_png_text_and_colour_profile_are_stripped():
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "taken at home")
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    content = image_bytes("PNG", pnginfo=text, icc_profile=srgb)
    with Image.open(io.BytesIO(content)) as original:  # the test's own premise
        assert set(original.info) == {"Comment", "icc_profile"}
    sponsor = SponsorFactory()

    clean_with_upload(sponsor, "logo", "logo.png", content)
    sponsor.save()

    with Image.open(sponsor.logo.path) as saved:
        assert saved.info == {}


def test_animated_gif_is_flattened_to_its_first_frame():
    frames = [Image.new("RGB", (10, 10), colour) for colour in ("red", "lime", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)
    sponsor = SponsorFactory()

    clean_with_upload(sponsor, "logo", "spinner.gif", buffer.getvalue())
    sponsor.save()

    with Image.open(sponsor.logo.path) as saved:
        assert (saved.n_frames, saved.convert("RGB").getpixel((0, 0))) == (1, (255, 0, 0))


def test_saving_a_file_directly_also_re_encodes_it():
    speaker = SpeakerFactory()

    speaker.photo.save("me.jpg", SimpleUploadedFile("me.jpg", phone_photo()))

    with Image.open(speaker.photo.path) as saved:
        assert (saved.size, dict(saved.getexif())) == ((20, 40), {})


def test_editing_a_row_does_not_re_read_its_stored_image():
    event = EventFactory(banner="events/banners/not-in-this-storage.png")

    event.full_clean()  # no error: the stored banner was checked when it was uploaded


# PDFs through full_clean --------------------------------------------------------------------


def slide_deck(pdf_name, content):
    return SlideDeck(session=SessionFactory(), pdf=SimpleUploadedFile(pdf_name, content))


def test_pdf_with_signature_is_stored_under_random_name(media_root):
    deck = slide_deck("Final slides (v3).PDF", PDF)

    deck.full_clean()
    deck.save()

    assert re.fullmatch(r"slides/[0-9a-f]{32}\.pdf", deck.pdf.name)
    assert (media_root / deck.pdf.name).read_bytes() == PDF


@pytest.mark.parametrize(
    ("content", "error"),
    [
        pytest.param(HTML, NOT_A_PDF_ERROR, id="html-named-pdf"),
        pytest.param(image_bytes("PNG"), NOT_A_PDF_ERROR, id="png-named-pdf"),
        pytest.param(b"", NOT_A_PDF_ERROR, id="empty"),
        pytest.param(PDF[:40], TRUNCATED_PDF_ERROR, id="truncated"),
    ],
)
def test_pdf_full_clean_rejects_fake_pdf(content, error):
    with pytest.raises(ValidationError) as caught:
        slide_deck("deck.pdf", content).full_clean()

    assert caught.value.message_dict["pdf"] == [error]


def test_pdf_full_clean_rejects_oversize_pdf(settings):
    settings.UPLOAD_MAX_BYTES = 1024

    with pytest.raises(ValidationError) as caught:
        slide_deck("deck.pdf", PDF.replace(b"%%EOF", b" " * 2048 + b"%%EOF")).full_clean()

    assert caught.value.message_dict == {
        "pdf": ["This file is 2.1\xa0KB; uploads are limited to 1.0\xa0KB."]
    }


# Through the admin ------------------------------------------------------------------------


def event_form(event, upload):
    data = {
        "name": event.name,
        "slug": event.slug,
        "summary": event.summary,
        "start_date": event.start_date.isoformat(),
        "end_date": event.end_date.isoformat(),
        "venue": event.venue,
        "city": event.city,
        "country": event.country,
        "is_published": "on",
        "banner": upload,
    }
    return (
        data
        | management_form("sponsorships")
        | management_form("rooms")
        | management_form("tracks")
    )


def sponsor_form(sponsor, upload):
    return {"name": sponsor.name, "slug": sponsor.slug, "website": sponsor.website, "logo": upload}


def speaker_form(speaker, upload):
    data = {"name": speaker.name, "slug": speaker.slug, "company": speaker.company, "photo": upload}
    return data | management_form("links")


def session_form(session, upload):
    data = {
        "event": session.event.pk,
        "title": session.title,
        "slug": session.slug,
        "kind": session.kind,
        "day": session.day,
        "position": session.position,
        "slide_decks-0-pdf": upload,
        "slide_decks-0-position": "0",
    }
    data |= management_form("session_speakers") | management_form("recordings")
    return data | management_form("slide_decks", rows=1) | management_form("links")


def management_form(prefix, rows=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(rows),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


ADMIN_IMAGE_FORMS = [
    pytest.param(EventFactory, "banner", event_form, id="event-banner"),
    pytest.param(SponsorFactory, "logo", sponsor_form, id="sponsor-logo"),
    pytest.param(SpeakerFactory, "photo", speaker_form, id="speaker-photo"),
]


def post_change_form(admin_client, obj, form, upload):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    return admin_client.post(url, form(obj, upload))


@pytest.mark.parametrize(("factory", "field", "form"), ADMIN_IMAGE_FORMS)
@pytest.mark.parametrize(("name", "content", "error"), BAD_IMAGES)
def test_admin_change_form_shows_error_for_bad_image(
    admin_client, factory, field, form, name, content, error
):
    obj = factory()

    response = post_change_form(admin_client, obj, form, SimpleUploadedFile(name, content))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {field: [error]}
    obj.refresh_from_db()
    assert getattr(obj, field).name == ""


@pytest.mark.parametrize(("factory", "field", "form"), ADMIN_IMAGE_FORMS)
def test_admin_change_form_shows_error_for_oversize_image(
    admin_client, settings, factory, field, form
):
    settings.UPLOAD_MAX_BYTES = 1024
    upload = SimpleUploadedFile("logo.png", image_bytes("PNG").ljust(2048, b"\0"))

    response = post_change_form(admin_client, factory(), form, upload)

    assert response.context["adminform"].form.errors == {
        field: ["This file is 2.0\xa0KB; uploads are limited to 1.0\xa0KB."]
    }


@pytest.mark.parametrize(("factory", "field", "form"), ADMIN_IMAGE_FORMS)
def test_admin_change_form_stores_image_re_encoded_under_random_name(
    admin_client, factory, field, form
):
    obj = factory()

    response = post_change_form(
        admin_client, obj, form, SimpleUploadedFile("holiday-at-home.jpg", phone_photo())
    )

    assert response.status_code == 302
    obj.refresh_from_db()
    stored = getattr(obj, field)
    assert "holiday" not in stored.name
    assert stored.name.endswith(".jpg")
    with Image.open(stored.path) as saved:
        assert (saved.size, dict(saved.getexif())) == ((20, 40), {})


def test_admin_session_form_stores_pdf_deck_under_random_name(admin_client):
    session = SessionFactory()

    response = post_change_form(
        admin_client, session, session_form, SimpleUploadedFile("my-talk.pdf", PDF)
    )

    assert response.status_code == 302
    [deck] = session.slide_decks.all()
    assert re.fullmatch(r"slides/[0-9a-f]{32}\.pdf", deck.pdf.name)
    assert (deck.provider, deck.pdf.read()) == ("pdf", PDF)


@pytest.mark.parametrize(
    ("content", "error"),
    [
        pytest.param(HTML, NOT_A_PDF_ERROR, id="html-named-pdf"),
        pytest.param(PDF[:40], TRUNCATED_PDF_ERROR, id="truncated"),
    ],
)
def test_admin_session_form_shows_error_for_fake_pdf(admin_client, content, error):
    session = SessionFactory()

    response = post_change_form(
        admin_client, session, session_form, SimpleUploadedFile("deck.pdf", content)
    )

    assert response.status_code == 200
    [deck_formset] = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "slide_decks"
    ]
    assert [form.errors for form in deck_formset.forms] == [{"pdf": [error]}]
    assert list(session.slide_decks.all()) == []
