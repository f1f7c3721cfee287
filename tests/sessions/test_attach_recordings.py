"""``manage.py attach_recordings``: the confident matches attached once, with history; the
others listed; dry runs and bad files write nothing; the session page shows the recording."""

import re
from io import StringIO

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

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


def test_a_place_without_a_line_is_named_by_its_json_pointer(event, tmp_path):
    path = tmp_path / "playlist.json"
    path.write_text('{"entries": [{"title": "Intro to Django"}]}')
    with pytest.raises(CommandError) as refused:
        attach(event.slug, path)
    assert str(refused.value) == (
        f"{path}: /entries/0: the entry has neither a url nor a YouTube id"
    )


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


# The admin page ------------------------------------------------------------------------------


def page_url(event):
    return reverse("admin:event_attach_recordings", args=[event.pk])


def confirm_url(event):
    return reverse("admin:event_attach_recordings_confirm", args=[event.pk])


def upload(client, event, path):
    return client.post(page_url(event), {"file": SimpleUploadedFile(path.name, path.read_bytes())})


def review_form(response):
    """The confirmation's fields as the page sets them: checked boxes, unchosen selects."""
    html = response.content.decode()
    fields = {"payload": re.search(r'name="payload" value="([^"]+)"', html).group(1)}
    for name, value in re.findall(r'type="checkbox" name="(video-\d+)" value="(\d+)"', html):
        fields[name] = value
    return fields


def candidates_of(response, field):
    html = response.content.decode()
    select = re.search(rf'<select name="{field}".*?</select>', html, re.DOTALL).group(0)
    return re.findall(r'<option value="(\d+)">([^<]+) \(\d+\)</option>', select)


def test_the_event_form_links_to_the_page(organiser_client, event):
    response = organiser_client.get(reverse("admin:conference_event_change", args=[event.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{page_url(event)}"' in html
    # The schedule editor's link is still there: the change form templates chain.
    assert f'href="{reverse("admin:event_schedule", args=[event.pk])}"' in html


def test_upload_shows_the_matches_then_confirm_attaches_the_checked_and_chosen(
    organiser_client, organiser, event, sessions, video_list
):
    response = upload(organiser_client, event, video_list)
    assert response.status_code == 200
    assert recordings() == []  # reviewing writes nothing
    html = response.content.decode()
    assert "Matches in videos.csv" in html
    fields = review_form(response)
    assert sorted(value for name, value in fields.items() if name != "payload") == sorted(
        [str(sessions["django"].pk), str(sessions["postgres"].pk)]
    )
    assert sorted(candidates_of(response, "video-1")) == sorted(
        [
            (str(sessions["day_one"].pk), "Community Update Day 1"),
            (str(sessions["day_two"].pk), "Community Update Day 2"),
        ]
    )
    assert "closest: " in html or "No match" in html
    # The organiser unchecks PostgreSQL's and picks Day 2 for "Community Update".
    del fields["video-2"]
    fields["video-1"] = str(sessions["day_two"].pk)
    response = organiser_client.post(confirm_url(event), fields, follow=True)
    assert response.redirect_chain == [(page_url(event), 302)]
    assert recordings() == [
        ("Community Update Day 2", "video000002", 0),
        ("Intro to Django", "video000001", 0),
    ]
    assert [str(m) for m in response.context["messages"]] == [
        "Attached 2 recordings to “Intro to Django”, “Community Update Day 2”."
    ]
    assert sorted(
        LogEntry.objects.filter(user=organiser).values_list("object_id", flat=True)
    ) == sorted([str(sessions["django"].pk), str(sessions["day_two"].pk)])


def test_confirming_twice_attaches_nothing_twice(organiser_client, event, sessions, video_list):
    fields = review_form(upload(organiser_client, event, video_list))
    organiser_client.post(confirm_url(event), fields, follow=True)
    before, history = recordings(), LogEntry.objects.count()
    response = organiser_client.post(confirm_url(event), fields, follow=True)
    assert recordings() == before
    assert LogEntry.objects.count() == history
    assert [str(m) for m in response.context["messages"]] == [
        "2 videos were attached already: nothing attached twice."
    ]
    # And a new upload of the same list finds them attached.
    html = upload(organiser_client, event, video_list).content.decode()
    assert html.count("attach-recordings__row--already-attached") == 2


def test_a_bad_list_is_refused_on_the_form(organiser_client, event, sessions, tmp_path):
    path = tmp_path / "videos.csv"
    path.write_text(f"title,url\nIntro to Django,{youtube(1)}\nOther,not a link\n")
    response = upload(organiser_client, event, path)
    assert response.status_code == 200
    assert "videos.csv, line 3: “not a link” is not a video this site plays" in (
        response.content.decode()
    )
    assert "payload" not in response.content.decode()
    assert recordings() == []


def test_an_altered_review_is_refused(organiser_client, event, sessions, video_list):
    fields = review_form(upload(organiser_client, event, video_list))
    fields["payload"] = fields["payload"][:-3] + "abc"
    response = organiser_client.post(confirm_url(event), fields, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "This review has expired or was altered: upload the list again."
    ]
    assert recordings() == []


def test_a_review_of_another_event_or_session_is_refused(
    organiser_client, event, sessions, video_list
):
    fields = review_form(upload(organiser_client, event, video_list))
    other = EventFactory()
    response = organiser_client.post(confirm_url(other), fields, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "This review is of another event: upload the list again."
    ]
    fields["video-0"] = str(SessionFactory(event=other).pk)
    response = organiser_client.post(confirm_url(event), fields, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "A chosen session is not one of this event's: nothing was attached."
    ]
    assert recordings() == []


def test_pages_need_the_change_permission_on_sessions(client, event, sessions, video_list):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(codename="change_event"),
        Permission.objects.get(codename="view_session", content_type__app_label="talks"),
    )
    client.force_login(staff)
    assert client.get(page_url(event)).status_code == 403
    assert upload(client, event, video_list).status_code == 403
    assert client.post(confirm_url(event), {"payload": "x"}).status_code == 403
    staff.user_permissions.add(
        Permission.objects.get(codename="change_session", content_type__app_label="talks")
    )
    staff = type(staff).objects.get(pk=staff.pk)  # permissions are cached on the instance
    client.force_login(staff)
    assert client.get(page_url(event)).status_code == 200


def test_anonymous_users_are_sent_to_log_in(client, event):
    response = client.get(page_url(event))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_confirm_needs_post_and_a_csrf_token(event, sessions, organiser):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(organiser)
    assert csrf_client.get(confirm_url(event)).status_code == 405
    assert csrf_client.post(confirm_url(event), {"payload": "x"}).status_code == 403


def test_unknown_event_is_not_found(organiser_client):
    assert (
        organiser_client.get(reverse("admin:event_attach_recordings", args=[999999])).status_code
        == 404
    )


def test_the_page_has_no_inline_script_or_style(organiser_client, event, sessions, video_list):
    html = upload(organiser_client, event, video_list).content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert " style=" not in html
