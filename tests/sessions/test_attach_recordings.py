"""``manage.py attach_recordings``: the confident matches attached once, with history; the
others listed; dry runs and bad files write nothing; the session page shows the recording."""

from io import StringIO

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.management import CommandError, call_command

from sessions.interchange.history import IMPORTER_USERNAME
from sessions.models import Recording
from tests.factories import (
    EventFactory,
    RecordingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    UserFactory,
)
from tests.sessions.interchange.test_recordings_matching import FRAB_WITH_LINKS, GUID_KEYNOTE

pytestmark = pytest.mark.django_db


def youtube(n):
    return f"https://www.youtube.com/watch?v=video{n:06d}"


@pytest.fixture
def event():
    return EventFactory(name="PyCon Atlantis 2024", slug="pycon-atlantis-2024")


@pytest.fixture
def sessions(event):
    django = SessionFactory(event=event, title="Intro to Django")
    SessionSpeakerFactory(session=django, speaker=SpeakerFactory(name="Jane Doe"))
    day_one = SessionFactory(event=event, title="Community Update Day 1")
    day_two = SessionFactory(event=event, title="Community Update Day 2")
    postgres = SessionFactory(event=event, title="Scaling PostgreSQL at ACME")
    return {"django": django, "day_one": day_one, "day_two": day_two, "postgres": postgres}


@pytest.fixture
def video_list(tmp_path):
    path = tmp_path / "videos.csv"
    path.write_text(
        "title,url,speakers\n"
        f"Intro to Djnago - Jane Doe,{youtube(1)},\n"
        f"Community Update,{youtube(2)},\n"
        f"Closing party highlights,{youtube(3)},\n"
        f"PyCon Atlantis 2024 | scaling postgresql at acme,{youtube(4)},\n",
        encoding="utf-8",
    )
    return path


