"""``manage.py export_schedule``: the same bytes as the site serves, valid, and clear messages
for every mistake."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sessions.interchange.snapshot import snapshot_event
from sessions.interchange.writers import WRITERS
from tests.factories import EventFactory, SessionFactory
from tests.sessions.festival import make_festival
from tests.sessions.interchange.writers.frab_schemas import validate_json, validate_xml

SITE = "https://roundups.example.org"


@pytest.fixture
def festival(db):
    return make_festival()


def export(*args, **options):
    stdout, stderr = StringIO(), StringIO()
    call_command("export_schedule", *args, stdout=stdout, stderr=stderr, **options)
    return stdout.getvalue(), stderr.getvalue()


@pytest.mark.parametrize("format_name", ["frab-xml", "frab-json", "csv"])
def test_command_gives_what_the_site_serves(festival, client, format_name):
    output, _ = export(
        "herbst-festival", "--format", format_name, "--base-url", "http://testserver"
    )

    extension = {"frab-xml": "xml", "frab-json": "json", "csv": "csv"}[format_name]
    served = client.get(f"/events/herbst-festival/schedule.{extension}").content
    assert output.encode("utf-8") == served


def test_default_format_is_schedule_xml_from_the_site_url_setting(festival, settings):
    settings.SITE_URL = SITE

    output, _ = export("herbst-festival")

    document = validate_xml(output.encode())
    assert document.findtext("url") == f"{SITE}/events/herbst-festival/schedule.xml"


def test_output_file_is_written_as_utf8_bytes(festival, tmp_path):
    path = tmp_path / "schedule.json"

    output, messages = export(
        "herbst-festival", "-f", "frab-json", "--base-url", f"{SITE}/", "-o", str(path)
    )

    assert output == ""
    assert messages == f"Wrote Herbst & <Hack> Festival (frab-json) to {path}\n"
    text = path.read_bytes().decode("utf-8")
    assert text == WRITERS["frab-json"](
        snapshot_event(festival["event"], sponsorships=False, speaker_links=False), base_url=SITE
    )
    validate_json(text)


def test_csv_file_keeps_its_crlf_rows(festival, tmp_path):
    path = tmp_path / "schedule.csv"

    export("herbst-festival", "-f", "csv", "--base-url", SITE, "-o", str(path))

    assert path.read_bytes().startswith(
        b"\xef\xbb\xbftitle,speakers,date,day,start,duration,room,track,kind,"
    )
    assert b"slug,guid\r\n" in path.read_bytes()


def test_roundup_needs_no_base_url(festival, settings):
    settings.SITE_URL = ""

    output, _ = export("herbst-festival", "--format", "roundup")

    assert output == WRITERS["roundup"](snapshot_event(festival["event"]))
    assert "Secret draft" not in output


def test_drafts_are_never_exported(festival):
    for format_name in ("frab-xml", "frab-json", "csv"):
        output, _ = export("herbst-festival", "-f", format_name, "--base-url", SITE)
        assert "Secret draft" not in output


def test_unpublished_event_is_exported_with_a_note(festival):
    event = festival["event"]
    event.is_published = False
    event.save()

    output, messages = export("herbst-festival", "--base-url", SITE)

    validate_xml(output.encode())
    assert messages == (
        "Note: Herbst & <Hack> Festival is not published, so the session pages the export "
        "links to are not public yet.\n"
    )


def test_unknown_event(db):
    with pytest.raises(CommandError, match=r"^no event with slug 'nowhere'$"):
        export("nowhere", "--base-url", SITE)


def test_frab_format_without_timed_sessions_says_what_to_do(db):
    event = EventFactory(name="Roundup Days", slug="roundup-days")
    SessionFactory(event=event)
    SessionFactory(event=event, starts_at=event.moment(1, datetime.time(9)), is_published=False)

    with pytest.raises(CommandError) as error:
        export("roundup-days", "-f", "frab-json", "--base-url", SITE)

    assert str(error.value) == (
        "Roundup Days has no published session with a time, and a frab schedule places each at "
        "one: give them times, or use --format csv or roundup"
    )
    output, _ = export("roundup-days", "-f", "csv", "--base-url", SITE)
    assert output.count("\r\n") == 2  # the header and the untimed session


def test_missing_base_url_is_explained(festival, settings):
    settings.SITE_URL = ""

    with pytest.raises(CommandError) as error:
        export("herbst-festival", "-f", "csv")

    assert str(error.value) == (
        "csv holds absolute links: give --base-url https://your.site (or set SITE_URL)"
    )


@pytest.mark.parametrize(
    ("base_url", "message"),
    [
        ("roundups.example.org", "is not an http(s) address such as https://example.org"),
        ("ftp://roundups.example.org", "is not an http(s) address such as https://example.org"),
        ("https://", "is not an http(s) address such as https://example.org"),
        ("https://example.org/site/", "must be the site's address only"),
        ("https://example.org/?x=1", "must be the site's address only"),
        ("https://user@example.org", "must be the site's address only"),
    ],
)
def test_bad_base_url_is_refused(festival, base_url, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        export("herbst-festival", "--base-url", base_url)


def test_unwritable_output_is_a_clear_error(festival, tmp_path):
    with pytest.raises(CommandError, match=r"^cannot write .*: No such file or directory$"):
        export("herbst-festival", "--base-url", SITE, "-o", str(tmp_path / "no" / "such.xml"))


def test_unknown_format_is_refused(festival):
    with pytest.raises(CommandError, match="invalid choice: 'pdf'"):
        export("herbst-festival", "--format", "pdf")
