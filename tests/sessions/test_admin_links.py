"""Session links in the session admin: an ordered inline whose addresses are checked as every
other web address of the admin, each change in the history, each link on the session page."""

import pytest
from django.contrib.admin.models import LogEntry

from sessions.models import SessionLink
from tests.admin_forms import URL_ERROR
from tests.factories import SessionFactory
from tests.sessions.test_admin import change_url, inline_errors, session_form

pytestmark = pytest.mark.django_db


def links_of(session):
    return list(session.links.values_list("position", "url", "title"))


def test_admin_adds_a_link_and_records_it_in_the_history(admin_client):
    session = SessionFactory()

    response = admin_client.post(
        change_url(session),
        session_form(
            session,
            links=[{"url": "https://example.org/project", "title": "Project", "position": "0"}],
        ),
    )

    assert response.status_code == 302
    assert links_of(session) == [(0, "https://example.org/project", "Project")]
    entry = LogEntry.objects.get(object_id=str(session.pk))
    assert "Added link “Project”." in entry.get_change_message()


def test_admin_edits_reorders_and_deletes_links(admin_client):
    session = SessionFactory()
    first = SessionLink.objects.create(session=session, url="https://a.example/", position=0)
    second = SessionLink.objects.create(session=session, url="https://b.example/", position=1)
    third = SessionLink.objects.create(session=session, url="https://c.example/", position=2)

    response = admin_client.post(
        change_url(session),
        session_form(
            session,
            existing={"links": 3},
            links=[
                {"id": first.pk, "url": first.url, "title": "", "position": "1"},
                {"id": second.pk, "url": "https://b.example/new", "title": "B", "position": "0"},
                {"id": third.pk, "url": third.url, "title": "", "position": "2", "DELETE": "on"},
            ],
        ),
    )

    assert response.status_code == 302
    assert links_of(session) == [
        (0, "https://b.example/new", "B"),
        (1, "https://a.example/", ""),
    ]
    messages = LogEntry.objects.get(object_id=str(session.pk)).get_change_message()
    assert "Changed Url, Title and Position for link “B”." in messages
    assert "Deleted link “https://c.example/”." in messages


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "example.org/no scheme", "https://", "ftp://example.org/file"],
)
def test_admin_refuses_a_bad_link_address_with_a_message_and_saves_nothing(admin_client, url):
    session = SessionFactory()
    title = session.title

    response = admin_client.post(
        change_url(session),
        session_form(session, title="Changed", links=[{"url": url, "position": "0"}]),
    )

    assert response.status_code == 200
    errors, _ = inline_errors(response, "links")
    assert [list(form.get("url", [])) for form in errors] == [[URL_ERROR]]
    assert URL_ERROR in response.content.decode()
    session.refresh_from_db()
    assert (session.title, links_of(session)) == (title, [])


def test_session_page_shows_links_in_order(client):
    session = SessionFactory(is_published=True, event__is_published=True)
    SessionLink.objects.create(session=session, url="https://b.example/", title="B", position=1)
    SessionLink.objects.create(session=session, url="https://a.example/", position=0)

    page = client.get(session.get_absolute_url()).content.decode()

    assert page.index('href="https://a.example/"') < page.index('href="https://b.example/"')
    assert '<a href="https://b.example/" rel="noopener">B</a>' in page
