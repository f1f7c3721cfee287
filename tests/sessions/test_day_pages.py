"""A big event's page (one line per session) and its day pages (the full cards, day by day):
every public page of a 1,000-session, 100-room, 4-day event stays under 1 MB, in a fixed
number of queries; small events keep their page as it is."""

import re

import pytest
from django.urls import reverse

from sessions.programme import MAX_CARDS_PER_PAGE, part_sizes
from tests.factories import SessionFactory, UserFactory
from tests.sessions.big_event import build_big_event, public_pages

pytestmark = pytest.mark.django_db

PAGE_BOUND = 1_000_000
# content version, event, every session's day and start, the part's sessions, their speakers,
# recordings, slide decks and tags
DAY_PAGE_QUERIES = 8
CARD = re.compile(r'<article class="session-card[^"]*" id="session-([\w-]+)"')
ROW = re.compile(r'<li class="programme-row[^"]*" id="session-([\w-]+)"')


def day_url(event, day, part=1):
    if part == 1:
        return reverse("talks:event_day", kwargs={"slug": event.slug, "day": day})
    return reverse("talks:event_day_part", kwargs={"slug": event.slug, "day": day, "part": part})


def card_titles(response):
    return re.findall(
        r'<h3 class="session-card__title"><a href="[^"]+">([^<]+)</a>', response.content.decode()
    )


def slugs_in_programme_order(event, **filters):
    return list(
        event.sessions.filter(**filters)
        .order_by("day", "position", "starts_at", "title", "pk")
        .values_list("slug", flat=True)
    )


def test_parts_of_a_day_are_as_few_and_as_even_as_the_bound_allows():
    assert [part_sizes(n) for n in (1, MAX_CARDS_PER_PAGE, MAX_CARDS_PER_PAGE + 1, 250, 451)] == [
        [1],
        [MAX_CARDS_PER_PAGE],
        [76, 75],
        [125, 125],
        [113, 113, 113, 112],
    ]


def test_every_public_page_of_a_thousand_session_event_stays_under_one_megabyte(client):
    event = build_big_event(sessions=1000, rooms=100, days=4)
    pages = public_pages(event)

    sizes = {}
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        sizes[path] = len(response.content)

    day_pages = [path for path in pages if "/day/" in path]
    assert day_pages == [day_url(event, day, part) for day in (1, 2, 3, 4) for part in (1, 2)]
    assert {path: size for path, size in sizes.items() if size >= PAGE_BOUND} == {}


def test_big_event_page_lists_every_session_in_one_line_and_links_each_day_part(client):
    event = build_big_event(sessions=320, rooms=20, days=2)

    content = client.get(event.get_absolute_url()).content.decode()

    assert ROW.findall(content) == slugs_in_programme_order(event)
    assert CARD.findall(content) == []
    assert 'class="toc__sessions"' not in content
    links = re.findall(
        r'<a class="button button--ghost" href="(/events/[^"]+/day/[^"]+)">', content
    )
    assert links == [
        day_url(event, 1),
        day_url(event, 1, 2),
        day_url(event, 2),
        day_url(event, 2, 2),
    ]


def test_big_event_page_row_shows_time_speakers_room_kind_media_and_star(client):
    event = build_big_event(sessions=160, rooms=10, days=1)
    session = event.sessions.get(slug="session-0009")  # a keynote at 09:05, video and slides

    content = client.get(event.get_absolute_url()).content.decode()

    row = re.search(r'<li class="programme-row" id="session-session-0009".*?</li>', content)
    row = re.sub(r' data-tags="([^"]*)"', "", row.group(0))
    speakers = ", ".join(speaker.name for speaker in session.ordered_speakers)
    assert row == (
        '<li class="programme-row" id="session-session-0009" data-session data-kind="keynote">'
        f'<time>09:05</time><p><a href="{session.get_absolute_url()}">{session.title}</a> '
        f"<span>{speakers} · Room 009</span> "
        '<span class="badge badge--keynote">Keynote</span> '
        '<span class="media-flag media-flag--video">Video</span> '
        '<span class="media-flag media-flag--slides">Slides</span></p>'
        f'<button type="button" data-agenda-star="{session.guid}" hidden></button></li>'
    )
    shown_tags = re.search(r'id="session-session-0009"[^>]* data-tags="([^"]*)"', content)
    assert sorted(shown_tags.group(1).split()) == ["accessibility", "kubernetes"]


def test_day_parts_hold_the_full_cards_of_their_day_in_order_without_overlap(client):
    event = build_big_event(sessions=320, rooms=20, days=2)

    first = client.get(day_url(event, 2)).content.decode()
    second = client.get(day_url(event, 2, 2)).content.decode()

    assert CARD.findall(first) + CARD.findall(second) == slugs_in_programme_order(event, day=2)
    assert [len(CARD.findall(first)), len(CARD.findall(second))] == [80, 80]
    assert '<div class="session-card__description prose">' in first
    assert '<div class="embed embed--video embed--youtube">' in first


