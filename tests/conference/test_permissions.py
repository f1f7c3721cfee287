"""Who may open what: every admin list and add page and every kind of public page, per role.

Each cell is an exact status code, so a permission that widens or narrows shows up here.
"""

from urllib.parse import quote

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests.factories import (
    EventFactory,
    RecordingFactory,
    SessionFactory,
    SessionSpeakerFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "organiser", "superuser"]
LOGIN = "login"  # a redirect to the admin login page, back to the page asked for

# Every model in the admin → status of its list and add pages for (organiser, superuser).
# Organisers run the programme; accounts and the login-attempt log are for superusers, and
# nobody adds login attempts by hand.
ADMIN_PAGES = {
    "conference.Event": {"changelist": (200, 200), "add": (200, 200)},
    "conference.Sponsor": {"changelist": (200, 200), "add": (200, 200)},
    "conference.Sponsorship": {"changelist": (200, 200), "add": (200, 200)},
    "talks.Session": {"changelist": (200, 200), "add": (200, 200)},
    "talks.ImportJob": {"changelist": (200, 200), "add": (200, 200)},
    "django_tasks_database.DBTaskResult": {"changelist": (403, 200), "add": (403, 403)},
    "speakers.Speaker": {"changelist": (200, 200), "add": (200, 200)},
    "taggit.Tag": {"changelist": (200, 200), "add": (200, 200)},
    "auth.User": {"changelist": (403, 200), "add": (403, 200)},
    "auth.Group": {"changelist": (403, 200), "add": (403, 200)},
    "axes.AccessAttempt": {"changelist": (403, 200), "add": (403, 403)},
    "axes.AccessLog": {"changelist": (403, 200), "add": (403, 403)},
    "axes.AccessFailureLog": {"changelist": (403, 200), "add": (403, 403)},
}


@pytest.fixture
def clients(client, organiser, superuser):
    """One logged-in (or not) client per role."""
    by_role = {"anonymous": client}
    for role, user in [("organiser", organiser), ("superuser", superuser)]:
        by_role[role] = Client()
        by_role[role].force_login(user)
    return by_role


def status(response, url):
    """The status code, or ``LOGIN`` for a redirect to the admin login page with ?next=url."""
    login_url = f"{reverse('admin:login')}?next={quote(url)}"
    if response.status_code == 302 and response["Location"] == login_url:
        return LOGIN
    return response.status_code


def test_admin_pages_table_covers_every_registered_model():
    assert {model._meta.label for model in admin.site._registry} == set(ADMIN_PAGES)


@pytest.mark.parametrize("label", sorted(ADMIN_PAGES))
@pytest.mark.parametrize("page", ["changelist", "add"])
def test_admin_page_status_per_role(clients, label, page):
    app_label, model_name = label.lower().split(".")
    url = reverse(f"admin:{app_label}_{model_name}_{page}")

    statuses = {role: status(clients[role].get(url), url) for role in ROLES}

    organiser, superuser = ADMIN_PAGES[label][page]
    assert statuses == {"anonymous": LOGIN, "organiser": organiser, "superuser": superuser}


def test_admin_index_status_per_role(clients):
    url = reverse("admin:index")

    statuses = {role: status(clients[role].get(url), url) for role in ROLES}

    assert statuses == {"anonymous": LOGIN, "organiser": 200, "superuser": 200}


@pytest.fixture
def published():
    link = SessionSpeakerFactory()
    RecordingFactory(session=link.session)
    link.session.tags.add("kvm")
    return link.session


def public_urls(session):
    event = session.event
    return {
        "home": reverse("conference:event_list"),
        "event": event.get_absolute_url(),
        "session": session.get_absolute_url(),
        "speaker": session.speakers.get().get_absolute_url(),
        "speakers index": reverse("speakers:list"),
        "tag": reverse("talks:tag_detail", args=["kvm"]),
        "search": reverse("talks:search") + "?q=session",
        "export.json": reverse("talks:event_export_json", args=[event.slug]),
        "sessions.ics": reverse("talks:event_ical", args=[event.slug]),
        "roundup.md": reverse("talks:event_export_markdown", args=[event.slug]),
        "rss feed": reverse("feeds:recordings_rss"),
        "atom feed": reverse("feeds:recordings_atom"),
        "sitemap": reverse("sitemap"),
        "robots.txt": reverse("robots"),
    }


# Every kind of public page → status for (anonymous, organiser, superuser).
PUBLIC_PAGES = {
    "home": (200, 200, 200),
    "event": (200, 200, 200),
    "session": (200, 200, 200),
    "speaker": (200, 200, 200),
    "speakers index": (200, 200, 200),
    "tag": (200, 200, 200),
    "search": (200, 200, 200),
    "export.json": (200, 200, 200),
    "sessions.ics": (200, 200, 200),
    "roundup.md": (LOGIN, 200, 200),  # the organisers' download, drafts included
    "rss feed": (200, 200, 200),
    "atom feed": (200, 200, 200),
    "sitemap": (200, 200, 200),
    "robots.txt": (200, 200, 200),
}


def test_public_pages_table_covers_every_page_kind(published):
    assert set(PUBLIC_PAGES) == set(public_urls(published))


@pytest.mark.parametrize("page", list(PUBLIC_PAGES))
def test_public_page_status_per_role(clients, published, page):
    url = public_urls(published)[page]

    statuses = {role: status(clients[role].get(url), url) for role in ROLES}

    assert statuses == dict(zip(ROLES, PUBLIC_PAGES[page], strict=True))


@pytest.fixture
def drafts():
    """A draft event with a session, and a draft session of a published event."""
    draft_event = EventFactory(is_published=False)
    return {
        "draft event": draft_event,
        "session of draft event": SessionFactory(event=draft_event),
        "draft session": SessionFactory(is_published=False),
        "draft speaker": SessionSpeakerFactory(session__is_published=False).speaker,
    }


def draft_urls(drafts):
    draft_event = drafts["draft event"]
    return {
        "draft event": draft_event.get_absolute_url(),
        "draft event export.json": reverse("talks:event_export_json", args=[draft_event.slug]),
        "draft event sessions.ics": reverse("talks:event_ical", args=[draft_event.slug]),
        "session of draft event": drafts["session of draft event"].get_absolute_url(),
        "draft session": drafts["draft session"].get_absolute_url(),
        "speaker of draft session only": drafts["draft speaker"].get_absolute_url(),
    }


@pytest.mark.parametrize(
    "page",
    [
        "draft event",
        "draft event export.json",
        "draft event sessions.ics",
        "session of draft event",
        "draft session",
        "speaker of draft session only",
    ],
)
def test_draft_pages_hidden_from_visitors_shown_to_staff(clients, drafts, page):
    url = draft_urls(drafts)[page]

    statuses = {role: status(clients[role].get(url), url) for role in ROLES}

    assert statuses == {"anonymous": 404, "organiser": 200, "superuser": 200}


def test_draft_pages_not_served_to_visitors_after_staff_opened_them(clients, drafts):
    urls = draft_urls(drafts).values()
    for url in urls:
        clients["organiser"].get(url)

    assert [clients["anonymous"].get(url).status_code for url in urls] == [404] * len(urls)
