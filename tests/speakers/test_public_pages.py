"""The public speaker pages: the A to Z index and each speaker's page."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.factories import (
    EventFactory,
    ProfileLinkFactory,
    RecordingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db


def give_session(speaker, **session_fields):
    session = SessionFactory(**session_fields)
    SessionSpeakerFactory(session=session, speaker=speaker)
    return session


def index_entries(html):
    """(letter, [(href, name, company or "", count text)]) of the index, in page order."""
    groups = re.findall(
        r'<h2 class="letter-group__letter" id="[^"]+">([^<]+)</h2>(.*?)</section>', html, re.S
    )
    return [
        (
            letter,
            re.findall(
                r'<a class="speaker-card" href="([^"]+)">.*?'
                r'<span class="speaker-card__name">([^<]+)</span>\s*'
                r'(?:<span class="speaker-card__company">([^<]+)</span>\s*)?'
                r'<span class="speaker-card__count">([^<]+)</span>',
                body,
                re.S,
            ),
        )
        for letter, body in groups
    ]


# --- Index ----------------------------------------------------------------------------------


def test_speaker_index_groups_speakers_a_to_z_with_company_and_session_count(client):
    event = EventFactory()
    wido = SpeakerFactory(name="wido den Hollander", slug="wido", company="Clouding")
    emile = SpeakerFactory(name="Émile Zola", slug="emile", company="")
    ana = SpeakerFactory(name="Ana Andrić", slug="ana", company="Vates")
    zed = SpeakerFactory(name="Zed", slug="zed", company="LINBIT")
    digits = SpeakerFactory(name="42 Crew", slug="crew", company="Your.Online")
    give_session(wido, event=event)
    give_session(wido, event=event)
    for speaker in (emile, ana, zed, digits):
        give_session(speaker, event=event)

    html = client.get(reverse("speakers:list")).content.decode()

    assert index_entries(html) == [
        ("#", [("/speakers/crew/", "42 Crew", "Your.Online", "1 session")]),
        ("A", [("/speakers/ana/", "Ana Andrić", "Vates", "1 session")]),
        ("E", [("/speakers/emile/", "Émile Zola", "", "1 session")]),
        ("W", [("/speakers/wido/", "wido den Hollander", "Clouding", "2 sessions")]),
        ("Z", [("/speakers/zed/", "Zed", "LINBIT", "1 session")]),
    ]
    assert re.findall(r'<li><a href="(#letter-[^"]+)">([^<]+)</a></li>', html) == [
        ("#letter-other", "#"),
        ("#letter-a", "A"),
        ("#letter-e", "E"),
        ("#letter-w", "W"),
        ("#letter-z", "Z"),
    ]


def test_speaker_index_draws_initials_for_speakers_without_photo(client):
    give_session(SpeakerFactory(name="Rohit Yadav"))

    html = client.get(reverse("speakers:list")).content.decode()

    avatars = re.findall(
        r'<span class="avatar avatar--medium [^"]*" aria-hidden="true">(\w+)<', html
    )
    assert avatars == ["RY"]


def test_speaker_index_leaves_out_speakers_of_drafts_only(client):
    published = SpeakerFactory(name="Published Person")
    draft_only = SpeakerFactory(name="Draft Person")
    in_draft_event = SpeakerFactory(name="Draft Event Person")
    SpeakerFactory(name="Nobody Yet")
    give_session(published)
    give_session(published, is_published=False)
    give_session(draft_only, is_published=False)
    give_session(in_draft_event, event=EventFactory(is_published=False))

    html = client.get(reverse("speakers:list")).content.decode()

    assert [name for _, entries in index_entries(html) for _, name, _, _ in entries] == [
        "Published Person"
    ]
    assert "1 session<" in html


def test_speaker_index_shows_staff_the_speakers_of_drafts(client, staff_user):
    give_session(SpeakerFactory(name="Draft Person"), is_published=False)
    client.force_login(staff_user)

    html = client.get(reverse("speakers:list")).content.decode()

    assert [name for _, entries in index_entries(html) for _, name, _, _ in entries] == [
        "Draft Person"
    ]


# --- Speaker page ---------------------------------------------------------------------------


@pytest.fixture
def wido():
    speaker = SpeakerFactory(
        name="Wido den Hollander",
        slug="wido-den-hollander",
        company="Clouding",
        bio="Builds **clouds**.<script>alert('bio')</script>",
    )
    ProfileLinkFactory(speaker=speaker, kind="linkedin", url="https://www.linkedin.com/in/widodh/")
    ProfileLinkFactory(speaker=speaker, kind="github", url="https://github.com/wido")
    ProfileLinkFactory(speaker=speaker, kind="website", url="https://widodh.nl/")
    return speaker


def test_speaker_page_shows_name_company_bio_and_profile_links(client, wido):
    give_session(wido)

    html = client.get(wido.get_absolute_url()).content.decode()

    assert '<h1 class="speaker-profile__name">Wido den Hollander</h1>' in html
    assert '<p class="speaker-profile__company">Clouding</p>' in html
    assert "Builds <strong>clouds</strong>." in html
    assert "alert(" not in html
    links = re.findall(r'<a class="profile-link[^"]*" href="([^"]+)" rel="([^"]+)">([^<]+)<', html)
    assert links == [
        ("https://www.linkedin.com/in/widodh/", "nofollow noopener", "LinkedIn"),
        ("https://github.com/wido", "nofollow noopener", "GitHub"),
        ("https://widodh.nl/", "nofollow noopener", "Website"),
    ]


def test_speaker_page_lists_published_sessions_newest_event_first(client, wido):
    older = EventFactory(name="CCC 2022", start_date=datetime.date(2022, 11, 14), end_date=None)
    newer = EventFactory(name="CCC 2023", start_date=datetime.date(2023, 11, 23))
    draft_event = EventFactory(name="CCC 2025", start_date=datetime.date(2025, 1, 1), end_date=None)
    give_session(wido, event=older, title="Ceph and CloudStack", day=1)
    reuse = give_session(wido, event=newer, title="Re-use Old Hardware", day=2, kind="keynote")
    kvm = give_session(wido, event=newer, title="KVM Security Groups", day=1)
    give_session(wido, event=newer, title="Secret Roadmap", day=1, is_published=False)
    give_session(wido, event=draft_event, title="Future Talk", is_published=True)
    draft_event.is_published = False
    draft_event.save()
    RecordingFactory(session=kvm)

    html = client.get(wido.get_absolute_url()).content.decode()

    rows = re.findall(
        r'<p class="session-row__event"><a href="([^"]+)">([^<]+)</a>.*?<span>(Day \d)</span></p>'
        r'\s*<h3 class="session-row__title"><a href="([^"]+)">([^<]+)</a></h3>',
        html,
        re.S,
    )
    ceph = older.sessions.get()
    assert rows == [
        (newer.get_absolute_url(), "CCC 2023", "Day 1", kvm.get_absolute_url(), kvm.title),
        (newer.get_absolute_url(), "CCC 2023", "Day 2", reuse.get_absolute_url(), reuse.title),
        (older.get_absolute_url(), "CCC 2022", "Day 1", ceph.get_absolute_url(), ceph.title),
    ]
    assert html.count('<span class="media-flag media-flag--video">Video</span>') == 1
    assert html.count('<span class="badge badge--keynote">Keynote</span>') == 1


def test_speaker_page_of_speaker_with_drafts_only_is_not_found(client, wido):
    give_session(wido, is_published=False)

    assert client.get(wido.get_absolute_url()).status_code == 404


def test_speaker_page_of_speaker_without_sessions_is_not_found(client, wido):
    assert client.get(wido.get_absolute_url()).status_code == 404


def test_speaker_page_shows_staff_drafts_with_banner(client, staff_user, wido):
    give_session(wido, title="Secret Roadmap", is_published=False)
    client.force_login(staff_user)

    html = client.get(wido.get_absolute_url()).content.decode()

    assert "Draft — not visible to attendees." in html
    assert "Secret Roadmap" in html
    assert '<span class="badge badge--draft">Draft</span>' in html


def test_speaker_page_with_a_published_session_has_no_draft_banner(client, wido):
    give_session(wido)

    html = client.get(wido.get_absolute_url()).content.decode()

    assert "Draft — not visible to attendees" not in html
