"""The public event pages: the list of events and each event's roundup, as a visitor sees them."""

import datetime
import re
from html import unescape
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conference.models import Sponsorship
from tests.factories import (
    EventFactory,
    RecordingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SlideDeckFactory,
    SpeakerFactory,
    SponsorFactory,
    SponsorshipFactory,
)

pytestmark = pytest.mark.django_db

DASH = "\N{EN DASH}"

OWN_ORIGIN = re.compile(r"^(/|#|\?|http://testserver/)")


@pytest.fixture
def roundup():
    """A two-day event; day 2 is created first, speakers are billed out of name order."""
    event = EventFactory(
        name="CloudStack Collaboration Conference 2023",
        slug="ccc-2023",
        start_date=datetime.date(2023, 11, 23),
        end_date=datetime.date(2023, 11, 24),
        venue="voco hotel",
        city="Paris",
        country="France",
        attendee_count=350,
        country_count=30,
        photo_gallery_url="https://photos.example.org/ccc-2023",
    )
    reuse = SessionFactory(event=event, day=2, position=1, title="Re-use Old Hardware")
    keynote = SessionFactory(
        event=event, day=1, position=2, title="Open Source is Not Dead", kind="keynote"
    )
    union = SessionFactory(event=event, day=1, position=1, title="State of the Union")
    draft = SessionFactory(
        event=event, day=1, position=3, title="Secret Roadmap", is_published=False
    )

    rohit = SpeakerFactory(name="Rohit Yadav", slug="rohit-yadav")
    wido = SpeakerFactory(name="Wido den Hollander", slug="wido-den-hollander")
    charles = SpeakerFactory(name="Charles Schulz", slug="charles-schulz")
    SessionSpeakerFactory(session=union, speaker=wido, position=2)
    SessionSpeakerFactory(session=union, speaker=rohit, position=1)
    SessionSpeakerFactory(session=keynote, speaker=charles, position=1)
    SessionSpeakerFactory(session=reuse, speaker=wido, position=1)
    SessionSpeakerFactory(session=draft, speaker=SpeakerFactory(name="Dora Draft"), position=1)

    RecordingFactory(session=union, url="https://youtu.be/cCNCmJxxEPA")
    SlideDeckFactory(
        session=union, url="https://www.slideshare.net/slideshow/embed_code/key/hH2CO8kHcQaCQo"
    )
    RecordingFactory(session=keynote, url="https://www.youtube.com/watch?v=sEWBox97qG4")
    SlideDeckFactory(session=reuse, url="https://www.slideshare.net/shapeblue/reuse-old-hardware")

    silver = SponsorshipFactory(event=event, tier=Sponsorship.Tier.SILVER, position=1)
    platinum = SponsorshipFactory(event=event, tier=Sponsorship.Tier.PLATINUM, position=1)
    gold_second = SponsorshipFactory(event=event, tier=Sponsorship.Tier.GOLD, position=2)
    gold_first = SponsorshipFactory(event=event, tier=Sponsorship.Tier.GOLD, position=1)
    return SimpleNamespace(
        event=event,
        union=union,
        keynote=keynote,
        reuse=reuse,
        draft=draft,
        rohit=rohit,
        wido=wido,
        charles=charles,
        sponsors_in_order=[platinum, gold_first, gold_second, silver],
    )


def session_card(html, session):
    match = re.search(rf'<article[^>]* id="session-{session.slug}".*?</article>', html, re.S)
    assert match, f"no card for {session.title}"
    return match.group(0)


def card_titles(html):
    """(href, title) of every session card, in page order."""
    return re.findall(r'<h3 class="session-card__title"><a href="([^"]+)">([^<]+)</a>', html)


def facts(html):
    return re.findall(r'<div class="fact"><dt>([^<]+)</dt><dd>([^<]+)</dd></div>', html)


# --- Event list -----------------------------------------------------------------------------


