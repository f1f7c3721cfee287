"""The Organisers group: created by a data migration, able to run the whole programme admin."""

import importlib
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from sessions.models import Session
from tests.admin_forms import shown_on
from tests.factories import (
    ProfileLinkFactory,
    RecordingFactory,
    SessionSpeakerFactory,
    SlideDeckFactory,
    SponsorshipFactory,
)

MIGRATION = importlib.import_module("conference.migrations.0002_organisers_group")
MANAGED = {
    "conference": ["event", "sponsor", "sponsorship"],
    "talks": [
        "session",
        "sessionspeaker",
        "recording",
        "slidedeck",
        "sessionlink",
        "room",
        "track",
    ],
    "speakers": ["speaker", "profilelink"],
    "taggit": ["tag", "taggeditem"],
}
EXPECTED_PERMISSIONS = {
    (label, f"{action}_{model}")
    for label, models in MANAGED.items()
    for model in models
    for action in ("add", "change", "delete", "view")
}

pytestmark = pytest.mark.django_db


def organisers_permissions():
    group = Group.objects.get(name="Organisers")
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def run_migration_function(function):
    """Call one of the migration's functions as the migration executor would."""
    state = MigrationLoader(connection).project_state(("conference", "0002_organisers_group"))
    # The functions only read the database alias from the schema editor.
    function(state.apps, SimpleNamespace(connection=connection))


@pytest.fixture
def programme():
    """One of everything the organisers manage, to fill every list and change page."""
    sponsorship = SponsorshipFactory()
    link = SessionSpeakerFactory(session__event=sponsorship.event)
    ProfileLinkFactory(speaker=link.speaker)
    RecordingFactory(session=link.session)
    SlideDeckFactory(session=link.session)
    link.session.tags.add("kvm")
    return {
        "conference_event": sponsorship.event,
        "conference_sponsor": sponsorship.sponsor,
        "conference_sponsorship": sponsorship,
        "talks_session": link.session,
        "speakers_speaker": link.speaker,
        "taggit_tag": Tag.objects.get(name="kvm"),
    }


def test_organisers_group_permissions_equal_expected_set():
    assert organisers_permissions() == EXPECTED_PERMISSIONS


def test_organisers_group_has_nothing_on_accounts_or_internals():
    internals = {"auth", "contenttypes", "admin", "sessions"}

    assert {label for label, _ in organisers_permissions()} & internals == set()


def test_organisers_migration_run_twice_keeps_one_group_with_same_permissions():
    Group.objects.get(name="Organisers").permissions.add(
        Permission.objects.get(codename="delete_user")
    )

    run_migration_function(MIGRATION.create_organisers_group)
    run_migration_function(MIGRATION.create_organisers_group)

    assert Group.objects.filter(name="Organisers").count() == 1
    assert organisers_permissions() == EXPECTED_PERMISSIONS


def test_organisers_migration_reverse_deletes_group():
    run_migration_function(MIGRATION.delete_organisers_group)

    assert list(Group.objects.values_list("name", flat=True)) == []


@pytest.mark.parametrize(
    "model",
    [
        "conference_event",
        "conference_sponsor",
        "conference_sponsorship",
        "talks_session",
        "speakers_speaker",
        "taggit_tag",
    ],
)
@pytest.mark.parametrize("page", ["changelist", "add", "change"])
def test_admin_pages_show_organiser_what_they_show_superuser(
    organiser_client, superuser, programme, model, page
):
    url = reverse(f"admin:{model}_{page}", args=[programme[model].pk] if page == "change" else [])
    superuser_client = Client()
    superuser_client.force_login(superuser)

    response = organiser_client.get(url)

    assert shown_on(response) == shown_on(superuser_client.get(url))


def test_admin_index_lists_programme_apps_for_organiser(organiser_client):
    response = organiser_client.get(reverse("admin:index"))

    assert {app["app_label"] for app in response.context["app_list"]} == {
        "conference",
        "speakers",
        "talks",
        "taggit",
    }


@pytest.mark.parametrize("url_name", ["admin:auth_user_changelist", "admin:auth_group_changelist"])
def test_admin_accounts_pages_forbidden_for_organiser(organiser_client, url_name):
    response = organiser_client.get(reverse(url_name))

    assert response.status_code == 403


def test_admin_pages_forbidden_for_staff_outside_the_group(client, staff_user):
    client.force_login(staff_user)

    response = client.get(reverse("admin:talks_session_changelist"))

    assert response.status_code == 403


def test_organiser_can_publish_sessions(organiser_client, programme):
    session = programme["talks_session"]
    Session.objects.filter(pk=session.pk).update(is_published=False)

    response = organiser_client.post(
        reverse("admin:talks_session_changelist"),
        {"action": "publish", "_selected_action": [session.pk]},
    )

    assert response.status_code == 302
    assert list(Session.objects.filter(is_published=True)) == [session]


def test_organiser_can_search_speakers_from_session_inline(organiser_client, programme):
    speaker = programme["speakers_speaker"]

    response = organiser_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "talks",
            "model_name": "sessionspeaker",
            "field_name": "speaker",
            "term": speaker.name,
        },
    )

    assert [item["id"] for item in response.json()["results"]] == [str(speaker.pk)]