def test_day_page_has_canonical_url_title_description_and_navigation(client):
    event = build_big_event(sessions=320, rooms=20, days=2, name="FOSDEM", slug="fosdem")

    response = client.get(day_url(event, 1, 2))
    content = response.content.decode()

    found = {
        "title": re.search(r"<title>(.*?)</title>", content).group(1),
        "canonical": re.search(r'<link rel="canonical" href="([^"]+)">', content).group(1),
        "og:title": re.search(r'<meta property="og:title" content="([^"]+)">', content).group(1),
        "description": re.search(r'<meta name="description" content="([^"]+)">', content).group(1),
        "current": re.findall(r'<a href="([^"]+)" aria-current="page">', content),
        "prev": re.search(r'href="([^"]+)" rel="prev"', content).group(1),
        "next": re.search(r'href="([^"]+)" rel="next"', content).group(1),
    }
    assert found == {
        "title": "FOSDEM · Day 1, 12:40\N{EN DASH}15:40 · Conference Roundups",
        "canonical": "http://testserver/events/fosdem/day/1/part/2/",
        "og:title": "FOSDEM · Day 1, 12:40\N{EN DASH}15:40",
        "description": "80 sessions of FOSDEM on day 1 (Thursday 1 February 2024): "
        "descriptions, speakers, recordings and slides.",
        "current": ["/events/fosdem/day/1/part/2/"],
        "prev": "/events/fosdem/day/1/",
        "next": "/events/fosdem/day/2/",
    }


def test_small_event_keeps_its_cards_and_its_day_page_names_the_event_page_canonical(client):
    session = SessionFactory(day=2, start_time=None)
    event = session.event

    event_page = client.get(event.get_absolute_url()).content.decode()
    day_page = client.get(day_url(event, 2)).content.decode()

    assert CARD.findall(event_page) == [session.slug]
    assert ROW.findall(event_page) == []
    assert "/day/" not in event_page
    assert CARD.findall(day_page) == [session.slug]
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', day_page).group(1)
    assert canonical == f"http://testserver{event.get_absolute_url()}"


def test_day_page_of_an_untimed_big_event_is_split_into_numbered_parts(client):
    event = SessionFactory(day=1).event
    SessionFactory.create_batch(MAX_CARDS_PER_PAGE + 10, event=event, day=1)

    content = client.get(day_url(event, 1, 2)).content.decode()

    assert len(CARD.findall(content)) == 80
    parts = re.findall(r'<ol class="day-nav__parts"[^>]*>(.*?)</ol>', content)[0]
    assert re.findall(r">(Part \d)</a>", parts) == ["Part 1", "Part 2"]


@pytest.mark.parametrize(
    "path",
    [
        "/events/{slug}/day/3/",  # no session on day 3
        "/events/{slug}/day/0/",
        "/events/{slug}/day/99999999999999999999/",
        "/events/{slug}/day/1/part/2/",  # day 1 is one part
        "/events/{slug}/day/1/part/0/",
        "/events/no-such-event/day/1/",
    ],
)
def test_day_page_that_does_not_exist_is_not_found(client, path):
    event = SessionFactory(day=1).event
    SessionFactory(event=event, day=2)

    assert client.get(path.format(slug=event.slug)).status_code == 404


def test_first_part_has_one_address(client):
    event = SessionFactory(day=1).event

    response = client.get(f"/events/{event.slug}/day/1/part/1/")

    assert (response.status_code, response["Location"]) == (301, day_url(event, 1))


def test_day_page_shows_drafts_to_staff_only(client):
    published = SessionFactory(day=1)
    draft = SessionFactory(event=published.event, day=1, is_published=False)
    url = day_url(published.event, 1)

    visitor = CARD.findall(client.get(url).content.decode())
    client.force_login(UserFactory(is_staff=True))
    staff = CARD.findall(client.get(url).content.decode())

    assert (visitor, staff) == ([published.slug], [published.slug, draft.slug])


@pytest.mark.parametrize(("size", "rooms"), [(36, 6), (1000, 100)])
def test_day_page_queries_stay_fixed_with_size(client, django_assert_num_queries, size, rooms):
    event = build_big_event(sessions=size, rooms=rooms, days=4)

    with django_assert_num_queries(DAY_PAGE_QUERIES):
        response = client.get(day_url(event, 2))

    assert len(CARD.findall(response.content.decode())) == part_sizes(-(-size // 4))[0]


def test_day_page_is_cached_and_a_change_shows_on_the_next_request(
    client, django_assert_num_queries
):
    event = build_big_event(sessions=40, rooms=4, days=2)
    session = event.sessions.get(slug="session-0025")  # on day 2
    url = day_url(event, 2)
    client.get(url)

    with django_assert_num_queries(0):  # the versions come from memory while nothing changed
        cached = client.get(url)
    session.title = "Renamed in the admin"
    session.save()
    changed = client.get(url)

    assert [
        card_titles(cached).count(session.title),
        card_titles(changed).count(session.title),
    ] == [
        0,
        1,
    ]


def test_big_event_page_shows_a_renamed_room_on_the_next_request(client):
    event = build_big_event(sessions=160, rooms=10, days=1)
    client.get(event.get_absolute_url())
    room = event.rooms.get(slug="room-003")
    room.name = "Janson"
    room.save()

    content = client.get(event.get_absolute_url()).content.decode()

    assert content.count(" · Janson</span>") == 16


def test_sitemap_lists_every_day_part_of_big_events_only(client):
    big = build_big_event(sessions=320, rooms=20, days=2, slug="fosdem")
    SessionFactory(day=1)  # a small event: its page holds its cards
    draft_only = SessionFactory(is_published=False, day=1).event
    SessionFactory.create_batch(MAX_CARDS_PER_PAGE + 1, event=draft_only, is_published=False)

    content = client.get(reverse("sitemap")).content.decode()

    days = re.findall(r"<loc>http://testserver(/events/[^<]+/day/[^<]+)</loc>", content)
    assert days == [day_url(big, 1), day_url(big, 1, 2), day_url(big, 2), day_url(big, 2, 2)]
