"""``WRITERS``: every format written from a snapshot alone, with no request and no query, the
same bytes the views and the command give."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.http.request import split_domain_port
from django.test import RequestFactory
from django.urls import reverse

from sessions.interchange.snapshot import snapshot_event, snapshot_for_visitor
from sessions.interchange.writers import CONTENT_TYPES, EXTENSIONS, WRITERS
from sessions.interchange.writers.addresses import absolute_url, host_name
from tests.factories import (
    EventFactory,
    ProfileLinkFactory,
    RecordingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SlideDeckFactory,
    SpeakerFactory,
    SponsorshipFactory,
)

BASE_URL = "http://testserver"


@pytest.fixture
def event(db):
    event = EventFactory(name="Nimbus Summit 2024", slug="nimbus", website="https://n.example/")
    SponsorshipFactory(event=event)
    ada = SpeakerFactory(name="Ada Lovelace", slug="ada")
    ProfileLinkFactory(speaker=ada, url="https://www.linkedin.com/in/ada-lovelace/")
    keynote = SessionFactory(
        event=event, title="Opening Keynote", kind="keynote", start_time=datetime.time(9, 30)
    )
    keynote.tags.add("cloud")
    SessionSpeakerFactory(session=keynote, speaker=ada)
    RecordingFactory(session=keynote)
    SlideDeckFactory(session=keynote)
    RecordingFactory(session=SessionFactory(event=event, day=2), url="https://vimeo.com/76979871")
    SessionFactory(event=event, title="A Draft", is_published=False)
    return event


def url_of(name, event):
    return reverse(f"talks:event_{name}", kwargs={"slug": event.slug})


def test_writers_name_every_format_with_its_content_type_and_extension():
    assert list(WRITERS) == ["roundup", "json", "ical", "frab-xml", "frab-json", "csv"]
    assert CONTENT_TYPES == {
        "roundup": "text/markdown; charset=utf-8",
        "json": "application/json",
        "ical": "text/calendar; charset=utf-8",
        "frab-xml": "application/xml",
        "frab-json": "application/json",
        "csv": "text/csv; charset=utf-8",
    }
    assert EXTENSIONS == {
        "roundup": "md",
        "json": "json",
        "ical": "ics",
        "frab-xml": "xml",
        "frab-json": "json",
        "csv": "csv",
    }


def test_roundup_writer_gives_the_command_and_the_download(event, client, staff_user):
    snapshot = snapshot_event(event)
    command = StringIO()
    call_command("export_roundup", event.slug, stdout=command)
    client.force_login(staff_user)
    download = client.get(url_of("export_markdown", event)).content.decode()
    text = WRITERS["roundup"](snapshot)
    assert text == command.getvalue() == download
    assert text.startswith("---\nlayout: post\ntitle: Nimbus Summit 2024 Event Roundup\n")
    assert "A Draft" not in text


def test_json_writer_gives_the_view(event, client):
    text = WRITERS["json"](snapshot_for_visitor(event, AnonymousUser()), base_url=BASE_URL)
    assert text.encode() == client.get(url_of("export_json", event)).content


def test_ical_writer_gives_the_view(event, client):
    snapshot = snapshot_for_visitor(event, AnonymousUser(), sponsorships=False, speaker_links=False)
    assert WRITERS["ical"](snapshot, base_url=BASE_URL) == client.get(url_of("ical", event)).content


@pytest.mark.parametrize("name", ["json", "ical"])
def test_writers_make_addresses_from_base_url(event, client, settings, name):
    settings.ALLOWED_HOSTS = ["roundups.example.org"]
    view = "export_json" if name == "json" else "ical"
    response = client.get(url_of(view, event), secure=True, HTTP_HOST="roundups.example.org:8443")
    base_url = "https://roundups.example.org:8443"
    body = WRITERS[name](snapshot_for_visitor(event, AnonymousUser()), base_url=base_url)
    assert (body if name == "ical" else body.encode()) == response.content
    assert b"https://roundups.example.org:8443/events/nimbus/" in response.content


def test_writers_query_nothing(event, django_assert_num_queries):
    snapshot = snapshot_event(event)
    lean = snapshot_event(event, sponsorships=False, speaker_links=False)
    with django_assert_num_queries(0):
        WRITERS["roundup"](snapshot)
        WRITERS["json"](snapshot, base_url=BASE_URL)
        WRITERS["ical"](lean, base_url=BASE_URL)
        for name in ("frab-xml", "frab-json", "csv"):
            WRITERS[name](lean, base_url=BASE_URL)


@pytest.mark.parametrize(
    "location",
    [
        "/events/nimbus/",
        "/media/slides/deck%20one.pdf",
        "/media/a/../b.pdf",
        "/média/é.pdf",
        "relative/deck.pdf",
        "https://www.slideshare.net/slideshow/embed_code/key/hH2CO8kHcQaCQo",
        "https://example.org/a b/é",
        "//",
    ],
)
def test_absolute_url_is_what_the_request_builds(location):
    request = RequestFactory().get("/", HTTP_HOST="[::1]:8000")
    assert absolute_url("http://[::1]:8000", location) == request.build_absolute_uri(location)


@pytest.mark.parametrize("host", ["testserver", "Example.ORG:8443", "[::1]:8000", "10.0.0.1:80"])
def test_host_name_is_the_request_host_without_port(host):
    assert host_name(f"https://{host}") == split_domain_port(host)[0]
