"""Public pages come from the cache and are never stale: any change shows on the next request."""

import gzip
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from conference.caching import (
    VersionMemo,
    back_office_models,
    content_changed_for,
    page_cache_key,
    public_models,
)
from conference.models import ContentVersion
from sessions.models import Session
from tests.factories import (
    EventFactory,
    RecordingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    SponsorshipFactory,
)
from tests.workers import retitle_in_another_process

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def session(db):
    session = SessionFactory(title="State of the Union", event=EventFactory(slug="ccc2023"))
    SessionSpeakerFactory(session=session, speaker=SpeakerFactory(name="Rohit Yadav"))
    RecordingFactory(session=session)
    return session


def event_page(client, **headers):
    return client.get("/events/ccc2023/", headers=headers)


def test_cached_page_repeat_visit_costs_no_query(client, session, django_assert_num_queries):
    first = event_page(client)

    with django_assert_num_queries(0):  # the versions come from memory while nothing changed
        second = event_page(client)

    assert second.status_code == 200
    assert second.content == first.content


def resave(session):
    Session.objects.get(pk=session.pk).save()


def add_speaker(session):
    session.speakers.add(SpeakerFactory(name="Ada Lovelace"), through_defaults={"position": 9})


def tag(session):
    session.tags.add("kvm")


def delete_recording(session):
    session.recordings.get().delete()


def add_sponsor(session):
    SponsorshipFactory(event=session.event)


@pytest.mark.parametrize("change", [resave, add_speaker, tag, delete_recording, add_sponsor])
def test_any_change_makes_the_next_request_render_afresh(
    client, session, change, django_assert_max_num_queries
):
    event_page(client)

    change(session)

    with django_assert_max_num_queries(20) as queries:
        event_page(client)
    assert len(queries) > 1  # rendered again, not served from the cache


def test_edited_title_shows_on_the_next_request(client, session):
    event_page(client)

    session.title = "State of the Union 2023"
    session.save()

    assert "State of the Union 2023" in event_page(client).content.decode()


def test_repeat_visit_with_etag_gets_not_modified(client, session):
    etag = event_page(client)["ETag"]

    repeat = event_page(client, if_none_match=etag)

    assert repeat.status_code == 304
    assert repeat.content == b""
    assert repeat["ETag"] == etag


def test_etag_changes_when_the_page_changes(client, session):
    etag = event_page(client)["ETag"]
    session.title = "Renamed"
    session.save()

    assert event_page(client, if_none_match=etag).status_code == 200


def test_cached_page_is_gzipped_for_clients_that_accept_it(client, session):
    plain = event_page(client)
    compressed = event_page(client, accept_encoding="gzip, deflate, br")

    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content
    assert not plain.has_header("Content-Encoding")


def test_public_page_headers_suit_a_shared_cache(client, session):
    response = event_page(client)

    assert response["Cache-Control"] == "public, no-cache"
    assert {"Accept-Encoding", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}


def test_staff_preview_is_never_cached(client, session, staff_user):
    draft = SessionFactory(event=session.event, title="Unannounced keynote", is_published=False)
    client.force_login(staff_user)

    staff_page = event_page(client)
    client.logout()
    visitor_page = event_page(client)

    assert draft.title in staff_page.content.decode()
    assert "no-cache" in staff_page["Cache-Control"]
    assert "private" in staff_page["Cache-Control"] or "no-store" in staff_page["Cache-Control"]
    assert draft.title not in visitor_page.content.decode()


