"""``manage.py freeze``: the frozen site, served by a plain static server, is whole (every
internal link answers 200), holds no draft, carries the live headers in ``_headers``, and a
second run rewrites only what changed."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from conference.caching import page_query
from conference.models import Event
from sessions.freeze import HEADERS_FILE, MANIFEST, Freezer, output_path
from sessions.models import Session
from tests.sessions.festival import make_festival
from tests.sessions.static_site import crawl, serve_folder, sitemap_paths

BASE_URL = "https://roundups.example.org"


def freeze(output, *args):
    out = StringIO()
    call_command("freeze", "--output", str(output), "--base-url", BASE_URL, *args, stdout=out)
    return out.getvalue()


def counts(message):
    """(written, unchanged, removed) from the command's summary line."""
    words = message.replace(",", "").replace(".", "").split()
    return tuple(int(words[words.index(name) - 1]) for name in ("written", "unchanged", "removed"))


def snapshot(folder):
    return {
        path.relative_to(folder).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in folder.rglob("*")
        if path.is_file() and path.name != MANIFEST
    }


@pytest.fixture
def site(reference_event, tmp_path):
    festival = make_festival()
    output = tmp_path / "site"
    message = freeze(output)
    return reference_event, festival, output, message


def test_every_internal_link_of_the_frozen_site_answers(site):
    reference, festival, output, _ = site
    with serve_folder(output) as origin:
        pages, broken = crawl(origin, "/")
        missing_from_sitemap = [
            path
            for path in sitemap_paths(origin, BASE_URL)
            if not (output / path.lstrip("/")).exists()
        ]
    assert broken == []
    assert missing_from_sitemap == []
    for expected in [
        "/",
        f"/events/{reference.slug}/",
        f"/events/{festival['event'].slug}/schedule/",
        f"/events/{festival['event'].slug}/agenda/",
        "/speakers/",
    ]:
        assert expected in pages
    assert len(pages) > 60


def test_drafts_and_unpublished_events_are_absent(reference_event, tmp_path):
    festival = make_festival()
    hidden = Event.objects.create(
        name="Hidden event",
        slug="hidden-event",
        start_date=reference_event.start_date,
        end_date=reference_event.end_date,
        is_published=False,
    )
    output = tmp_path / "site"
    freeze(output)
    every_byte = b"".join(path.read_bytes() for path in output.rglob("*") if path.is_file())
    assert b"Secret draft" not in every_byte
    assert b"secret-draft" not in every_byte
    assert not (output / "events" / hidden.slug).exists()
    assert (output / "events" / festival["event"].slug / "index.html").exists()


def test_files_have_the_names_a_static_server_types_right(site):
    reference, festival, output, _ = site
    event = output / "events" / festival["event"].slug
    for name in ["export.json", "sessions.ics", "schedule.xml", "schedule.json", "schedule.csv"]:
        assert (event / name).is_file()
    assert (output / "sitemap.xml").read_bytes().count(BASE_URL.encode()) > 30
    assert (output / "robots.txt").read_text().endswith(f"Sitemap: {BASE_URL}/sitemap.xml\n")
    assert (output / "feeds" / "recordings.rss").is_file()
    with serve_folder(output) as origin:
        from urllib.request import urlopen

        def content_type(path):
            with urlopen(origin + path) as response:
                return response.headers["Content-Type"].split(";")[0]

        types = {
            name: content_type(f"/events/{festival['event'].slug}/{name}")
            for name in ["export.json", "sessions.ics", "schedule.xml", "schedule.csv"]
        }
        types["page"] = content_type(f"/events/{reference.slug}/")
    assert types == {
        "export.json": "application/json",
        "sessions.ics": "text/calendar",
        "schedule.xml": "application/xml",
        "schedule.csv": "text/csv",
        "page": "text/html",
    }


def test_headers_file_holds_the_live_pages_headers(site, client):
    reference, _, output, _ = site
    live = client.get(f"/events/{reference.slug}/", secure=True)
    rules = (output / HEADERS_FILE).read_text().splitlines()
    assert rules[1] == "/*"
    written = dict(line.strip().split(": ", 1) for line in rules[2:])
    policy = live["Content-Security-Policy"].replace(
        "form-action 'self'", f"form-action 'self' {BASE_URL}"
    )
    assert written["Content-Security-Policy"] == policy
    for name in ["X-Frame-Options", "Referrer-Policy", "X-Content-Type-Options"]:
        assert written[name] == live[name]


