"""Imports are recorded in the admin history like organisers' edits: who, when, what, where."""

from io import StringIO

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from conference.models import Event, Sponsor
from sessions.interchange.history import IMPORTER_USERNAME
from sessions.models import Session
from speakers.models import Speaker

REFERENCE_SESSIONS = 36
REFERENCE_SPEAKERS = 44
REFERENCE_SPONSORS = 9


def run(*args):
    call_command("import_roundup", *map(str, args), stdout=StringIO(), stderr=StringIO())


def entries_for(instance):
    return LogEntry.objects.filter(
        content_type__app_label=instance._meta.app_label,
        content_type__model=instance._meta.model_name,
        object_id=str(instance.pk),
    ).order_by("pk")


def revised_copy(reference_roundup, tmp_path, *replacements):
    text = reference_roundup.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / reference_roundup.name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_first_import_records_every_created_object(reference_roundup):
    run(reference_roundup)

    importer = get_user_model().objects.get(username=IMPORTER_USERNAME)
    assert not importer.is_active
    assert not importer.has_usable_password()
    assert not importer.is_staff
    assert set(LogEntry.objects.values_list("user", flat=True)) == {importer.pk}
    added = LogEntry.objects.filter(action_flag=ADDITION)
    assert added.filter(content_type__model="session").count() == REFERENCE_SESSIONS
    assert added.filter(content_type__model="speaker").count() == REFERENCE_SPEAKERS
    assert added.filter(content_type__model="sponsor").count() == REFERENCE_SPONSORS
    event = Event.objects.get()
    assert [entry.get_change_message() for entry in entries_for(event)] == [
        "Roundup import from ccc2023-roundup.md: created.",
        "Roundup import from ccc2023-roundup.md: sessions 36 created.",
    ]
    keynote = Session.objects.get(slug="state-of-the-union")
    (entry,) = entries_for(keynote)
    assert entry.object_repr == "State of the Union"
    assert entry.get_change_message() == "Roundup import from ccc2023-roundup.md, line 37: created."


@pytest.mark.django_db
def test_import_of_unchanged_post_adds_no_history(reference_roundup):
    run(reference_roundup)
    count = LogEntry.objects.count()

    run(reference_roundup)

    assert LogEntry.objects.count() == count


@pytest.mark.django_db
def test_reimport_records_changed_and_deleted_sessions(reference_roundup, tmp_path):
    run(reference_roundup)
    LogEntry.objects.all().delete()
    deleted = Session.objects.get(slug="open-source-is-not-dead")
    deleted_pk = deleted.pk
    revised = revised_copy(
        reference_roundup,
        tmp_path,
        (
            "### Keynote Talk: Open Source is Not Dead,",
            "### Keynote Talk: Open Source is Not Dead (gone),",
        ),
        (
            "In this talk, Wido dives into the specifics",
            "In this talk, Wido den Hollander dives into the specifics",
        ),
        ("embed/NU1b7x2HO_E?", "embed/NU1b7x2HO_F?"),
        (
            "[Rohit Yadav](https://www.linkedin.com/in/rohityadavcloud/)",
            "[Rohit Yadav](https://www.linkedin.com/in/rohityadavcloud/) (ShapeBlue)",
        ),
    )

    run(revised)

    (gone,) = LogEntry.objects.filter(action_flag=DELETION)
    assert (gone.object_id, gone.object_repr) == (str(deleted_pk), deleted.title)
    assert gone.get_change_message() == (
        "Roundup import from ccc2023-roundup.md: deleted: no longer in the post."
    )
    security_groups = Session.objects.get(slug="kvm-security-groups-under-the-hood")
    (changed,) = entries_for(security_groups)
    assert changed.action_flag == CHANGE
    assert changed.get_change_message() == (
        "Roundup import from ccc2023-roundup.md, line 107: changed description, recordings."
    )
    rohit = Speaker.objects.get(name="Rohit Yadav")
    assert [entry.get_change_message() for entry in entries_for(rohit)] == [
        "Roundup import from ccc2023-roundup.md, line 37: changed company."
    ]
    event = Event.objects.get()
    (summary,) = entries_for(event)
    assert summary.get_change_message() == (
        "Roundup import from ccc2023-roundup.md: sessions 1 created, 1 updated, 1 deleted."
    )


@pytest.mark.django_db
def test_import_history_shows_on_the_admin_history_page(admin_client, reference_roundup):
    run(reference_roundup)
    session = Session.objects.get(slug="state-of-the-union")

    page = admin_client.get(reverse("admin:talks_session_history", args=[session.pk]))

    assert page.status_code == 200
    assert IMPORTER_USERNAME in page.text
    assert "Roundup import from ccc2023-roundup.md, line 37: created." in page.text


@pytest.mark.django_db
def test_import_records_under_the_named_user(reference_roundup, superuser):
    call_command(
        "import_roundup",
        str(reference_roundup),
        f"--user={superuser.username}",
        stdout=StringIO(),
    )

    assert set(LogEntry.objects.values_list("user", flat=True)) == {superuser.pk}
    assert not get_user_model().objects.filter(username=IMPORTER_USERNAME).exists()


@pytest.mark.django_db
def test_import_refuses_unknown_user_before_importing(reference_roundup):
    with pytest.raises(CommandError, match="--user nobody: no such user; nothing was imported"):
        call_command("import_roundup", str(reference_roundup), "--user=nobody", stdout=StringIO())

    assert not Event.objects.exists()
    assert not LogEntry.objects.exists()


@pytest.mark.django_db
def test_dry_run_records_nothing(reference_roundup):
    call_command("import_roundup", str(reference_roundup), "--dry-run", stdout=StringIO())

    assert not LogEntry.objects.exists()
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_failed_import_records_nothing(reference_roundup, tmp_path):
    run(reference_roundup)
    count = LogEntry.objects.count()
    broken = revised_copy(
        reference_roundup,
        tmp_path,
        ("### State of the Union,", "### " + "Long " * 100 + ","),
        ("Wido dives into", "Wido den Hollander dives into"),
    )

    with pytest.raises(CommandError):
        run(broken)

    assert LogEntry.objects.count() == count
    assert not Sponsor.objects.filter(name__startswith="Long").exists()