def attach(*args):
    out, err = StringIO(), StringIO()
    call_command("attach_recordings", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def recordings():
    return sorted(
        (recording.session.title, recording.provider_key, recording.position)
        for recording in Recording.objects.select_related("session")
    )


def test_confident_matches_are_attached_and_the_others_listed(event, sessions, video_list):
    out, _err = attach(event.slug, video_list)
    assert recordings() == [
        ("Intro to Django", "video000001", 0),
        ("Scaling PostgreSQL at ACME", "video000004", 0),
    ]
    lines = out.splitlines()
    assert lines[0].startswith(
        f"attached: line 2: “Intro to Djnago - Jane Doe” {youtube(1)} → “Intro to Django” (score "
    )
    assert lines[1].startswith(f"ambiguous: line 3: “Community Update” {youtube(2)} → one of ")
    assert "“Community Update Day 1” (" in lines[1]
    assert "“Community Update Day 2” (" in lines[1]
    assert lines[2].startswith(f"unmatched: line 4: “Closing party highlights” {youtube(3)}")
    assert lines[3].startswith("attached: line 5:")
    assert lines[4] == "PyCon Atlantis 2024: 2 attached, 1 ambiguous, 1 unmatched."


def test_running_again_attaches_nothing_twice(event, sessions, video_list):
    attach(event.slug, video_list)
    before = recordings()
    history = LogEntry.objects.count()
    out, _err = attach(event.slug, video_list)
    assert recordings() == before
    assert LogEntry.objects.count() == history
    assert out.splitlines()[0] == (
        f"already attached: line 2: “Intro to Djnago - Jane Doe” {youtube(1)} → “Intro to Django”"
    )
    assert out.splitlines()[-1] == (
        "PyCon Atlantis 2024: 2 already attached, 1 ambiguous, 1 unmatched."
    )


def test_new_recordings_go_after_the_sessions_own(event, sessions, video_list):
    RecordingFactory(session=sessions["django"], url=youtube(9), position=3)
    attach(event.slug, video_list)
    assert [
        (r.provider_key, r.position) for r in sessions["django"].recordings.order_by("position")
    ] == [("video000009", 3), ("video000001", 4)]


def test_dry_run_writes_nothing(event, sessions, video_list):
    out, _err = attach(event.slug, video_list, "--dry-run")
    assert recordings() == []
    assert LogEntry.objects.count() == 0
    assert out.splitlines()[0].startswith("would attach: line 2:")
    assert out.splitlines()[-1] == (
        "PyCon Atlantis 2024: 2 to attach, 1 ambiguous, 1 unmatched (dry run: nothing was written)."
    )


def test_history_entries_name_the_file_line_and_user(event, sessions, video_list):
    organiser = UserFactory(username="olga")
    attach(event.slug, video_list, "--user", "olga")
    entries = LogEntry.objects.order_by("object_id")
    assert [(e.user, e.object_id, e.action_flag, e.change_message) for e in entries] == [
        (
            organiser,
            str(sessions["django"].pk),
            CHANGE,
            f"Recording attached from videos.csv, line 2: {youtube(1)} "
            "(“Intro to Djnago - Jane Doe”).",
        ),
        (
            organiser,
            str(sessions["postgres"].pk),
            CHANGE,
            f"Recording attached from videos.csv, line 5: {youtube(4)} "
            "(“PyCon Atlantis 2024 | scaling postgresql at acme”).",
        ),
    ]


def test_without_user_the_history_is_the_importers(event, sessions, video_list):
    attach(event.slug, video_list)
    assert set(LogEntry.objects.values_list("user__username", flat=True)) == {IMPORTER_USERNAME}


def test_frab_file_matches_by_guid_then_title(event, tmp_path):
    keynote = SessionFactory(event=event, title="Opening keynote", guid=GUID_KEYNOTE)
    packaging = SessionFactory(event=event, title="Hands-on packaging")
    path = tmp_path / "schedule.xml"
    path.write_text(FRAB_WITH_LINKS, encoding="utf-8")
    attach(event.slug, path)
    assert recordings() == [
        (packaging.title, "76979871", 0),
        (keynote.title, "frabvideo01", 0),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("title,url\nIntro to Django,https://example.org/page\n", ":2: “https://example.org/page”"),
        ("speaker,when\n", ":1: the header must name a title and a url column"),
        ("", ":1: the file is empty"),
    ],
)
def test_bad_file_exits_non_zero_and_writes_nothing(event, sessions, tmp_path, content, message):
    path = tmp_path / "videos.csv"
    path.write_text(content)
    with pytest.raises(CommandError) as refused:
        attach(event.slug, path)
    assert str(refused.value).startswith(f"{path}{message}")
    assert recordings() == []
    assert LogEntry.objects.count() == 0


def test_a_good_first_row_is_not_attached_when_a_later_row_is_bad(event, sessions, tmp_path):
    path = tmp_path / "videos.csv"
    path.write_text(f"title,url\nIntro to Django,{youtube(1)}\nOther,not a link\n")
    with pytest.raises(CommandError, match=r"videos.csv:3: “not a link” is not a video"):
        attach(event.slug, path)
    assert recordings() == []


def test_missing_file_unknown_event_and_unknown_user(event, video_list, tmp_path):
    with pytest.raises(CommandError, match=r"missing.csv:1: no such file"):
        attach(event.slug, tmp_path / "missing.csv")
    with pytest.raises(CommandError, match=r"No event has the slug 'nope'"):
        attach("nope", video_list)
    with pytest.raises(CommandError, match=r"No user is called 'ghost'"):
        attach(event.slug, video_list, "--user", "ghost")


def test_the_cached_session_page_shows_the_recording_once_attached(
    client, event, sessions, video_list
):
    page = sessions["django"].get_absolute_url()
    assert "video000001" not in client.get(page).content.decode()  # now cached
    attach(event.slug, video_list)
    assert "video000001" in client.get(page).content.decode()
