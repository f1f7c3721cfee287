"""Backups: a whole site survives dumpdata/loaddata unchanged; deletions say what goes with them."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from conference.models import Event
from speakers.models import Speaker
from tests.factories import EventFactory, SessionFactory, SessionSpeakerFactory, SpeakerFactory

SITE_DATA = ["conference", "speakers", "talks", "taggit"]


def dump():
    output = StringIO()
    # The content version is cache bookkeeping: a restore bumps it, on purpose.
    call_command(
        "dumpdata",
        *SITE_DATA,
        exclude=["conference.ContentVersion"],
        natural_foreign=True,  # content types by name: their ids differ between databases
        indent=1,
        stdout=output,
    )
    # dumpdata writes milliseconds: a time with 1-999 microseconds is written ".000Z" and read
    # back as a whole second, which dumpdata then writes "Z". Same instant, same backup.
    return re.sub(r"\.000Z\"", 'Z"', output.getvalue())


@pytest.mark.django_db(transaction=True)
def test_dumpdata_then_loaddata_into_an_empty_site_is_identical(reference_roundup, tmp_path):
    call_command("import_roundup", str(reference_roundup), stdout=StringIO())
    SessionFactory(event=Event.objects.get(), day=3, position=0).tags.add("kvm", "storage")
    backup = tmp_path / "site.json"
    backup.write_text(dump())

    call_command("flush", "--noinput")
    assert not Event.objects.exists()
    call_command("loaddata", str(backup), stdout=StringIO())

    assert dump() == backup.read_text()


@pytest.mark.django_db
def test_deleting_an_event_keeps_speakers_who_speak_elsewhere():
    shared = SpeakerFactory(name="Wido den Hollander")
    leaving = SessionFactory(event=EventFactory(slug="ccc2022"))
    staying = SessionFactory(event=EventFactory(slug="ccc2023"))
    SessionSpeakerFactory(session=leaving, speaker=shared)
    SessionSpeakerFactory(session=staying, speaker=shared)

    leaving.event.delete()

    assert list(Speaker.objects.all()) == [shared]
    assert list(shared.sessions.all()) == [staying]


@pytest.mark.django_db
def test_admin_asks_before_deleting_an_event_and_lists_its_sessions(admin_client):
    event = EventFactory(name="CCC 2023")
    SessionFactory(event=event, title="State of the Union")

    page = admin_client.get(reverse("admin:conference_event_delete", args=[event.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Are you sure" in html
    assert "State of the Union" in html
    assert Event.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_admin_asks_before_deleting_a_speaker_and_lists_their_sessions(admin_client):
    speaker = SpeakerFactory(name="Rohit Yadav")
    SessionSpeakerFactory(speaker=speaker, session=SessionFactory(title="State of the Union"))

    page = admin_client.get(reverse("admin:speakers_speaker_delete", args=[speaker.pk]))

    html = page.content.decode()
    assert "Are you sure" in html
    assert "State of the Union" in html