def test_event_list_shows_published_events_newest_first_with_dates_and_counts(client, roundup):
    EventFactory(
        name="Winter Summit 2024",
        slug="winter-summit-2024",
        start_date=datetime.date(2024, 11, 30),
        end_date=datetime.date(2024, 12, 1),
        venue="",
        city="Sofia",
        country="Bulgaria",
    )
    EventFactory(
        name="New Year Meetup",
        slug="new-year-meetup",
        start_date=datetime.date(2021, 12, 31),
        end_date=datetime.date(2022, 1, 1),
    )
    EventFactory(name="Hidden Planning Event", is_published=False)

    html = client.get(reverse("conference:event_list")).content.decode()

    cards = re.findall(
        r'<time datetime="[^"]+">([^<]+)</time></p>\s*'
        r'<h2 class="event-card__title"><a href="([^"]+)">([^<]+)</a></h2>\s*'
        r'(?:<p class="event-card__place">([^<]+)</p>)?',
        html,
    )
    assert cards == [
        (
            f"30 November {DASH} 1 December 2024",
            "/events/winter-summit-2024/",
            "Winter Summit 2024",
            "Sofia, Bulgaria",
        ),
        (
            f"23{DASH}24 November 2023",
            "/events/ccc-2023/",
            "CloudStack Collaboration Conference 2023",
            "voco hotel, Paris, France",
        ),
        (
            f"31 December 2021 {DASH} 1 January 2022",
            "/events/new-year-meetup/",
            "New Year Meetup",
            "voco hotel, Paris, France",
        ),
    ]
    assert re.findall(r"<li><strong>(\d+)</strong> (sessions?|speakers?)</li>", html) == [
        ("0", "sessions"),
        ("0", "speakers"),
        ("3", "sessions"),
        ("3", "speakers"),
        ("0", "sessions"),
        ("0", "speakers"),
    ]
    assert "Hidden Planning Event" not in html


def test_event_list_shows_drafts_to_staff_with_a_draft_badge(client, staff_user):
    EventFactory(name="Hidden Planning Event", is_published=False)
    client.force_login(staff_user)

    html = client.get(reverse("conference:event_list")).content.decode()

    assert "Hidden Planning Event" in html
    assert html.count('<span class="badge badge--draft">Draft</span>') == 1


def test_event_list_without_events_says_so(client):
    response = client.get(reverse("conference:event_list"))

    assert response.status_code == 200
    assert "No event has been published yet." in response.content.decode()


# --- Event page -----------------------------------------------------------------------------


def test_event_page_shows_title_facts_and_gallery_link(client, roundup):
    html = client.get(roundup.event.get_absolute_url()).content.decode()

    assert '<h1 class="event-hero__title">CloudStack Collaboration Conference 2023</h1>' in html
    assert f'<time datetime="2023-11-23">23{DASH}24 November 2023</time>' in html
    assert "<dt>Venue</dt><dd>voco hotel</dd>" in html
    assert "<dt>Location</dt><dd>Paris, France</dd>" in html
    assert facts(html) == [
        ("Sessions", "3"),
        ("Speakers", "3"),
        ("With video", "2"),
        ("With slides", "2"),
        ("Attendees", "350+"),
        ("Countries", "30"),
    ]
    assert re.findall(r'<a class="button" href="([^"]+)"[^>]*>View photo gallery</a>', html) == [
        "https://photos.example.org/ccc-2023"
    ]


def test_event_page_groups_sessions_by_day_in_programme_order(client, roundup):
    html = client.get(roundup.event.get_absolute_url()).content.decode()

    assert re.findall(
        r'<span class="day__number">(Day \d)</span>.*?<time class="day__date" datetime="([^"]+)">'
        r"([^<]+)</time>",
        html,
        re.S,
    ) == [
        ("Day 1", "2023-11-23", "Thursday 23 November 2023"),
        ("Day 2", "2023-11-24", "Friday 24 November 2023"),
    ]
    assert card_titles(html) == [
        (f"/events/ccc-2023/sessions/{roundup.union.slug}/", "State of the Union"),
        (f"/events/ccc-2023/sessions/{roundup.keynote.slug}/", "Open Source is Not Dead"),
        (f"/events/ccc-2023/sessions/{roundup.reuse.slug}/", "Re-use Old Hardware"),
    ]
    day_two = html[html.index('id="day-2"') :]
    assert [title for _, title in card_titles(day_two)] == ["Re-use Old Hardware"]


def test_event_page_without_start_date_names_days_without_dates(client):
    event = EventFactory(start_date=None, end_date=None)
    SessionFactory(event=event, day=1)

    html = client.get(event.get_absolute_url()).content.decode()

    assert re.findall(r'<span class="day__number">(Day \d)</span>', html) == ["Day 1"]
    assert "day__date" not in html


