"""What search engines and link previews read: Open Graph, Twitter cards, JSON-LD, canonical
URLs, the sitemap and robots.txt."""

import json
import re
from html.parser import HTMLParser

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

BASE = "http://testserver"


class HeadParser(HTMLParser):
    """Collects ``<meta>`` tags, ``<link rel="canonical">`` and the JSON-LD blocks of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta, self.canonical, self.json_ld = {}, [], []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content")
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


def json_ld(page):
    assert len(page.json_ld) == 1
    return json.loads(page.json_ld[0])


@pytest.fixture
def event():
    return EventFactory(
        name="CloudStack Collaboration Conference 2023",
        slug="ccc-2023",
        summary="Two days of **CloudStack** in Paris.",
        venue="voco hotel",
        city="Paris",
        country="France",
        banner="events/banners/ccc.png",
    )


@pytest.fixture
def speaker():
    speaker = SpeakerFactory(
        name="Rohit Yadav",
        slug="rohit",
        company="ShapeBlue",
        bio="Committer & PMC member.",
        photo="speakers/photos/rohit.jpg",
    )
    ProfileLinkFactory(speaker=speaker, url="https://github.com/rhtyd")
    ProfileLinkFactory(speaker=speaker, url="https://www.linkedin.com/in/rohityadav/")
    return speaker


@pytest.fixture
def session(event, speaker):
    session = SessionFactory(
        event=event,
        title="KVM Security Groups",
        slug="kvm-security-groups",
        description="How *security groups* work on KVM.",
    )
    SessionSpeakerFactory(session=session, speaker=speaker, position=1)
    SessionSpeakerFactory(
        session=session, speaker=SpeakerFactory(name="Wido", slug="wido", company=""), position=2
    )
    RecordingFactory(session=session, url="https://youtu.be/NU1b7x2HO_E", position=1)
    return session


def test_event_page_has_open_graph_and_twitter_card(client, event):
    page = head(client, event.get_absolute_url())

    assert page.meta["og:title"] == "CloudStack Collaboration Conference 2023"
    assert page.meta["og:description"] == "Two days of CloudStack in Paris."
    assert page.meta["og:url"] == f"{BASE}/events/ccc-2023/"
    assert page.meta["og:type"] == "website"
    assert page.meta["og:site_name"] == "Conference Roundups"
    assert page.meta["og:image"] == f"{BASE}/media/events/banners/ccc.png"
    assert page.meta["twitter:card"] == "summary_large_image"
    assert page.meta["twitter:title"] == "CloudStack Collaboration Conference 2023"
    assert page.canonical == [f"{BASE}/events/ccc-2023/"]


def test_event_page_without_banner_has_no_image_and_a_summary_card(client):
    event = EventFactory(slug="no-banner", summary="")

    page = head(client, event.get_absolute_url())

    assert "og:image" not in page.meta
    assert page.meta["twitter:card"] == "summary"
    assert (
        page.meta["og:description"]
        == "Recordings, slides and speakers of past conference sessions."
    )


def test_event_page_describes_the_event_in_json_ld(client, event):
    data = json_ld(head(client, event.get_absolute_url()))

    assert data == {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": "CloudStack Collaboration Conference 2023",
        "description": "Two days of CloudStack in Paris.",
        "url": f"{BASE}/events/ccc-2023/",
        "startDate": "2023-11-23",
        "endDate": "2023-11-24",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "eventStatus": "https://schema.org/EventScheduled",
        "location": {
            "@type": "Place",
            "name": "voco hotel",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": "Paris",
                "addressCountry": "France",
            },
        },
        "image": f"{BASE}/media/events/banners/ccc.png",
    }


def test_session_page_has_open_graph_of_a_video(client, session):
    page = head(client, session.get_absolute_url())

    assert page.meta["og:title"] == "KVM Security Groups"
    assert page.meta["og:description"] == "How security groups work on KVM."
    assert page.meta["og:url"] == f"{BASE}/events/ccc-2023/sessions/kvm-security-groups/"
    assert page.meta["og:type"] == "video.other"
    assert page.meta["og:image"] == f"{BASE}/media/events/banners/ccc.png"
    assert page.canonical == [f"{BASE}/events/ccc-2023/sessions/kvm-security-groups/"]


def test_session_page_without_recording_is_an_article(client, event):
    session = SessionFactory(event=event, slug="no-video")

    page = head(client, session.get_absolute_url())

    assert page.meta["og:type"] == "article"
    assert page.json_ld == []


def test_session_page_describes_recordings_and_speakers_in_json_ld(client, session):
    data = json_ld(head(client, session.get_absolute_url()))

    assert data["@context"] == "https://schema.org"
    video, rohit, wido = data["@graph"]
    assert {key: value for key, value in video.items() if key != "uploadDate"} == {
        "@type": "VideoObject",
        "name": "KVM Security Groups",
        "description": "How security groups work on KVM.",
        "url": "https://www.youtube.com/watch?v=NU1b7x2HO_E",
        "embedUrl": "https://www.youtube-nocookie.com/embed/NU1b7x2HO_E",
        "isPartOf": {
            "@type": "WebPage",
            "url": f"{BASE}/events/ccc-2023/sessions/kvm-security-groups/",
        },
    }
    assert re.match(r"^\d{4}-\d\d-\d\dT", video["uploadDate"])
    assert rohit == {
        "@type": "Person",
        "name": "Rohit Yadav",
        "url": f"{BASE}/speakers/rohit/",
        "image": f"{BASE}/media/speakers/photos/rohit.jpg",
        "worksFor": {"@type": "Organization", "name": "ShapeBlue"},
        "sameAs": ["https://github.com/rhtyd", "https://www.linkedin.com/in/rohityadav/"],
    }
    assert wido == {"@type": "Person", "name": "Wido", "url": f"{BASE}/speakers/wido/"}


def test_session_json_ld_names_the_thumbnail_only_when_thumbnails_are_allowed(
    client, session, settings
):
    settings.EMBED_THUMBNAILS = True

    video = json_ld(head(client, session.get_absolute_url()))["@graph"][0]

    assert video["thumbnailUrl"] == "https://i.ytimg.com/vi/NU1b7x2HO_E/hqdefault.jpg"


def test_json_ld_keeps_a_hostile_title_inside_its_script(client, event):
    title = "</script><script>alert(1)</script> & <b>"
    session = SessionFactory(event=event, title=title, slug="hostile")
    RecordingFactory(session=session)

    html = client.get(session.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in html
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in block
    assert json.loads(block)["@graph"][0]["name"] == title


def test_speaker_page_has_open_graph_profile_and_person_json_ld(client, session, speaker):
    page = head(client, speaker.get_absolute_url())

    assert page.meta["og:title"] == "Rohit Yadav"
    assert page.meta["og:description"] == "Committer & PMC member."
    assert page.meta["og:type"] == "profile"
    assert page.meta["og:url"] == f"{BASE}/speakers/rohit/"
    assert page.meta["og:image"] == f"{BASE}/media/speakers/photos/rohit.jpg"
    assert page.meta["twitter:card"] == "summary"
    assert json_ld(page) == {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": "Rohit Yadav",
        "url": f"{BASE}/speakers/rohit/",
        "image": f"{BASE}/media/speakers/photos/rohit.jpg",
        "worksFor": {"@type": "Organization", "name": "ShapeBlue"},
        "sameAs": ["https://github.com/rhtyd", "https://www.linkedin.com/in/rohityadav/"],
    }


@pytest.mark.parametrize(
    "url", ["/", "/speakers/", "/search/"], ids=["events", "speakers", "search"]
)
def test_list_pages_have_an_absolute_canonical_url_without_query(client, session, url):
    page = head(client, f"{url}?utm_source=feed")

    assert page.canonical == [f"{BASE}{url}"]
    assert page.meta["og:url"] == f"{BASE}{url}"
    assert page.meta["og:site_name"] == "Conference Roundups"


def test_sitemap_lists_exactly_the_published_pages(client, session):
    draft_event = EventFactory(slug="draft-event", is_published=False)
    SessionSpeakerFactory(
        session=SessionFactory(event=draft_event, slug="in-draft-event"),
        speaker=SpeakerFactory(slug="only-in-drafts"),
    )
    SessionFactory(event=session.event, slug="draft-session", is_published=False)
    SpeakerFactory(slug="without-sessions")

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    xml = response.content.decode()
    assert sorted(re.findall(r"<loc>([^<]+)</loc>", xml)) == [
        f"{BASE}/events/ccc-2023/",
        f"{BASE}/events/ccc-2023/sessions/kvm-security-groups/",
        f"{BASE}/speakers/rohit/",
        f"{BASE}/speakers/wido/",
    ]
    assert xml.count("<lastmod>") == 4


def test_robots_txt_allows_all_but_admin_and_names_the_sitemap(client):
    response = client.get(reverse("robots"))

    assert response["Content-Type"] == "text/plain"
    assert response.content.decode() == (
        "User-agent: *\nAllow: /\nDisallow: /admin/\n\nSitemap: http://testserver/sitemap.xml\n"
    )
