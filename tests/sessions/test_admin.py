"""The session admin: list, filters, actions, inlines with positions and URLs, preview."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from taggit.models import Tag

from sessions.models import Recording, Session, SessionSpeaker, SlideDeck
from tests.admin_forms import shown_on
from tests.factories import (
    EventFactory,
    RecordingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SlideDeckFactory,
    SpeakerFactory,
)

CHANGELIST = reverse("admin:talks_session_changelist")
IFRAME_SNIPPET = (
    '<iframe width="560" height="315" '
    'src="https://www.youtube.com/embed/cCNCmJxxEPA?si=x&amp;controls=0" '
    'title="YouTube video player" frameborder="0" allowfullscreen></iframe>'
)
SLIDESHARE_EMBED = "https://www.slideshare.net/slideshow/embed_code/key/hH2CO8kHcQaCQo"

pytestmark = pytest.mark.django_db


def change_url(session):
    return reverse("admin:talks_session_change", args=[session.pk])


def inline_rows(prefix, rows, *, existing=0):
    """POST data of an inline formset; the first ``existing`` rows must carry their ``id``."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(existing),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def session_form(
    session, *, speakers=(), recordings=(), slide_decks=(), links=(), existing=None, **fields
):
    """What the change form posts for ``session``, with the given inline rows."""
    existing = existing or {}
    data = {
        "event": session.event.pk,
        "title": session.title,
        "slug": session.slug,
        "kind": session.kind,
        "description": session.description,
        "tags": "",
        "day": session.day,
        "starts_at_0": "",
        "starts_at_1": "",
        "position": session.position,
        "is_published": "on" if session.is_published else "",
        **fields,
    }
    data.update(inline_rows("session_speakers", speakers, existing=existing.get("speakers", 0)))
    data.update(inline_rows("recordings", recordings, existing=existing.get("recordings", 0)))
    data.update(inline_rows("slide_decks", slide_decks, existing=existing.get("decks", 0)))
    data.update(inline_rows("links", links, existing=existing.get("links", 0)))
    return data


def preview_html(response):
    """The rendered Preview field of the change page."""
    [preview] = [
        field.contents()
        for fieldset in response.context["adminform"]
        if fieldset.name == "Preview"
        for line in fieldset
        for field in line
    ]
    return preview


class IframeCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.iframes = []

    def handle_starttag(self, tag, attrs):
        if tag == "iframe":
            self.iframes.append(dict(attrs))


def preview_iframes(response):
    collector = IframeCollector()
    collector.feed(preview_html(response))
    return collector.iframes


def result_titles(response):
    return [session.title for session in response.context["cl"].result_list]


def inline_errors(response, prefix):
    for formset in response.context["inline_admin_formsets"]:
        if formset.formset.prefix == prefix:
            return [
                form.errors for form in formset.formset.forms
            ], formset.formset.non_form_errors()
    raise AssertionError(f"no inline formset {prefix}")


SESSION_FIELDS = ["event", "title", "slug", "kind", "description", "tags"]
SESSION_FIELDS += ["starts_at", "duration", "room", "track", "language", "day", "position"]
SESSION_FIELDS += ["is_published"]
SESSION_FORM = {
    "fields": SESSION_FIELDS,
    "inlines": ["session_speakers", "recordings", "slide_decks", "links"],
    "can_change": True,
    "can_delete": True,
}


@pytest.mark.parametrize("page", ["changelist", "add", "change"])
def test_session_admin_pages_show_rows_or_form_to_superuser(admin_client, page):
    session = SessionFactory(title="Scaling KVM")
    SessionSpeakerFactory(session=session)
    RecordingFactory(session=session)
    SlideDeckFactory(session=session)
    args = [session.pk] if page == "change" else []
    expected = {
        "changelist": {
            "rows": ["Scaling KVM"],
            "actions": ["delete_selected", "publish", "unpublish"],
            "can_add": True,
        },
        "add": {**SESSION_FORM, "object": None},
        "change": {
            **SESSION_FORM,
            "object": "Scaling KVM",
            "fields": [*SESSION_FIELDS, "opened_at"],
        },
    }[page]

    response = admin_client.get(reverse(f"admin:talks_session_{page}", args=args))

    assert shown_on(response) == expected