def test_event_page_lists_speakers_in_billing_order_linked_to_their_pages(client, roundup):
    html = client.get(roundup.event.get_absolute_url()).content.decode()

    card = session_card(html, roundup.union)
    assert re.findall(
        r'<a class="speaker-chip" href="([^"]+)">.*?<span class="speaker-chip__name">([^<]+)<',
        card,
        re.S,
    ) == [
        ("/speakers/rohit-yadav/", "Rohit Yadav"),
        ("/speakers/wido-den-hollander/", "Wido den Hollander"),
    ]


def test_event_page_badges_kind_only_when_not_a_plain_talk(client, roundup):
    html = client.get(roundup.event.get_absolute_url()).content.decode()

    assert '<span class="badge badge--keynote">Keynote</span>' in session_card(
        html, roundup.keynote
    )
    assert "badge" not in session_card(html, roundup.union)


def posters(html):
    """(href, data-embed-src, data-embed-title) of every click-to-load poster, in page order."""
    return [
        (attrs["href"], attrs.get("data-embed-src"), attrs.get("data-embed-title"))
        for attrs in (
            {name: unescape(value) for name, value in re.findall(r'([\w-]+)="([^"]*)"', tag)}
            for tag in re.findall(r'<a class="embed__poster"[^>]*>', html)
        )
    ]


def test_event_page_shows_local_posters_that_load_youtube_and_slideshare_on_demand(client, roundup):
    response = client.get(roundup.event.get_absolute_url())

    card = session_card(response.content.decode(), roundup.union)
    assert posters(card) == [
        (
            "https://www.youtube.com/watch?v=cCNCmJxxEPA",
            "https://www.youtube-nocookie.com/embed/cCNCmJxxEPA?autoplay=1",
            "Video: State of the Union",
        ),
        (
            "https://www.slideshare.net/slideshow/embed_code/key/hH2CO8kHcQaCQo",
            "https://www.slideshare.net/slideshow/embed_code/key/hH2CO8kHcQaCQo",
            "Slides: State of the Union",
        ),
    ]
    assert '<div class="embed embed--video embed--youtube">' in card
    assert '<div class="embed embed--slides embed--slideshare">' in card
    assert '<span class="embed__speakers">Rohit Yadav, Wido den Hollander</span>' in card
    assert '<span class="embed__action-text">Play video</span>' in card


def test_event_page_requests_nothing_from_other_hosts_before_a_click(client, roundup):
    html = client.get(roundup.event.get_absolute_url()).content.decode()

    assert "<iframe" not in html
    assert "<object" not in html
    sources = re.findall(r'\ssrc="([^"]*)"', html)
    assert sources and [src for src in sources if not OWN_ORIGIN.match(src)] == []
    assert "i.ytimg.com" not in html


def test_event_page_posters_show_provider_thumbnails_only_when_the_site_opts_in(
    client, roundup, settings
):
    settings.EMBED_THUMBNAILS = True

    html = client.get(roundup.event.get_absolute_url()).content.decode()

    assert re.findall(r'<img class="embed__thumbnail" src="([^"]+)"', html) == [
        "https://i.ytimg.com/vi/cCNCmJxxEPA/hqdefault.jpg",
        "https://i.ytimg.com/vi/sEWBox97qG4/hqdefault.jpg",
    ]
    assert "<iframe" not in html


def test_event_page_links_slides_that_cannot_be_embedded(client, roundup):
    html = client.get(roundup.event.get_absolute_url()).content.decode()

    card = session_card(html, roundup.reuse)
    assert posters(card) == [
        ("https://www.slideshare.net/shapeblue/reuse-old-hardware", None, None)
    ]
    assert '<span class="embed__action-text">Open on SlideShare</span>' in card


