"""``/events/<slug>/schedule.xml``, ``schedule.json`` and ``schedule.csv``: what schedule apps
and spreadsheets get, for published events only, never with drafts, from the page cache."""

import datetime

import pytest
from django.urls import reverse

from sessions.interchange.snapshot import snapshot_event
from sessions.interchange.writers import WRITERS
from tests.factories import EventFactory, SessionFactory
from tests.sessions.festival import make_festival
from tests.sessions.interchange.writers.frab_schemas import validate_json, validate_xml

SITE = "http://testserver"
FRAB = [("xml", "application/xml"), ("json", "application/json")]


@pytest.fixture
def festival(db):
    return make_festival()


def url_of(event, extension):
    return reverse(f"talks:event_schedule_{extension}", kwargs={"slug": event.slug})


@pytest.mark.parametrize(("extension", "content_type"), FRAB)
def test_frab_schedule_is_served_valid_with_its_content_type(
    festival, client, extension, content_type
):
    response = client.get(url_of(festival["event"], extension))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Content-Disposition" not in response
    format_name = f"frab-{extension}"
    expected = WRITERS[format_name](
        snapshot_event(festival["event"], sponsorships=False, speaker_links=False),
        base_url=SITE,
    )
    assert response.content == (expected if extension == "xml" else expected.encode())
    if extension == "xml":
        validate_xml(response.content)
    else:
        validate_json(response.content.decode())


def test_csv_is_a_download_with_its_content_type(festival, client):
    response = client.get(url_of(festival["event"], "csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="herbst-festival.csv"'
    assert response.content.decode("utf-8").startswith("\ufefftitle,speakers,date,day,")


@pytest.mark.parametrize("extension", ["xml", "json", "csv"])
def test_staff_get_no_drafts_and_no_cached_copy(festival, client, staff_user, extension):
    client.force_login(staff_user)

    response = client.get(url_of(festival["event"], extension))

    assert response.status_code == 200
    assert b"Secret draft" not in response.content
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("extension", ["xml", "json", "csv"])
def test_unpublished_event_is_not_found_even_for_staff(festival, client, staff_user, extension):
    event = festival["event"]
    event.is_published = False
    event.save()
    client.force_login(staff_user)

    assert client.get(url_of(event, extension)).status_code == 404


@pytest.mark.parametrize("extension", ["xml", "json"])
def test_event_without_a_timed_published_session_has_no_frab_schedule(db, client, extension):
    event = EventFactory()
    SessionFactory(event=event, day=1)  # untimed
    SessionFactory(event=event, starts_at=event.moment(1, datetime.time(9)), is_published=False)

    assert client.get(url_of(event, extension)).status_code == 404
    assert client.get(url_of(event, "csv")).status_code == 200  # the untimed session is a row


def test_unknown_event_is_not_found(db, client):
    assert client.get("/events/nowhere/schedule.xml").status_code == 404


@pytest.mark.parametrize("extension", ["xml", "json", "csv"])
def test_only_safe_methods(festival, client, extension):
    assert client.post(url_of(festival["event"], extension)).status_code == 405


@pytest.mark.parametrize("extension", ["xml", "json", "csv"])
def test_served_from_the_cache_until_the_programme_changes(
    festival, client, extension, django_assert_num_queries
):
    url = url_of(festival["event"], extension)
    first = client.get(url)

    with django_assert_num_queries(0):  # the versions come from memory while nothing changed
        again = client.get(url)
    assert again.content == first.content
    cors = "*" if extension != "csv" else None
    assert again.get("Access-Control-Allow-Origin") == first.get("Access-Control-Allow-Origin")
    assert again.get("Access-Control-Allow-Origin") == cors

    festival["night"].title = "Moved to the morning"
    festival["night"].save()

    assert "Moved to the morning" in client.get(url).content.decode("utf-8")


@pytest.mark.parametrize("extension", ["xml", "json", "csv"])
def test_queries_do_not_grow_with_the_sessions(
    festival, client, extension, django_assert_max_num_queries
):
    event = festival["event"]
    with django_assert_max_num_queries(20) as few:
        client.get(url_of(event, extension), HTTP_COOKIE="sessionid=x")  # past the page cache
    for hour in range(8, 18):
        SessionFactory(event=event, starts_at=event.moment(3, datetime.time(hour)))

    with django_assert_max_num_queries(len(few)):
        response = client.get(url_of(event, extension), HTTP_COOKIE="sessionid=x")
    assert response.status_code == 200


def test_event_page_links_to_the_exports(festival, client):
    html = client.get(festival["event"].get_absolute_url()).content.decode()

    for extension in ("xml", "json", "csv"):
        assert f'href="{url_of(festival["event"], extension)}"' in html


def test_event_page_of_an_untimed_event_links_to_the_csv_only(db, client):
    event = EventFactory()
    SessionFactory(event=event)

    html = client.get(event.get_absolute_url()).content.decode()

    assert f'href="{url_of(event, "csv")}"' in html
    assert "schedule.xml" not in html
    assert "schedule.json" not in html
