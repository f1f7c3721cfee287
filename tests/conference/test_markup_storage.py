import pytest

from conference import markup
from conference.markup import refresh_after_migrate, render_markdown, source_digest
from conference.models import ContentVersion
from sessions.models import Session
from speakers.models import Speaker
from tests.factories import EventFactory, SessionFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def test_save_stores_the_sanitised_html_beside_the_source():
    session = SessionFactory(description="Hello **world** <script>x()</script>")
    stored = Session.objects.get(pk=session.pk)
    assert stored.description_html == "<p>Hello <strong>world</strong> </p>\n"
    assert stored.description_html_digest == source_digest(stored.description)


def test_save_with_update_fields_stores_the_html_too():
    speaker = SpeakerFactory(bio="old")
    speaker.bio = "*new*"
    speaker.save(update_fields=["bio"])
    assert Speaker.objects.get(pk=speaker.pk).bio_html == "<p><em>new</em></p>\n"


def test_event_summary_is_stored():
    event = EventFactory(summary="A [link](https://example.org/)")
    assert event.summary_html == str(render_markdown(event.summary))


def test_a_write_that_skips_save_is_rendered_fresh_not_shown_stale(client):
    session = SessionFactory(description="first", is_published=True, event__is_published=True)
    Session.objects.filter(pk=session.pk).update(description="**second**")
    response = client.get(session.get_absolute_url())
    assert "<strong>second</strong>" in response.content.decode()
    assert "<p>first</p>" not in response.content.decode()


def test_bulk_create_with_fill_markdown_stores_html():
    event = EventFactory()
    built = [SessionFactory.build(event=event, slug=f"s{n}", description="*x*") for n in range(2)]
    for session in built:
        markup.fill_markdown(session, Session.markdown_fields)
    Session.objects.bulk_create(built)
    assert [s.description_html for s in Session.objects.filter(event=event)] == [
        "<p><em>x</em></p>\n"
    ] * 2


def test_rows_are_rendered_again_when_the_rules_change(monkeypatch):
    session = SessionFactory(description="a <sub>b</sub>")
    assert Session.objects.get(pk=session.pk).description_html == "<p>a <sub>b</sub></p>\n"
    monkeypatch.setattr(markup, "ALLOWED_TAGS", markup.ALLOWED_TAGS - {"sub"})
    refresh_after_migrate(plan=[])  # what migrate sends when nothing is left to apply
    stored = Session.objects.get(pk=session.pk)
    assert stored.description_html == "<p>a b</p>\n"
    assert stored.description_html_digest == source_digest(stored.description)


def test_flush_renders_nothing_again(monkeypatch):
    session = SessionFactory(description="a <sub>b</sub>")
    monkeypatch.setattr(markup, "ALLOWED_TAGS", markup.ALLOWED_TAGS - {"sub"})
    refresh_after_migrate(plan=None)  # what flush sends
    assert Session.objects.get(pk=session.pk).description_html == "<p>a <sub>b</sub></p>\n"


def test_refresh_leaves_up_to_date_rows_alone():
    SessionFactory(description="same")
    assert markup.refresh_stored_markdown(Session, Session.markdown_fields) == 0


def test_import_schedule_stores_html_of_every_imported_description():
    from pathlib import Path

    from tests.sessions.test_import_schedule_command import run

    run(Path(__file__).resolve().parents[1] / "fixtures" / "schedules" / "ccc.xml")
    imported = Session.objects.exclude(description="")
    assert imported.exists()
    assert [s.description_html_digest for s in imported] == [
        source_digest(s.description) for s in imported
    ]
    assert [s.description_html for s in imported] == [
        str(render_markdown(s.description)) for s in imported
    ]


def published_session_page(client, description):
    session = SessionFactory(description=description, is_published=True, event__is_published=True)
    url = session.get_absolute_url()
    first, second = client.get(url), client.get(url)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    return url


def test_a_refresh_that_changed_rows_renders_cached_pages_again(client, monkeypatch):
    url = published_session_page(client, "a <sub>b</sub>")
    monkeypatch.setattr(markup, "ALLOWED_TAGS", markup.ALLOWED_TAGS - {"sub"})
    refresh_after_migrate(plan=[])
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "<p>a b</p>" in response.content.decode()
    assert "<sub>" not in response.content.decode()


def test_a_refresh_that_changed_nothing_bumps_no_version(client):
    url = published_session_page(client, "a <sub>b</sub>")
    scopes = [ContentVersion.ALL, ContentVersion.SITE]
    before = ContentVersion.numbers(scopes)
    refresh_after_migrate(plan=[])
    assert ContentVersion.numbers(scopes) == before
    assert client.get(url)["X-Page-Cache"] == "hit"