def test_session_changelist_columns_show_speakers_in_order_and_media_flags(admin_client):
    session = SessionFactory(title="Scaling KVM")
    SessionSpeakerFactory(session=session, speaker__name="Zoe", position=0)
    SessionSpeakerFactory(session=session, speaker__name="Adam", position=1)
    RecordingFactory(session=session)

    response = admin_client.get(CHANGELIST)

    [row] = response.context["cl"].result_list
    admin = response.context["cl"].model_admin
    assert (admin.speaker_names(row), admin.has_video(row), admin.has_slides(row)) == (
        "Zoe, Adam",
        True,
        False,
    )
    assert "Zoe, Adam" in response.text


@pytest.mark.parametrize("size", [5, 50])
def test_session_changelist_queries_do_not_grow_with_sessions(
    admin_client, django_assert_max_num_queries, size
):
    event = EventFactory()
    for session in SessionFactory.create_batch(size, event=event):
        session.tags.add("cloud")
        SessionSpeakerFactory.create_batch(2, session=session)
        RecordingFactory(session=session)
        SlideDeckFactory(session=session)

    # Two of them list the rooms and tracks for their filters.
    with django_assert_max_num_queries(14):
        response = admin_client.get(CHANGELIST)

    assert len(response.context["cl"].result_list) == size


@pytest.fixture
def programme():
    """Four sessions over two events that differ in every filtered property."""
    cloud, edge = EventFactory(name="Cloud Conf"), EventFactory(name="Edge Conf")
    keynote = SessionFactory(event=cloud, title="Keynote", kind=Session.Kind.KEYNOTE, day=1)
    talk = SessionFactory(event=cloud, title="Talk", day=2)
    SessionFactory(event=cloud, title="Draft", day=2, is_published=False)
    panel = SessionFactory(event=edge, title="Panel", kind=Session.Kind.PANEL)
    RecordingFactory(session=keynote)
    RecordingFactory(session=talk)
    SlideDeckFactory(session=talk)
    SlideDeckFactory(session=panel)
    keynote.tags.add("kvm")
    panel.tags.add("kvm", "networking")
    return {"cloud": cloud, "edge": edge}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"has_video": "yes"}, ["Keynote", "Talk"]),
        ({"has_video": "no"}, ["Draft", "Panel"]),
        ({"has_slides": "yes"}, ["Talk", "Panel"]),
        ({"has_slides": "no"}, ["Keynote", "Draft"]),
        ({"kind__exact": "panel"}, ["Panel"]),
        ({"day": "2"}, ["Talk", "Draft"]),
        ({"is_published__exact": "0"}, ["Draft"]),
        ({"is_published__exact": "1"}, ["Keynote", "Talk", "Panel"]),
        ({"has_video": "yes", "has_slides": "yes"}, ["Talk"]),
    ],
)
def test_session_changelist_filter_returns_matching_sessions(
    admin_client, programme, query, expected
):
    response = admin_client.get(CHANGELIST, query)

    assert sorted(result_titles(response)) == sorted(expected)


def test_session_changelist_filter_by_event_returns_its_sessions(admin_client, programme):
    response = admin_client.get(CHANGELIST, {"event__id__exact": programme["edge"].pk})

    assert result_titles(response) == ["Panel"]


def test_session_changelist_filter_by_tag_returns_tagged_sessions(admin_client, programme):
    networking = Tag.objects.get(name="networking")
    kvm = Tag.objects.get(name="kvm")

    by_networking = admin_client.get(CHANGELIST, {"tags__id__exact": networking.pk})
    by_kvm = admin_client.get(CHANGELIST, {"tags__id__exact": kvm.pk})

    assert result_titles(by_networking) == ["Panel"]
    assert sorted(result_titles(by_kvm)) == ["Keynote", "Panel"]