def test_links_that_need_the_server_point_at_the_live_site(site):
    _reference, festival, output, _ = site
    home = (output / "index.html").read_text()
    assert f'action="{BASE_URL}/search/"' in home
    agenda = (output / "events" / festival["event"].slug / "agenda" / "index.html").read_text()
    assert f'data-ical="{BASE_URL}/events/{festival["event"].slug}/agenda.ics"' in agenda
    # The schedule's filter links stay on the frozen page: its script applies the query.
    session = Session.objects.published().filter(event=festival["event"], day=1).first()
    page = output / "events" / festival["event"].slug / "sessions" / session.slug / "index.html"
    assert f'href="/events/{festival["event"].slug}/schedule/?day=1"' in page.read_text()


def test_second_run_writes_nothing_when_nothing_changed(site):
    _, _, output, first = site
    before = snapshot(output)
    second = freeze(output)
    written, unchanged, removed = counts(second)
    assert (written, removed) == (0, 0)
    assert unchanged == counts(first)[0]
    assert snapshot(output) == before


def test_an_edit_rewrites_exactly_the_changed_files(site):
    reference, festival, output, _ = site
    before = snapshot(output)
    session = Session.objects.published().filter(event=festival["event"]).first()
    session.title = "A title edited after the freeze"
    session.save()
    written, _, removed = counts(freeze(output))
    after = snapshot(output)
    changed = {name for name in after if after[name][0] != before[name][0]}
    rewritten = {name for name in after if after[name][1] != before[name][1]}
    assert rewritten == changed
    assert written == len(changed)
    assert removed == 0
    assert f"events/{festival['event'].slug}/sessions/{session.slug}/index.html" in changed
    assert not any(name.startswith(f"events/{reference.slug}/sessions/") for name in changed)


def test_a_removed_session_page_disappears(site):
    _, festival, output, _ = site
    session = Session.objects.published().filter(event=festival["event"]).first()
    folder = output / "events" / festival["event"].slug / "sessions" / session.slug
    assert (folder / "index.html").is_file()
    before = set(snapshot(output))
    session.delete()
    _, _, removed = counts(freeze(output))
    gone = before - set(snapshot(output))
    assert not folder.exists()
    prefix = f"events/{festival['event'].slug}/sessions/{session.slug}/"
    assert {prefix + "index.html", prefix + "session.ics"} <= gone
    assert removed == len(gone)
    manifest = json.loads((output / MANIFEST).read_text())["files"]
    assert f"events/{festival['event'].slug}/sessions/{session.slug}/index.html" not in manifest


def test_files_the_freeze_did_not_write_are_kept(site):
    _, _, output, _ = site
    (output / "CNAME").write_text("roundups.example.org\n")
    freeze(output)
    assert (output / "CNAME").read_text() == "roundups.example.org\n"


def test_one_event_is_frozen_alone_and_links_elsewhere_to_the_live_site(reference_event, tmp_path):
    festival = make_festival()
    output = tmp_path / "one"
    freeze(output, "--event", festival["event"].slug)
    assert (output / "events" / festival["event"].slug / "index.html").is_file()
    assert not (output / "events" / reference_event.slug).exists()
    assert not (output / "index.html").exists()
    page = (output / "events" / festival["event"].slug / "index.html").read_text()
    assert f'href="{BASE_URL}/speakers/' in page
    with serve_folder(output) as origin:
        _, broken = crawl(origin, f"/events/{festival['event'].slug}/")
    assert broken == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--event", "no-such-event"], "No published event has the slug 'no-such-event'."),
        (["--base-url", "ftp://example.org"], "is not an http(s) address"),
    ],
)
def test_bad_input_is_refused(reference_event, tmp_path, args, message):
    output = tmp_path / "site"
    with pytest.raises(CommandError) as raised:
        call_command("freeze", "--output", str(output), "--base-url", BASE_URL, *args)
    assert message in str(raised.value)
    assert not output.exists() or list(output.iterdir()) == []


