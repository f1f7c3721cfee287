"""An edit to one event changes that event's page keys and the cross-event ones, nothing else."""

import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse

from conference.caching import (
    PageCacheMiddleware,
    cache_for_visitors,
    content_changed_for,
    event_scopes,
    one_version_bump,
    page_cache_key,
)
from conference.models import Event
from sessions.models import Session
from tests.factories import (
    EventFactory,
    RecordingFactory,
    RoomFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    SponsorshipFactory,
)

CROSS_EVENT_PAGES = ["/", "/speakers/", "/search/?q=kvm", "/sitemap.xml", "/feeds/recordings.rss"]


@pytest.fixture
def events(db):
    a = SessionFactory(event=EventFactory(slug="event-a"), slug="talk-a").event
    b = SessionFactory(event=EventFactory(slug="event-b"), slug="talk-b").event
    return a, b


def pages_of(slug):
    return [
        f"/events/{slug}/",
        f"/events/{slug}/schedule/",
        f"/events/{slug}/sessions/talk-{slug[-1]}/",
    ]


def keys(rf, paths):
    return {path: page_cache_key(rf.get(path)) for path in paths}


def changed(rf, edit):
    paths = [*pages_of("event-a"), *pages_of("event-b"), *CROSS_EVENT_PAGES]
    before = keys(rf, paths)
    edit()
    after = keys(rf, paths)
    return {path for path in paths if before[path] != after[path]}


A_AND_CROSS = {*pages_of("event-a"), *CROSS_EVENT_PAGES}


def retitle(events):
    session = Session.objects.get(slug="talk-a")
    session.title = "Renamed"
    session.save()


def add_recording(events):
    RecordingFactory(session=Session.objects.get(slug="talk-a"))


def add_room(events):
    RoomFactory(event=events[0])


def add_sponsorship(events):
    SponsorshipFactory(event=events[0])


def delete_session(events):
    Session.objects.get(slug="talk-a").delete()


def add_speaker(events):
    Session.objects.get(slug="talk-a").speakers.add(
        SpeakerFactory(), through_defaults={"position": 1}
    )


def tag(events):
    Session.objects.get(slug="talk-a").tags.add("kvm")


def bulk_update(events):
    Session.objects.filter(event=events[0]).update(title="Bulk")
    content_changed_for(event_scopes(["event-a"]))


@pytest.mark.parametrize(
    "edit",
    [
        retitle,
        add_recording,
        add_room,
        add_sponsorship,
        delete_session,
        add_speaker,
        tag,
        bulk_update,
    ],
)
def test_an_edit_to_event_a_changes_its_pages_and_the_cross_event_ones_only(rf, events, edit):
    assert changed(rf, lambda: edit(events)) == A_AND_CROSS


def test_a_speaker_of_both_events_changes_both(rf, events):
    speaker = SpeakerFactory()
    for slug in ("talk-a", "talk-b"):
        SessionSpeakerFactory(session=Session.objects.get(slug=slug), speaker=speaker)

    def rename():
        speaker.name = "Someone Else"
        speaker.save()

    assert changed(rf, rename) == {*A_AND_CROSS, *pages_of("event-b")}


def test_a_session_moved_to_another_event_changes_both(rf, events):
    def move():
        session = Session.objects.get(slug="talk-a")
        session.event = events[1]
        session.save()

    assert changed(rf, move) == {*A_AND_CROSS, *pages_of("event-b")}


def test_a_slug_change_changes_the_old_and_the_new_slugs_pages(rf, events):
    paths = ["/events/event-a/", "/events/event-a2/", "/events/event-b/"]
    before = keys(rf, paths)
    event = Event.objects.get(slug="event-a")
    event.slug = "event-a2"
    event.save()
    after = keys(rf, paths)

    assert {path for path in paths if before[path] != after[path]} == {
        "/events/event-a/",
        "/events/event-a2/",
    }


def test_unpublishing_or_deleting_an_event_changes_its_pages(rf, events):
    def unpublish():
        event = Event.objects.get(slug="event-a")
        event.is_published = False
        event.save()

    assert changed(rf, unpublish) == A_AND_CROSS
    assert changed(rf, lambda: Event.objects.get(slug="event-a").delete()) == A_AND_CROSS


def test_a_batch_bumps_the_events_it_touched_once(rf, events, django_assert_max_num_queries):
    def import_rows():
        with one_version_bump():
            for number in range(3):
                SessionFactory(event=events[0], slug=f"new-{number}")

    assert changed(rf, import_rows) == A_AND_CROSS


def test_event_b_stays_warm_through_an_edit_to_event_a(client, events):
    first = client.get("/events/event-b/")
    retitle(events)

    second = client.get("/events/event-b/")

    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.content == first.content


def test_an_edit_shows_on_event_a_and_the_cross_event_pages_at_once(client, events):
    client.get("/events/event-a/")
    client.get("/search/?q=Renamed")
    retitle(events)

    event_page = client.get("/events/event-a/")
    search = client.get("/search/?q=Renamed")

    assert event_page["X-Page-Cache"] == "miss"
    assert "Renamed" in event_page.content.decode()
    assert "Renamed" in search.content.decode()


class SlowView:
    """A view that renders only when the test lets it, counting its renders."""

    def __init__(self):
        self.renders = 0
        self.started = threading.Event()
        self.go_on = threading.Event()

    def __call__(self, request):
        self.renders += 1
        self.started.set()
        self.go_on.wait(30)
        response = HttpResponse("<p>slow page</p>" * 20)
        response.cache_for_visitors = True
        return response


def burst(rf, middleware, count):
    results = [None] * count
    # The versions are read once here: the threads then need no database connection.
    page_cache_key(rf.get("/events/event-a/"))

    def visit(index):
        request = rf.get("/events/event-a/")
        request.user = AnonymousUser()
        results[index] = middleware(request)

    threads = [threading.Thread(target=visit, args=(index,)) for index in range(count)]
    return threads, results


def test_a_burst_for_one_uncached_page_renders_it_once(rf, events, settings):
    settings.PAGE_RENDER_WAIT_SECONDS = 30
    view = SlowView()
    middleware = PageCacheMiddleware(cache_for_visitors(view))
    first, first_result = burst(rf, middleware, 1)
    first[0].start()
    view.started.wait(30)
    others, results = burst(rf, middleware, 8)
    for thread in others:
        thread.start()
    view.go_on.set()
    for thread in [*first, *others]:
        thread.join(30)

    assert view.renders == 1
    assert first_result[0]["X-Page-Cache"] == "miss"
    # Served the first render: waiting for it, or from the cache once it was there.
    assert [r["X-Page-Cache"] for r in results if r["X-Page-Cache"] not in ("wait", "hit")] == []
    assert {response.content for response in results} == {first_result[0].content}


def test_a_request_renders_anyway_when_the_lock_holder_died(rf, events, settings):
    from django.core.cache import cache

    settings.PAGE_RENDER_WAIT_SECONDS = 0.2
    request = rf.get("/events/event-a/")
    request.user = AnonymousUser()
    cache.add(f"lock:{page_cache_key(request)}", "a dead worker", 300)
    view = SlowView()
    view.go_on.set()

    response = PageCacheMiddleware(cache_for_visitors(view))(request)

    assert view.renders == 1
    assert (response.status_code, response["X-Page-Cache"]) == (200, "miss")