def test_session_changelist_search_finds_speaker_name(admin_client):
    session = SessionFactory(title="Scaling KVM")
    SessionSpeakerFactory(session=session, speaker__name="Rohit Yadav")
    SessionFactory(title="Other")

    response = admin_client.get(CHANGELIST, {"q": "yadav"})

    assert result_titles(response) == ["Scaling KVM"]


@pytest.mark.parametrize(("action", "published"), [("publish", True), ("unpublish", False)])
def test_session_publish_actions_flip_only_selected_sessions(admin_client, action, published):
    selected = SessionFactory.create_batch(2, is_published=not published)
    untouched = SessionFactory(is_published=not published)

    response = admin_client.post(
        CHANGELIST, {"action": action, "_selected_action": [s.pk for s in selected]}
    )

    assert response.status_code == 302
    flags = dict(Session.objects.values_list("pk", "is_published"))
    assert flags == {
        selected[0].pk: published,
        selected[1].pk: published,
        untouched.pk: not published,
    }
    verb = "published" if published else "unpublished"
    assert [m.message for m in get_messages(response.wsgi_request)] == [f"2 sessions {verb}."]


def test_session_publish_action_counts_only_sessions_that_changed(admin_client):
    already = SessionFactory(is_published=True)
    draft = SessionFactory(is_published=False)

    response = admin_client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [already.pk, draft.pk]}
    )

    assert [m.message for m in get_messages(response.wsgi_request)] == ["1 session published."]
    assert list(Session.objects.filter(is_published=False)) == []