def test_event_page_posters_for_vimeo_peertube_and_speakerdeck(client, settings):
    settings.PEERTUBE_INSTANCES = ["videos.example.org"]
    session = SessionFactory(title="Federated Video")
    RecordingFactory(session=session, url="https://vimeo.com/76979871")
    RecordingFactory(session=session, url="https://videos.example.org/w/kkGMgK9ZtnKfYAgnEtQxbv")
    SlideDeckFactory(session=session, url="https://speakerdeck.com/player/" + "ab" * 16)
    SlideDeckFactory(session=session, url="https://speakerdeck.com/someone/federated-video")

    html = client.get(session.event.get_absolute_url()).content.decode()

    assert posters(html) == [
        (
            "https://vimeo.com/76979871",
            "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1",
            "Video: Federated Video",
        ),
        (
            "https://videos.example.org/w/kkGMgK9ZtnKfYAgnEtQxbv",
            "https://videos.example.org/videos/embed/kkGMgK9ZtnKfYAgnEtQxbv?autoplay=1",
            "Video: Federated Video",
        ),
        (
            "https://speakerdeck.com/player/" + "ab" * 16,
            "https://speakerdeck.com/player/" + "ab" * 16,
            "Slides: Federated Video",
        ),
        ("https://speakerdeck.com/someone/federated-video", None, None),
    ]
    assert re.findall(r'data-embed-hosts="([^"]*)"', html) == [
        "player.vimeo.com",
        "videos.example.org",
        "speakerdeck.com",
    ]
    assert "peertube-instances" not in html


# --- Table of contents and filters -------------------------------------------------------------


@pytest.fixture
def tagged(roundup):
    roundup.union.tags.add("kvm", "Storage")
    roundup.reuse.tags.add("kvm")
    return roundup


def test_event_page_table_of_contents_lists_each_day_and_its_sessions(client, roundup):
    html = client.get(roundup.event.get_absolute_url()).content.decode()

    toc = html[
        html.index('<nav class="toc"') : html.index("</nav>", html.index('<nav class="toc"'))
    ]
    assert re.findall(r'<a class="toc__day-link" href="(#day-\d)">(Day \d)', toc) == [
        ("#day-1", "Day 1"),
        ("#day-2", "Day 2"),
    ]
    assert re.findall(r'<li data-toc-session="[^"]+"><a href="#([^"]+)">([^<]+)</a>', toc) == [
        (f"session-{roundup.union.slug}", "State of the Union"),
        (f"session-{roundup.keynote.slug}", "Open Source is Not Dead"),
        (f"session-{roundup.reuse.slug}", "Re-use Old Hardware"),
    ]


def chips(html):
    """(href, label, selected) of every filter link."""
    return [
        (href, label.strip(), bool(current))
        for href, current, label in re.findall(
            r'<a class="chip" href="([^"]+)"[^>]*?( aria-current="true")?>([^<]+)', html
        )
    ]


def test_event_page_offers_filters_by_kind_and_tag_as_plain_links(client, tagged):
    html = client.get(tagged.event.get_absolute_url()).content.decode()

    assert chips(html) == [
        ("/events/ccc-2023/#programme", "All kinds", True),
        ("/events/ccc-2023/?kind=keynote#programme", "Keynote", False),
        ("/events/ccc-2023/?kind=talk#programme", "Talk", False),
        ("/events/ccc-2023/#programme", "All topics", True),
        ("/events/ccc-2023/?tag=kvm#programme", "kvm", False),
        ("/events/ccc-2023/?tag=storage#programme", "Storage", False),
    ]
    assert 'data-tags="kvm storage"' in session_card(html, tagged.union)


def test_event_page_filters_by_tag_on_the_server(client, tagged):
    html = client.get(tagged.event.get_absolute_url(), {"tag": "kvm"}).content.decode()

    assert [title for _, title in card_titles(html)] == [
        "State of the Union",
        "Re-use Old Hardware",
    ]
    assert "2 of 3 sessions shown." in html
    assert facts(html)[0] == ("Sessions", "3")  # the facts stay those of the whole event
    assert ("/events/ccc-2023/?tag=kvm#programme", "kvm", True) in chips(html)


def test_event_page_filters_by_kind_and_tag_together(client, tagged):
    url = tagged.event.get_absolute_url()

    keynotes = client.get(url, {"kind": "keynote"}).content.decode()
    kvm_talks = client.get(url, {"kind": "talk", "tag": "kvm"}).content.decode()
    kvm_keynotes = client.get(url, {"kind": "keynote", "tag": "kvm"}).content.decode()

    assert [title for _, title in card_titles(keynotes)] == ["Open Source is Not Dead"]
    assert [title for _, title in card_titles(kvm_talks)] == [
        "State of the Union",
        "Re-use Old Hardware",
    ]
    assert card_titles(kvm_keynotes) == []
    assert "No session matches these filters." in kvm_keynotes


