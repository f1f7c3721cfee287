"""Uploads on an S3-compatible object store (MEDIA_STORAGE_URL), against moto's standalone server
run as a real process on a free port: what one app server uploads, another reads and serves."""

import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from conference.storage_url import object_storage
from tests.conference.test_uploads import post_change_form, session_form, sponsor_form
from tests.factories import (
    SessionFactory,
    SessionSpeakerFactory,
    SlideDeckFactory,
    SpeakerFactory,
    SponsorFactory,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
MOTO_SERVER = Path(sys.executable).parent / "moto_server"
BUCKET = "roundup-media"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def object_store():
    """moto_server on 127.0.0.1:<free port>; its endpoint URL."""
    port = free_port()
    process = subprocess.Popen(
        [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(endpoint + "/moto-api/", timeout=1).read()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("moto_server did not start") from None
            time.sleep(0.2)
    yield endpoint
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def bucket(object_store, settings, monkeypatch):
    """An empty bucket, and the default storage pointed at it as MEDIA_STORAGE_URL would."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client("s3", endpoint_url=object_store, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    url = (
        f"s3://{BUCKET}?endpoint_url={object_store}&region=us-east-1"
        "&querystring_auth=false&default_acl=public-read"
    )
    settings.STORAGES = {**settings.STORAGES, "default": object_storage(url)}
    yield client, url
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client):
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def png(size=(30, 20)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_the_default_storage_is_the_bucket(bucket):
    assert default_storage.bucket_name == BUCKET
    assert type(default_storage._wrapped).__name__ == "S3Storage"


def test_speaker_photo_is_stored_in_the_bucket_and_served_from_it(bucket, client, object_store):
    s3, _url = bucket
    speaker = SpeakerFactory()
    speaker.photo.save("me.png", SimpleUploadedFile("me.png", png()))
    assert keys(s3) == [speaker.photo.name]
    assert speaker.photo.name.startswith("speakers/photos/")
    stored = s3.get_object(Bucket=BUCKET, Key=speaker.photo.name)["Body"].read()
    with Image.open(io.BytesIO(stored)) as image:
        assert (image.format, image.size) == ("PNG", (30, 20))
    SessionSpeakerFactory(speaker=speaker)

    page = client.get(speaker.get_absolute_url()).content.decode()
    src = f"{object_store}/{BUCKET}/{speaker.photo.name}"
    assert f'src="{src}"' in page
    with urllib.request.urlopen(src, timeout=10) as response:
        assert response.read() == stored


def test_sponsor_logo_and_slide_pdf_go_to_the_bucket(bucket):
    s3, _url = bucket
    sponsor = SponsorFactory()
    sponsor.logo.save("logo.png", SimpleUploadedFile("logo.png", png()))
    deck = SlideDeckFactory(url="", pdf=SimpleUploadedFile("deck.pdf", PDF))
    assert keys(s3) == sorted([sponsor.logo.name, deck.pdf.name])
    assert s3.get_object(Bucket=BUCKET, Key=deck.pdf.name)["Body"].read() == PDF


def test_deleting_a_file_removes_the_object(bucket):
    s3, _url = bucket
    speaker = SpeakerFactory()
    speaker.photo.save("me.png", SimpleUploadedFile("me.png", png()))
    speaker.photo.delete(save=True)
    assert keys(s3) == []
    speaker.refresh_from_db()
    assert speaker.photo.name == ""


def test_replacing_keeps_the_old_object_as_on_the_local_disk(bucket):
    """The app removes no replaced file on disk today (a page cached elsewhere may still show
    it); on the object store it is the same."""
    s3, _url = bucket
    speaker = SpeakerFactory()
    speaker.photo.save("one.png", SimpleUploadedFile("one.png", png()))
    first = speaker.photo.name
    speaker.photo.save("two.png", SimpleUploadedFile("two.png", png((10, 10))))
    assert keys(s3) == sorted([first, speaker.photo.name])


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "This file is SVG or HTML text"),
        (b"not an image at all", "This file is not one, whatever its name says."),
    ],
)
def test_invalid_image_is_refused_and_nothing_is_written(bucket, upload, message):
    s3, _url = bucket
    speaker = SpeakerFactory()
    speaker.photo = SimpleUploadedFile("me.png", upload)
    with pytest.raises(ValidationError) as raised:
        speaker.full_clean()
    assert message in raised.value.message_dict["photo"][0]
    assert keys(s3) == []


def test_oversized_upload_is_refused_and_nothing_is_written(bucket, settings):
    s3, _url = bucket
    settings.UPLOAD_MAX_BYTES = 100
    sponsor = SponsorFactory()
    sponsor.logo = SimpleUploadedFile("logo.png", png((200, 200)))
    with pytest.raises(ValidationError) as raised:
        sponsor.full_clean()
    assert "uploads are limited to 100\xa0bytes." in raised.value.message_dict["logo"][0]
    assert keys(s3) == []


def test_another_app_server_reads_the_same_upload(bucket):
    """A second process, configured only by its environment, opens what this one stored."""
    s3, url = bucket
    speaker = SpeakerFactory()
    speaker.photo.save("me.png", SimpleUploadedFile("me.png", png()))
    script = (
        "import json, sys, django; django.setup();"
        "from django.core.files.storage import default_storage as s;"
        "name = sys.argv[1];"
        "print(json.dumps([s.exists(name), s.size(name), s.url(name)]))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "conference.settings",
        "MEDIA_STORAGE_URL": url,
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-c", script, speaker.photo.name],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    size = s3.head_object(Bucket=BUCKET, Key=speaker.photo.name)["ContentLength"]
    assert json.loads(result.stdout) == [True, size, speaker.photo.url]


def test_csp_allows_images_from_the_object_store():
    script = (
        "import json; from conference import settings as s;"
        "print(json.dumps(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
    )
    env = {
        **os.environ,
        "MEDIA_STORAGE_URL": "s3://media?endpoint_url=http://127.0.0.1:9000&region=eu-west-1",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("MEDIA_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout) == ["'self'", "data:", "http://127.0.0.1:9000"]


@pytest.mark.parametrize(
    ("url", "options"),
    [
        (
            "s3://media?endpoint_url=http://127.0.0.1:9000&region=eu-west-1&querystring_auth=false",
            {
                "bucket_name": "media",
                "file_overwrite": False,
                "endpoint_url": "http://127.0.0.1:9000",
                "region_name": "eu-west-1",
                "querystring_auth": False,
            },
        ),
        ("s3://media", {"bucket_name": "media", "file_overwrite": False}),
    ],
)
def test_media_storage_url_options(url, options):
    assert object_storage(url) == {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://media", "MEDIA_STORAGE_URL must look like s3://BUCKET?endpoint_url=..."),
        ("s3://media?querystring_auth=maybe", "querystring_auth must be true or false"),
    ],
)
def test_bad_media_storage_url_is_named(url, message):
    with pytest.raises(ValueError, match=message.replace("?", r"\?").replace(".", r"\.")):
        object_storage(url)


def test_admin_upload_of_a_logo_and_a_slide_pdf_lands_in_the_bucket(bucket, admin_client):
    s3, _url = bucket
    sponsor, session = SponsorFactory(), SessionFactory()

    logo = post_change_form(
        admin_client, sponsor, sponsor_form, SimpleUploadedFile("logo.png", png())
    )
    deck = post_change_form(
        admin_client, session, session_form, SimpleUploadedFile("talk.pdf", PDF)
    )

    assert (logo.status_code, deck.status_code) == (302, 302)
    sponsor.refresh_from_db()
    pdf_name = session.slide_decks.get().pdf.name
    assert keys(s3) == sorted([sponsor.logo.name, pdf_name])
    change_page = reverse("admin:conference_sponsor_change", args=[sponsor.pk])
    assert sponsor.logo.url in admin_client.get(change_page).content.decode()


def test_admin_refuses_a_bad_logo_and_writes_nothing(bucket, admin_client):
    s3, _url = bucket
    sponsor = SponsorFactory()

    response = post_change_form(
        admin_client, sponsor, sponsor_form, SimpleUploadedFile("logo.png", b"GIF89a broken")
    )

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["logo"]
    assert keys(s3) == []