def test_session_change_form_saves_speakers_recordings_and_decks_in_order(admin_client):
    session = SessionFactory()
    first, second = SpeakerFactory(name="Second billed"), SpeakerFactory(name="First billed")

    response = admin_client.post(
        change_url(session),
        session_form(
            session,
            speakers=[{"speaker": first.pk, "position": 2}, {"speaker": second.pk, "position": 1}],
            recordings=[
                {"url": "https://youtu.be/dQw4w9WgXcQ", "kind": "recap", "position": 1},
                {"url": IFRAME_SNIPPET, "kind": "full", "position": 0},
            ],
            slide_decks=[{"url": f" {SLIDESHARE_EMBED}?startSlide=1 ", "position": 0}],
        ),
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    assert session.ordered_speakers == [second, first]
    assert list(session.recordings.values_list("position", "url", "provider", "provider_key")) == [
        (0, "https://www.youtube.com/watch?v=cCNCmJxxEPA", "youtube", "cCNCmJxxEPA"),
        (1, "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "youtube", "dQw4w9WgXcQ"),
    ]
    assert list(session.slide_decks.values_list("url", "provider", "provider_key")) == [
        (SLIDESHARE_EMBED, "slideshare", "hH2CO8kHcQaCQo")
    ]


def test_session_add_form_creates_session_with_inlines(admin_client):
    event, speaker = EventFactory(), SpeakerFactory()
    unsaved = SessionFactory.build(event=event, title="Fresh talk", slug="fresh-talk")

    response = admin_client.post(
        reverse("admin:talks_session_add"),
        session_form(
            unsaved,
            tags="kvm, networking",
            speakers=[{"speaker": speaker.pk, "position": 0}],
            recordings=[{"url": IFRAME_SNIPPET, "kind": "full", "position": 0}],
        ),
    )

    assert response.status_code == 302
    session = Session.objects.get(slug="fresh-talk")
    assert session.ordered_speakers == [speaker]
    assert list(session.recordings.values_list("provider_key", flat=True)) == ["cCNCmJxxEPA"]
    assert sorted(session.tags.names()) == ["kvm", "networking"]


@pytest.mark.parametrize(
    "bad_url",
    [
        "https://www.dailymotion.com/video/x8abcde",
        "https://youtube.com.evil.example/watch?v=abcdefghijk",
        "https://www.youtube.com/watch?v=short",
        "<iframe src='javascript:alert(1)'></iframe>",
    ],
)
def test_session_change_form_rejects_bad_video_url_and_changes_nothing(admin_client, bad_url):
    session = SessionFactory(title="Before")
    speaker = SpeakerFactory()

    response = admin_client.post(
        change_url(session),
        session_form(
            session,
            title="After",
            speakers=[{"speaker": speaker.pk, "position": 0}],
            recordings=[{"url": bad_url, "kind": "full", "position": 0}],
        ),
    )

    assert response.status_code == 200
    form_errors, _ = inline_errors(response, "recordings")
    assert list(form_errors[0]) == ["url"]
    assert form_errors[0]["url"][0] in response.text
    session.refresh_from_db()
    assert (session.title, list(session.speakers.all()), list(session.recordings.all())) == (
        "Before",
        [],
        [],
    )


def test_session_change_form_rejects_bad_slides_url(admin_client):
    session = SessionFactory()

    response = admin_client.post(
        change_url(session),
        session_form(
            session,
            slide_decks=[{"url": "https://www.scribd.com/document/1/some-talk", "position": 0}],
        ),
    )

    form_errors, _ = inline_errors(response, "slide_decks")
    assert list(form_errors[0]) == ["url"]
    assert SlideDeck.objects.count() == 0


def test_session_change_form_rejects_same_video_twice(admin_client):
    session = SessionFactory()

    response = admin_client.post(
        change_url(session),
        session_form(
            session,
            recordings=[
                {"url": "https://youtu.be/cCNCmJxxEPA", "kind": "full", "position": 0},
                {"url": IFRAME_SNIPPET, "kind": "recap", "position": 1},
            ],
        ),
    )

    form_errors, _ = inline_errors(response, "recordings")
    assert form_errors[1]["url"] == ["This video is already attached to this session."]
    assert Recording.objects.count() == 0


def test_session_change_form_rejects_duplicate_speaker_positions(admin_client):
    session = SessionFactory()
    first, second = SpeakerFactory.create_batch(2)

    response = admin_client.post(
        change_url(session),
        session_form(
            session,
            speakers=[{"speaker": first.pk, "position": 0}, {"speaker": second.pk, "position": 0}],
        ),
    )

    _, non_form_errors = inline_errors(response, "session_speakers")
    assert non_form_errors == ["Please correct the duplicate data for position."]
    assert SessionSpeaker.objects.count() == 0


def test_session_change_form_swaps_speaker_positions(admin_client):
    session = SessionFactory()
    first = SessionSpeakerFactory(session=session, position=0)
    second = SessionSpeakerFactory(session=session, position=1)

    response = admin_client.post(
        change_url(session),
        session_form(
            session,
            existing={"speakers": 2},
            speakers=[
                {"id": first.pk, "speaker": first.speaker.pk, "position": 1},
                {"id": second.pk, "speaker": second.speaker.pk, "position": 0},
            ],
        ),
    )

    assert response.status_code == 302
    assert session.ordered_speakers == [second.speaker, first.speaker]


def test_session_change_form_replaces_deleted_recording_at_its_position(admin_client):
    session = SessionFactory()
    old = RecordingFactory(session=session, position=0)

    response = admin_client.post(
        change_url(session),
        session_form(
            session,
            existing={"recordings": 1},
            recordings=[
                {"id": old.pk, "url": old.url, "kind": "full", "position": 0, "DELETE": "on"},
                {"url": "https://youtu.be/dQw4w9WgXcQ", "kind": "full", "position": 0},
            ],
        ),
    )

    assert response.status_code == 302
    assert list(session.recordings.values_list("position", "provider_key")) == [(0, "dQw4w9WgXcQ")]


def test_session_change_form_numbers_empty_rows_after_existing_ones(admin_client):
    session = SessionFactory()
    SessionSpeakerFactory(session=session, position=4)

    response = admin_client.get(change_url(session))

    formset = next(
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.prefix == "session_speakers"
    )
    assert [form.initial.get("position") for form in formset.extra_forms] == [5, 6]


def test_session_change_form_ignores_untouched_numbered_rows(admin_client):
    session = SessionFactory()
    speaker = SpeakerFactory()

    response = admin_client.post(
        change_url(session),
        session_form(
            session,
            speakers=[{"speaker": speaker.pk, "position": 0}, {"speaker": "", "position": 7}],
            recordings=[{"url": "", "kind": "full", "position": 3}],
        ),
    )

    assert response.status_code == 302
    assert list(session.session_speakers.values_list("speaker", "position")) == [(speaker.pk, 0)]
    assert Recording.objects.count() == 0


def test_session_change_page_previews_saved_recordings_and_decks(admin_client):
    session = SessionFactory(title="Opening keynote")
    RecordingFactory(session=session, url=IFRAME_SNIPPET)
    SlideDeckFactory(session=session)
    SlideDeckFactory(session=session, url="https://www.slideshare.net/someone/some-talk")

    response = admin_client.get(change_url(session))

    # The same click-to-load posters as the public pages: no iframe until one is clicked.
    html = preview_html(response)
    assert preview_iframes(response) == []
    assert re.findall(r'data-embed-src="([^"]+)"', html) == [
        "https://www.youtube-nocookie.com/embed/cCNCmJxxEPA?autoplay=1",
        SLIDESHARE_EMBED,
    ]
    assert re.findall(r'data-embed-title="([^"]+)"', html) == [
        "Video: Opening keynote",
        "Slides: Opening keynote",
    ]
    assert 'href="https://www.slideshare.net/someone/some-talk"' in html


def test_session_change_page_preview_links_uploaded_pdf(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    session = SessionFactory()
    deck = SlideDeckFactory(
        session=session, url="", pdf=SimpleUploadedFile("deck.pdf", b"%PDF-1.4\n%%EOF\n")
    )

    response = admin_client.get(change_url(session))

    assert preview_iframes(response) == []
    assert deck.pdf.url.startswith("/media/slides/")
    assert f'href="{deck.pdf.url}"' in preview_html(response)


def test_session_change_page_preview_says_when_nothing_is_saved(admin_client):
    response = admin_client.get(change_url(SessionFactory()))

    assert "No recording or slide deck saved yet." in preview_html(response)


def test_session_change_page_includes_paste_hint_script(admin_client):
    session = SessionFactory()

    response = admin_client.get(change_url(session))

    assert '<script src="/static/admin-extra/session-preview.js"></script>' in response.text
    assert "session-preview.css" in response.text


def test_session_add_page_has_no_preview(admin_client):
    response = admin_client.get(reverse("admin:talks_session_add"))

    assert response.status_code == 200
    assert [name for name, _ in response.context["adminform"].fieldsets] == [
        None,
        "Schedule",
        "Publishing",
    ]


def test_session_change_page_view_on_site_opens_public_page(admin_client):
    session = SessionFactory()

    response = admin_client.get(change_url(session))

    view_on_site = reverse(
        "admin:view_on_site", args=[response.context["content_type_id"], session.pk]
    )
    assert view_on_site in response.text
    assert admin_client.get(view_on_site).url == f"http://testserver{session.get_absolute_url()}"


def test_speaker_autocomplete_for_session_inline_finds_speaker(admin_client):
    SpeakerFactory(name="Rohit Yadav")
    SpeakerFactory(name="Someone Else")

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "talks",
            "model_name": "sessionspeaker",
            "field_name": "speaker",
            "term": "yad",
        },
    )

    assert [item["text"] for item in response.json()["results"]] == ["Rohit Yadav"]