def test_event_page_ignores_unknown_filter_values(client, tagged):
    html = client.get(
        tagged.event.get_absolute_url(), {"kind": "<script>", "tag": "nope"}
    ).content.decode()

    assert len(card_titles(html)) == 3
    assert "data-filtered" not in html
    assert "<script>" not in html


def test_event_page_lists_sponsors_by_tier_then_position(client, roundup):
    html = client.get(roundup.event.get_absolute_url()).content.decode()

    assert re.findall(r'<a class="sponsor" href="([^"]+)"', html) == [
        sponsorship.sponsor.website for sponsorship in roundup.sponsors_in_order
    ]
    assert re.findall(r'<h3 class="sponsors__tier-name">([^<]+)</h3>', html) == [
        "Platinum",
        "Gold",
        "Silver",
    ]


def test_event_page_hides_tier_names_when_all_sponsors_share_one(client):
    event = EventFactory()
    SponsorshipFactory(event=event, sponsor=SponsorFactory(name="ShapeBlue"))
    SponsorshipFactory(event=event, sponsor=SponsorFactory(name="StorPool"))

    html = client.get(event.get_absolute_url()).content.decode()

    names = re.findall(r'<a class="sponsor" href="[^"]+" rel="sponsored noopener">([^<]+)<', html)
    assert names == ["ShapeBlue", "StorPool"]
    assert "sponsors__tier-name" not in html


def test_event_page_renders_markdown_and_drops_scripts(client):
    event = EventFactory(summary="A **great** year.<script>alert('summary')</script>")
    SessionFactory(
        event=event,
        description="Learn *KVM* fast.\n\n<script>alert('pwned')</script>"
        "<img src=x onerror=alert(1)>",
    )

    html = client.get(event.get_absolute_url()).content.decode()

    assert "A <strong>great</strong> year." in html
    assert "Learn <em>KVM</em> fast." in html
    assert "alert(" not in html
    assert "onerror" not in html


# --- Drafts ---------------------------------------------------------------------------------


def test_event_page_hides_unpublished_sessions_from_attendees(client, roundup):
    html = client.get(roundup.event.get_absolute_url()).content.decode()

    assert "Secret Roadmap" not in html
    assert "Dora Draft" not in html
    assert "Draft — not visible to attendees" not in html


def test_event_page_of_unpublished_event_is_not_found(client):
    event = EventFactory(is_published=False)
    SessionFactory(event=event)

    response = client.get(event.get_absolute_url())

    assert response.status_code == 404
    assert "<title>Page not found · Conference Roundups</title>" in response.content.decode()


def test_event_page_shows_drafts_to_staff_with_banner(client, staff_user, roundup):
    roundup.event.is_published = False
    roundup.event.save()
    client.force_login(staff_user)

    html = client.get(roundup.event.get_absolute_url()).content.decode()

    assert "Draft — not visible to attendees." in html
    assert [title for _, title in card_titles(html)] == [
        "State of the Union",
        "Open Source is Not Dead",
        "Secret Roadmap",
        "Re-use Old Hardware",
    ]
    assert '<span class="badge badge--draft">Draft</span>' in session_card(html, roundup.draft)
    assert ("Sessions", "4") in facts(html)


# --- Layout -----------------------------------------------------------------------------------


def test_base_layout_has_skip_link_landmarks_and_own_stylesheet_only(client, roundup):
    html = client.get(roundup.event.get_absolute_url()).content.decode()

    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert '<a class="skip-link" href="#main">Skip to content</a>' in html
    assert '<main id="main" class="site-main" tabindex="-1">' in html
    assert '<link rel="canonical" href="http://testserver/events/ccc-2023/">' in html
    assert "<title>CloudStack Collaboration Conference 2023 · Conference Roundups</title>" in html
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) == ["/static/css/site.css"]
    assert re.findall(r'<script src="([^"]+)"', html) == ["/static/js/site.js"]
    assert " style=" not in html


def test_event_page_links_an_uploaded_pdf_deck_without_a_frame(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    session = SessionFactory(title="Object Storage")
    deck = SlideDeckFactory(
        session=session, url="", pdf=SimpleUploadedFile("object-storage.pdf", b"%PDF-1.4")
    )

    html = client.get(session.event.get_absolute_url()).content.decode()

    assert posters(html) == [(deck.pdf.url, None, None)]
    assert '<span class="embed__action-text">Open the PDF</span>' in html
    assert '<span class="embed__note">A PDF file on this site</span>' in html
