"""Checks and storage of uploaded files: event banners, sponsor logos, speaker photos, slide PDFs.

Validators (size, image, PDF) run in ``full_clean``, so the admin, the importer and any form
share them. An image that passes is re-encoded when it is saved (``CheckedImageField``): only
its pixels are kept, never the uploaded bytes, so EXIF, GPS, XMP, comments and colour profiles
are gone, and so is anything smuggled after the image data. Every upload is stored under a
random name; the name the uploader gave is never used.
"""

import io
import uuid
import warnings
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import ImageFieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format name -> the extension of the stored file.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# The only decoders an upload reaches: less code exposed to hostile bytes.
OPENED_FORMATS = tuple(IMAGE_FORMATS)
# Cameras write JPEGs holding a second, smaller picture (MPO): Pillow's JPEG decoder opens them
# as MPO, and their first picture is stored as a plain JPEG.
STORED_FORMAT = {"MPO": "JPEG"}
ACCEPTED_IMAGES = "JPEG, PNG, WebP or GIF"
# Image.info keys a re-encoded image keeps: they are how it looks, not where it came from.
KEPT_IMAGE_INFO = {"transparency"}
JPEG_QUALITY = 90
# Where the PDF trailer may sit: writers append a few bytes (newlines, padding) after it.
PDF_TRAILER_WINDOW = 1024


@deconstructible
class RandomName:
    """``upload_to``: ``<folder>/<uuid4 hex>.<extension>``, ignoring the uploaded name.

    The extension is ``extension`` when given (a PDF is always ``.pdf``), else that of the name
    the field saves under, which for images is set from the detected format on re-encoding.
    """

    def __init__(self, folder, extension=""):
        self.folder = folder
        self.extension = extension

    def __call__(self, instance, filename):
        extension = self.extension or PurePosixPath(filename).suffix.lstrip(".").lower()
        return f"{self.folder}/{uuid.uuid4().hex}.{extension}"


def is_stored(file):
    """A file already in storage was checked when it was saved: editing the row again must not
    re-read it (nor fail when storage lives elsewhere)."""
    return getattr(file, "_committed", False)


def read_upload(file):
    file.seek(0)
    data = file.read()
    file.seek(0)
    return data


def validate_upload_size(file):
    """Reject uploads over ``settings.UPLOAD_MAX_BYTES``, naming the limit."""
    if is_stored(file) or file.size <= settings.UPLOAD_MAX_BYTES:
        return
    size, limit = filesizeformat(file.size), filesizeformat(settings.UPLOAD_MAX_BYTES)
    if size == limit:  # just over: "5.0 MB; limited to 5.0 MB" would read as a contradiction
        size, limit = f"{file.size:,} bytes", f"{settings.UPLOAD_MAX_BYTES:,} bytes"
    raise ValidationError(
        "This file is %(size)s; uploads are limited to %(limit)s.",
        code="file_too_large",
        params={"size": size, "limit": limit},
    )


def validate_image(file):
    """Accept only a readable JPEG, PNG, WebP or GIF within the pixel limit."""
    if is_stored(file) or file.size > settings.UPLOAD_MAX_BYTES:
        return  # oversize: validate_upload_size says so, without decoding it
    open_image(read_upload(file)).close()


def validate_pdf(file):
    """Accept only a file that starts like a PDF and ends with a PDF trailer."""
    if is_stored(file) or file.size > settings.UPLOAD_MAX_BYTES:
        return
    data = read_upload(file)
    if not data.startswith(b"%PDF-"):
        raise ValidationError(
            "Upload a PDF file: this file does not start with “%PDF-” as every PDF does.",
            code="not_a_pdf",
        )
    if b"%%EOF" not in data[-PDF_TRAILER_WINDOW:]:
        raise ValidationError(
            "This PDF is incomplete: it does not end with “%%EOF”. Was the upload cut short?",
            code="truncated_pdf",
        )


