"""Site search: what an attendee finds from the header's search box, on SQLite and PostgreSQL."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from sessions.search import MAX_QUERY_LENGTH, query_terms, search
from tests.factories import (
    EventFactory,
    RecordingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db

SEARCH_PAGE_MAX_QUERIES = 5  # the content version, sessions, speakers, tags, speakers


@pytest.fixture
def event():
    return EventFactory(name="CloudStack Collaboration Conference 2023", slug="ccc-2023")


@pytest.fixture
def title_match(event):
    session = SessionFactory(
        event=event,
        title="KVM Security Groups Under the Hood",
        slug="kvm-security-groups",
        description="How the firewall rules of a guest are applied on the host.",
    )
    SessionSpeakerFactory(
        session=session,
        speaker=SpeakerFactory(
            name="Rohit Yadav", slug="rohit", company="ShapeBlue", bio="Committer since 2012."
        ),
    )
    return session


@pytest.fixture
def tag_match(event):
    session = SessionFactory(
        event=event,
        title="Zones, Pods and Clusters",
        slug="zones-pods-clusters",
        description="Designing a cloud that grows.",
    )
    session.tags.add("kvm", "kubernetes")
    return session


@pytest.fixture
def description_match(event):
    session = SessionFactory(
        event=event,
        title="Scaling Primary Storage",
        slug="scaling-storage",
        description="Ceph pools behind thousands of KVM hypervisors, and what broke first.",
    )
    SessionSpeakerFactory(
        session=session,
        speaker=SpeakerFactory(
            name="Wido den Hollander",
            slug="wido",
            company="42on",
            bio="Wido builds clouds on Ceph and likes **storage**.",
        ),
    )
    return session


@pytest.fixture
def drafts(event):
    draft = SessionFactory(
        event=event, title="KVM Secret Roadmap", slug="secret-roadmap", is_published=False
    )
    SessionSpeakerFactory(
        session=draft, speaker=SpeakerFactory(name="Hidden Harriet", slug="harriet")
    )
    unpublished_event = EventFactory(slug="next-year", is_published=False)
    SessionFactory(event=unpublished_event, title="KVM Secret Keynote", slug="secret-keynote")
    return draft


@pytest.fixture
def programme(title_match, tag_match, description_match, drafts):
    return title_match, tag_match, description_match


def anonymous_search(query):
    return search(query, user=AnonymousUser())


def test_search_finds_a_session_by_title(programme):
    assert anonymous_search("security groups").sessions == [programme[0]]


def test_search_finds_a_session_by_a_word_of_its_description(programme):
    assert anonymous_search("hypervisors").sessions == [programme[2]]


def test_search_finds_a_session_by_tag(programme):
    assert anonymous_search("kubernetes").sessions == [programme[1]]


def test_search_needs_every_term(programme):
    assert anonymous_search("kvm ceph").sessions == [programme[2]]


def test_search_finds_a_speaker_by_name(programme):
    assert [speaker.name for speaker in anonymous_search("rohit").speakers] == ["Rohit Yadav"]


def test_search_finds_a_speaker_by_company(programme):
    results = anonymous_search("42on")

    assert [speaker.name for speaker in results.speakers] == ["Wido den Hollander"]
    assert results.sessions == []


def test_search_finds_a_speaker_by_bio(programme):
    assert [speaker.name for speaker in anonymous_search("committer").speakers] == ["Rohit Yadav"]


def test_search_ranks_title_before_tag_before_description(programme):
    title_match, tag_match, description_match = programme

    assert anonymous_search("kvm").sessions == [title_match, tag_match, description_match]


def test_search_leaves_out_drafts_and_their_speakers_for_visitors(programme):
    results = anonymous_search("secret")

    assert (results.sessions, results.speakers) == ([], [])
    assert anonymous_search("harriet").speakers == []


def test_search_finds_drafts_for_staff(programme, staff_user):
    results = search("secret", user=staff_user)

    assert sorted(session.slug for session in results.sessions) == [
        "secret-keynote",
        "secret-roadmap",
    ]
    assert [speaker.name for speaker in search("harriet", user=staff_user).speakers] == [
        "Hidden Harriet"
    ]


def test_search_cuts_long_queries(programme):
    results = anonymous_search("kvm " + "x" * 1000)

    assert len(results.query) == MAX_QUERY_LENGTH
    assert results.sessions == []


def test_search_of_nothing_finds_nothing(programme):
    results = anonymous_search("   ")

    assert (results.query, results.terms, results.sessions, results.speakers) == ("", [], [], [])


@pytest.mark.parametrize("query", ["a:b & | ! ( ) <-> '", '"unclosed phrase', "-", "or"])
def test_search_survives_operators_and_punctuation(programme, query):
    results = anonymous_search(query)

    assert (results.sessions, results.speakers) == ([], [])


def test_query_terms_keep_phrases_and_skip_operators():
    assert query_terms('"security groups" kvm OR ceph -draft KVM') == [
        "security groups",
        "kvm",
        "ceph",
    ]


def test_search_matches_a_quoted_phrase(programme):
    assert anonymous_search('"security groups"').sessions == [programme[0]]


def get_page(client, query):
    return client.get(reverse("talks:search"), {"q": query}).content.decode()


def test_search_page_without_query_explains_what_to_type(client, programme):
    html = get_page(client, "")

    assert "Search sessions and speakers</h1>" in html
    assert "Type a few words to find a session" in html
    assert 'class="search-result' not in html


def test_search_page_without_results_says_so_and_suggests_browsing(client, programme):
    html = get_page(client, "quantum")

    assert "Nothing matches “quantum”." in html
    assert 'href="/speakers/">the speakers</a>' in html


def test_search_page_counts_and_links_results(client, programme):
    html = get_page(client, "kvm")

    assert "3 sessions and 0 speakers found." in html
    assert re.findall(r'<h3 class="session-row__title"><a href="([^"]+)">', html) == [
        "/events/ccc-2023/sessions/kvm-security-groups/",
        "/events/ccc-2023/sessions/zones-pods-clusters/",
        "/events/ccc-2023/sessions/scaling-storage/",
    ]


def test_search_page_highlights_terms_in_titles_and_snippets(client, programme):
    html = get_page(client, "kvm")

    assert (
        '<a href="/events/ccc-2023/sessions/kvm-security-groups/"><mark>KVM</mark> Security' in html
    )
    assert "thousands of <mark>KVM</mark> hypervisors" in html
    assert '<li class="tag"><mark>kvm</mark></li>' in html


def test_search_page_shows_speakers_with_their_bio_as_plain_text(client, programme):
    html = get_page(client, "wido")

    assert '<a href="/speakers/wido/"><mark>Wido</mark> den Hollander</a>' in html
    assert "<mark>Wido</mark> builds clouds on Ceph and likes storage." in html


def test_search_page_escapes_the_text_around_highlights(client, event):
    SessionFactory(event=event, title="Tips & <b>tricks</b> for KVM", slug="tips")

    html = get_page(client, "kvm")

    assert "Tips &amp; &lt;b&gt;tricks&lt;/b&gt; for <mark>KVM</mark>" in html


def test_search_page_escapes_the_query(client, event):
    SessionFactory(event=event, title="Scripting the API", slug="scripting")

    html = get_page(client, "<script>alert(1)</script>")

    assert "<script>alert" not in html
    assert "“&lt;script&gt;alert(1)&lt;/script&gt;”" in html


def test_search_page_keeps_the_query_in_its_form(client, programme):
    html = get_page(client, 'say "hi"')

    assert 'name="q" value="say &quot;hi&quot;"' in html


def test_every_page_has_the_search_box_in_its_header(client, programme):
    html = client.get(reverse("conference:event_list")).content.decode()

    header = re.search(r'<header class="site-header">.*?</header>', html, re.S).group(0)
    assert '<form class="site-search" role="search" action="/search/" method="get">' in header
    assert 'name="q"' in header


@pytest.mark.parametrize("size", [10, 60])
def test_search_page_queries_stay_fixed_with_size(client, django_assert_max_num_queries, size):
    event = EventFactory()
    for number in range(size):
        session = SessionFactory(event=event, title=f"KVM session {number}")
        SessionSpeakerFactory(session=session, speaker=SpeakerFactory(name=f"KVM fan {number}"))
        SessionSpeakerFactory(session=session)
        RecordingFactory(session=session)
        session.tags.add("kvm", f"topic-{number % 5}")

    with django_assert_max_num_queries(SEARCH_PAGE_MAX_QUERIES):
        html = get_page(client, "kvm")

    assert html.count('<li class="session-row search-result') == size
    assert html.count('<li class="search-result search-result--speaker">') == size
