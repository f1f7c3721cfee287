"""The public session page: what an attendee finds when they open one talk."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import (
    EventFactory,
    RecordingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SlideDeckFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EventFactory(
        name="CloudStack Collaboration Conference 2023",
        slug="ccc-2023",
        start_date=datetime.date(2023, 11, 23),
        end_date=datetime.date(2023, 11, 24),
    )


@pytest.fixture
def session(event):
    session = SessionFactory(
        event=event,
        title="KVM Security Groups Under the Hood",
        slug="kvm-security-groups",
        kind="workshop",
        day=2,
        position=5,
        start_time=datetime.time(14, 30),
        description="How **security groups** work on KVM.",
    )
    SessionSpeakerFactory(
        session=session,
        speaker=SpeakerFactory(name="Wido den Hollander", slug="wido", company="Clouding"),
        position=2,
    )
    SessionSpeakerFactory(
        session=session,
        speaker=SpeakerFactory(name="Rohit Yadav", slug="rohit", company="ShapeBlue"),
        position=1,
    )
    RecordingFactory(session=session, url="https://youtu.be/NU1b7x2HO_E", position=1)
    RecordingFactory(
        session=session,
        url="https://www.youtube.com/watch?v=cCNCmJxxEPA",
        position=2,
        kind="qa",
    )
    SlideDeckFactory(
        session=session, url="https://www.slideshare.net/slideshow/embed_code/key/jpvFeSSAGBIoq0"
    )
    session.tags.add("kvm", "security")
    return session


def test_session_page_shows_breadcrumb_back_to_the_event_day(client, session):
    html = client.get(session.get_absolute_url()).content.decode()

    breadcrumb = re.search(r'<nav class="breadcrumb".*?</nav>', html, re.S).group(0)
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', breadcrumb) == [
        ("/", "Events"),
        ("/events/ccc-2023/", "CloudStack Collaboration Conference 2023"),
        ("/events/ccc-2023/#day-2", "Day 2"),
    ]


def test_session_page_shows_title_kind_day_and_time(client, session):
    html = client.get(session.get_absolute_url()).content.decode()

    assert '<h1 class="session-page__title">KVM Security Groups Under the Hood</h1>' in html
    assert '<span class="badge badge--workshop">Workshop</span>' in html
    assert (
        '<span class="session-meta__day">Day 2 · <time datetime="2023-11-24">'
        "Friday 24 November 2023</time> · 14:30</span>"
    ) in html
    assert (
        "<title>KVM Security Groups Under the Hood · CloudStack Collaboration Conference 2023"
        "</title>"
    ) in html


def test_session_page_lists_speakers_in_order_with_company_and_link(client, session):
    html = client.get(session.get_absolute_url()).content.decode()

    assert re.findall(
        r'<a class="speaker-chip" href="([^"]+)">.*?'
        r'<span class="speaker-chip__name">([^<]+)</span>\s*'
        r'<span class="speaker-chip__company">([^<]+)</span>',
        html,
        re.S,
    ) == [
        ("/speakers/rohit/", "Rohit Yadav", "ShapeBlue"),
        ("/speakers/wido/", "Wido den Hollander", "Clouding"),
    ]
    assert re.findall(r'<span class="avatar [^"]*" aria-hidden="true">([^<]+)</span>', html) == [
        "RY",
        "WH",
    ]


def test_session_page_shows_a_click_to_load_poster_for_every_recording_and_deck(client, session):
    html = client.get(session.get_absolute_url()).content.decode()

    title = "KVM Security Groups Under the Hood"
    assert "<iframe" not in html
    assert re.findall(r'data-embed-src="([^"]+)" [^>]*data-embed-title="([^"]+)"', html) == [
        ("https://www.youtube-nocookie.com/embed/NU1b7x2HO_E?autoplay=1", f"Video: {title}"),
        ("https://www.youtube-nocookie.com/embed/cCNCmJxxEPA?autoplay=1", f"Video: {title}"),
        ("https://www.slideshare.net/slideshow/embed_code/key/jpvFeSSAGBIoq0", f"Slides: {title}"),
    ]
    assert re.findall(r"<figcaption>([^<]+)</figcaption>", html) == ["Full talk", "Q&amp;A"]


def test_session_page_links_a_pdf_deck_instead_of_embedding_it(client, event):
    session = SessionFactory(event=event, title="Object Storage")
    deck = SlideDeckFactory(
        session=session, url="", pdf=SimpleUploadedFile("object-storage.pdf", b"%PDF-1.4")
    )

    html = client.get(session.get_absolute_url()).content.decode()

    assert "<iframe" not in html
    assert "data-embed-src" not in html
    assert re.findall(r'<a class="embed__poster" href="([^"]+)"', html) == [deck.pdf.url]
    assert '<span class="embed__action-text">Open the PDF</span>' in html


def test_session_page_renders_description_markdown_and_tags(client, session):
    html = client.get(session.get_absolute_url()).content.decode()

    assert "How <strong>security groups</strong> work on KVM." in html
    assert re.findall(r'<a class="tag" href="([^"]+)">([^<]+)</a>', html) == [
        ("/tags/kvm/", "kvm"),
        ("/tags/security/", "security"),
    ]


def test_session_page_drops_script_from_description(client, event):
    session = SessionFactory(event=event, description="Hi<script>alert('pwned')</script>")

    html = client.get(session.get_absolute_url()).content.decode()

    assert "alert(" not in html


def test_session_page_without_media_says_so(client, event):
    session = SessionFactory(event=event)

    html = client.get(session.get_absolute_url()).content.decode()

    assert "No recording or slides have been published for this session." in html


def test_session_page_links_previous_and_next_sessions_of_the_programme(client, event):
    first = SessionFactory(event=event, day=1, position=1, title="Opening")
    middle = SessionFactory(event=event, day=1, position=2, title="Middle")
    SessionFactory(event=event, day=1, position=3, title="Hidden", is_published=False)
    last = SessionFactory(event=event, day=2, position=1, title="Closing")

    html = client.get(middle.get_absolute_url()).content.decode()

    assert re.findall(
        r'<a class="pager__link[^"]*" href="([^"]+)" rel="(prev|next)">'
        r'<span class="pager__label">[^<]+</span> ([^<]+)</a>',
        html,
    ) == [
        (first.get_absolute_url(), "prev", "Opening"),
        (last.get_absolute_url(), "next", "Closing"),
    ]


# --- Drafts ---------------------------------------------------------------------------------


def test_session_page_of_unpublished_session_is_not_found(client, session):
    session.is_published = False
    session.save()

    assert client.get(session.get_absolute_url()).status_code == 404


def test_session_page_of_unpublished_event_is_not_found(client, session):
    session.event.is_published = False
    session.event.save()

    assert client.get(session.get_absolute_url()).status_code == 404


def test_session_page_under_another_event_slug_is_not_found(client, session):
    other = EventFactory(slug="ccc-2022")

    response = client.get(f"/events/{other.slug}/sessions/{session.slug}/")

    assert response.status_code == 404


def test_session_page_shows_drafts_to_staff_with_banner(client, staff_user, session):
    session.is_published = False
    session.save()
    client.force_login(staff_user)

    response = client.get(session.get_absolute_url())

    assert response.status_code == 200
    assert "Draft — not visible to attendees." in response.content.decode()


def test_session_page_of_published_session_has_no_draft_banner(client, session):
    html = client.get(session.get_absolute_url()).content.decode()

    assert "Draft — not visible to attendees" not in html