def test_an_output_folder_that_cannot_be_written_is_refused(db, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(CommandError) as raised:
        call_command("freeze", "--output", str(blocker / "site"), "--base-url", BASE_URL)
    assert str(raised.value).startswith(f"Cannot write to {blocker / 'site'}")


def headers_rules(output):
    """``{pattern: {name: value}}`` of the folder's ``_headers`` file."""
    rules, pattern = {}, None
    for line in (output / HEADERS_FILE).read_text().splitlines()[1:]:
        if line.startswith(" "):
            name, value = line.strip().split(": ", 1)
            rules[pattern][name] = value
        else:
            pattern = line
            rules[pattern] = {}
    return rules


def test_one_event_frozen_alone_gets_the_headers_file(reference_event, tmp_path, client):
    festival = make_festival()
    output = tmp_path / "one"
    freeze(output, "--event", festival["event"].slug)
    live = client.get(festival["event"].get_absolute_url(), secure=True)
    rules = headers_rules(output)
    assert list(rules) == ["/*"]
    policy = live["Content-Security-Policy"].replace(
        "form-action 'self'", f"form-action 'self' {BASE_URL}"
    )
    assert rules["/*"]["Content-Security-Policy"] == policy
    for name in ["X-Frame-Options", "Referrer-Policy", "X-Content-Type-Options"]:
        assert rules["/*"][name] == live[name]


def test_one_event_frozen_into_the_whole_site_keeps_its_headers_file(site):
    _, festival, output, _ = site
    before = (output / HEADERS_FILE).read_text()
    freeze(output, "--event", festival["event"].slug)
    assert (output / HEADERS_FILE).read_text() == before


def freeze_recording_renders(output, *args):
    """Freeze; the paths the run rendered (not kept from the last run)."""
    rendered = set()
    original = Freezer.freeze_url

    def recording(self, client, path):
        before = self.rendered
        links = original(self, client, path)
        if self.rendered > before:
            rendered.add(path)
        return links

    Freezer.freeze_url = recording
    try:
        freeze(output, *args)
    finally:
        Freezer.freeze_url = original
    return rendered


def never_cached(paths):
    """The paths whose view the live page cache never stores (their content is not covered by
    the content versions): a later run renders them every time."""
    return {path for path in paths if page_query(path) is None}


def test_second_run_renders_no_page_when_nothing_changed(site):
    reference, _, output, _ = site
    first_paths = set(json.loads((output / MANIFEST).read_text())["pages"])
    rendered = freeze_recording_renders(output)
    assert first_paths
    assert first_paths.isdisjoint(rendered)
    # Rendered again: pages the live site never caches, and seeds that answer no page (the
    # reference event is untimed: no schedule).
    without_page = {path for path in rendered if not (output / output_path(path)).exists()}
    assert rendered == never_cached(rendered) | without_page
    assert without_page == {
        f"/events/{reference.slug}/{name}"
        for name in ["schedule/", "agenda/", "schedule.xml", "schedule.json"]
    }


def test_an_edit_renders_again_only_the_pages_it_may_change(site):
    reference, festival, output, _ = site
    session = Session.objects.published().filter(event=reference).first()
    session.title = "A title edited after the freeze"
    session.save()
    rendered = freeze_recording_renders(output)
    rendered -= never_cached(rendered)
    assert f"/events/{reference.slug}/sessions/{session.slug}/" in rendered
    assert "/" in rendered  # a cross-event page
    assert not any(path.startswith(f"/events/{festival['event'].slug}/") for path in rendered)
    assert (
        output / "events" / reference.slug / "sessions" / session.slug / "index.html"
    ).read_text().count("A title edited after the freeze") > 0


def test_incremental_output_is_the_output_of_a_fresh_freeze(site, tmp_path):
    reference, festival, output, _ = site
    session = Session.objects.published().filter(event=festival["event"]).first()
    session.title = "A title edited after the freeze"
    session.save()
    (output / "events" / reference.slug / "index.html").write_text("edited by hand")
    freeze(output)
    fresh = tmp_path / "fresh"
    freeze(fresh)

    def contents(folder):
        return {name: body for name, (body, _) in snapshot(folder).items()}

    assert contents(output) == contents(fresh)


def test_an_untimed_event_without_a_schedule_logs_no_missing_page(
    reference_event, tmp_path, caplog
):
    caplog.set_level("WARNING", logger="django.request")
    freeze(tmp_path / "site", "--event", reference_event.slug)
    assert [record.getMessage() for record in caplog.records] == []
    assert not (
        tmp_path / "site" / output_path(f"/events/{reference_event.slug}/schedule/")
    ).exists()