def open_image(data):
    """Decode ``data`` fully and return the image upright, or raise a ValidationError saying why.

    Opening only reads the header, so the pixel limit is checked before anything is
    decompressed; ``verify`` then checks the structure (e.g. PNG checksums) and a second open
    decodes every pixel, which finds truncated files.
    """
    with warnings.catch_warnings():
        # Pillow warns above its own pixel limit (89 million) and raises above twice that. Our
        # limit, checked as soon as the header is read, is the one that decides (it names the
        # dimensions); Pillow's error still catches a header too big to go that far.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=OPENED_FORMATS) as image:
                check_pixels(image.size)
                image.verify()
            image = Image.open(io.BytesIO(data), formats=OPENED_FORMATS)
            image.load()
            # Orientation applied to the pixels: dropping EXIF then keeps photos upright.
            ImageOps.exif_transpose(image, in_place=True)
        except UnidentifiedImageError:
            raise_not_an_image(data)
        except Image.DecompressionBombError:
            raise_too_many_pixels()
        except ValidationError:
            raise
        except Exception as error:  # decoders raise OSError, SyntaxError, ValueError, ...
            raise ValidationError(
                "This image is damaged or incomplete and cannot be read.", code="corrupt_image"
            ) from error
    return image


def check_pixels(size):
    width, height = size
    if width * height > settings.MAX_IMAGE_PIXELS:
        raise_too_many_pixels(size)


def raise_too_many_pixels(size=None):
    limit = f"{settings.MAX_IMAGE_PIXELS / 1e6:g} million"
    if size is None:  # Pillow refused the header before we could read it
        raise ValidationError(
            "This image has too many pixels: images are limited to %(limit)s pixels.",
            code="too_many_pixels",
            params={"limit": limit},
        )
    raise ValidationError(
        "This image is %(width)s by %(height)s pixels: images are limited to %(limit)s pixels.",
        code="too_many_pixels",
        params={"width": f"{size[0]:,}", "height": f"{size[1]:,}", "limit": limit},
    )


def raise_not_an_image(data):
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise ValidationError(
            "Upload a %(accepted)s image. This file is SVG or HTML text, which can carry "
            "scripts, whatever its name says.",
            code="markup_not_image",
            params={"accepted": ACCEPTED_IMAGES},
        )
    raise ValidationError(
        "Upload a %(accepted)s image. This file is not one, whatever its name says.",
        code="unsupported_image",
        params={"accepted": ACCEPTED_IMAGES},
    )


def reencode_image(file):
    """The image in ``file`` re-encoded in its own format, as a ContentFile named by it.

    Only the pixels (of the first frame: animated GIF, PNG and WebP files are flattened) and
    their transparency are written; everything else in ``Image.info`` is left behind.
    """
    output = io.BytesIO()
    with open_image(read_upload(file)) as image:
        image_format = STORED_FORMAT.get(image.format, image.format)
        image.info = {key: value for key, value in image.info.items() if key in KEPT_IMAGE_INFO}
        options = {"quality": JPEG_QUALITY} if image_format in {"JPEG", "WEBP"} else {}
        image.save(output, format=image_format, **options)
    return ContentFile(output.getvalue(), name=f"image.{IMAGE_FORMATS[image_format]}")


class ReencodedImageFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        # Every way of saving a new file (a form, the importer, field.save()) passes here.
        clean = reencode_image(content)
        super().save(clean.name, clean, save)


class CheckedImageField(models.ImageField):
    """An ImageField whose uploads are checked (size, then image) and stored re-encoded."""

    attr_class = ReencodedImageFieldFile
    default_validators = [validate_upload_size, validate_image]

    def formfield(self, **kwargs):
        # A plain file field: forms.ImageField would reject SVG or a bomb with one vague message
        # before the model's validators could say what is wrong. No limit on the uploaded
        # file's name, which is never used (see RandomName).
        return super().formfield(**{"form_class": forms.FileField, "max_length": None, **kwargs})