def test_not_found_is_not_cached(client, db):
    assert client.get("/events/nowhere/").status_code == 404
    EventFactory(slug="nowhere")

    assert client.get("/events/nowhere/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_change_made_by_another_process_shows_on_the_next_request(client):
    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.fail("The SQLite test database must be a file for this test (tests/settings.py)")
    session = SessionFactory(title="Before", event=EventFactory(slug="ccc2023"))
    assert "Before" in event_page(client).content.decode()

    retitle_in_another_process(session, "After")

    page = event_page(client).content.decode()
    assert "After" in page
    assert "Before" not in page


def test_cached_hit_keeps_the_security_headers_of_the_first_response(client, session):
    first = event_page(client)

    hit = event_page(client)

    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        assert hit[header] == first[header]


def test_visitor_with_a_session_cookie_goes_through_the_whole_stack(
    client, session, django_assert_max_num_queries
):
    event_page(client)
    client.cookies["sessionid"] = "not-a-real-session"

    with django_assert_max_num_queries(20) as queries:
        response = event_page(client)

    assert response.status_code == 200
    assert len(queries) > 1


def test_failed_cache_key_lookup_falls_through_to_the_site(client, session, monkeypatch):
    """When the content version cannot be read, the inner middleware and view decide (with a
    database that is really down, that is the 503 page: see bench/load.py)."""
    from django.db import OperationalError

    from conference.models import ContentVersion

    def unreachable(cls, scopes):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(ContentVersion, "numbers", classmethod(unreachable))

    response = event_page(client)

    assert response.status_code == 200
    assert "State of the Union" in response.content.decode()


@pytest.mark.parametrize(
    "query", ["?utm_source=newsletter", "?fbclid=IwAR0abc", "?utm_campaign=x&x=1", "?TAG=kvm"]
)
def test_parameters_a_page_does_not_read_share_its_cached_entry(
    client, session, query, django_assert_num_queries
):
    """Tracking parameters make no new page: one render serves them all."""
    first = event_page(client)

    with django_assert_num_queries(0):
        tracked = client.get(f"/events/ccc2023/{query}")

    assert tracked.content == first.content


def test_parameters_a_page_reads_each_have_their_entry(client, session):
    session.tags.add("kvm")
    other = SessionFactory(title="Networking Deep Dive", event=session.event)
    other.tags.add("networking")

    everything = event_page(client).content.decode()
    kvm = client.get("/events/ccc2023/?tag=kvm&utm_source=x").content.decode()
    networking = client.get("/events/ccc2023/?utm_source=x&tag=networking").content.decode()

    assert "Networking Deep Dive" in everything and "State of the Union" in everything
    assert "Networking Deep Dive" not in kvm and "State of the Union" in kvm
    assert "State of the Union" not in networking and "Networking Deep Dive" in networking


def test_a_cached_view_sees_only_the_parameters_it_declares(rf):
    from conference.caching import cache_for_visitors

    seen = {}

    def view(request):
        from django.http import HttpResponse

        seen.update(request.GET.lists())
        return HttpResponse("ok")

    request = rf.get("/anything/", {"q": ["a", "b"], "utm_source": "x"})
    request.user = AnonymousUser()

    cache_for_visitors(view, query=["q"])(request)

    assert seen == {"q": ["a", "b"]}


def test_search_queries_are_cached_apart(client, session):
    found = client.get("/search/?q=union&fbclid=1").content.decode()
    missing = client.get("/search/?q=zzzz&fbclid=1").content.decode()

    assert 'class="search-result' in found
    assert 'class="search-result' not in missing


def models_reachable_from_public_pages():
    """Models with a page of their own (``get_absolute_url``), and every model related to one
    reached (foreign key, many-to-many and its through model, either direction). Django's own
    models (content types, users, permissions) hold no content a page shows."""
    content = [
        model
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.app_config.name.startswith("django.")
    ]
    reached = {model for model in content if hasattr(model, "get_absolute_url")}
    to_visit = list(reached)
    while to_visit:
        model = to_visit.pop()
        for field in model._meta.get_fields(include_hidden=True):
            through = getattr(getattr(field, "remote_field", None), "through", None)
            for related in (field.related_model, through):
                if related in content and related not in reached:
                    reached.add(related)
                    to_visit.append(related)
    return reached


def test_every_model_reachable_from_a_public_page_is_declared_public():
    reached = models_reachable_from_public_pages() - back_office_models()

    assert {model._meta.label for model in public_models()} == {
        model._meta.label for model in reached
    }


def test_raw_utf8_query_and_its_latin1_misreading_have_their_own_keys(rf, db):
    # Keyed by build_absolute_uri, which re-encodes raw UTF-8 bytes of a query string as if they
    # were Latin-1, "?q=é" sent unencoded and "?q=%C3%83%C2%A9" ("Ã©") once shared one entry.
    raw = rf.get("/search/", QUERY_STRING="q=\xc3\xa9")
    misread = rf.get("/search/", QUERY_STRING="q=%C3%83%C2%A9")

    assert (raw.GET["q"], misread.GET["q"]) == ("é", "Ã©")
    assert page_cache_key(raw) != page_cache_key(misread)


@pytest.mark.django_db
def test_after_an_edit_one_database_read_brings_back_every_scope_held(
    django_assert_num_queries,
):
    memo = VersionMemo()
    ALL = ContentVersion.ALL
    CAMP, CONGRESS = ContentVersion.event_scope("camp"), ContentVersion.event_scope("congress")
    memo.numbers_of([ALL, CAMP])
    _, congress_before = memo.numbers_of([ALL, CONGRESS])
    content_changed_for([CAMP])
    assert memo.numbers_of([ALL, CONGRESS], read_database=False) is None
    with django_assert_num_queries(1):
        _, camp_now = memo.numbers_of([ALL, CAMP])
    with django_assert_num_queries(0):
        assert memo.numbers_of([CONGRESS], read_database=False) == [congress_before]
    assert camp_now == ContentVersion.numbers([CAMP])[CAMP]
    content_changed_for([CONGRESS])
    with django_assert_num_queries(1):
        memo.numbers_of([ALL])
    [congress_now] = memo.numbers_of([CONGRESS], read_database=False)
    assert congress_now != congress_before
    assert congress_now == ContentVersion.numbers([CONGRESS])[CONGRESS]
