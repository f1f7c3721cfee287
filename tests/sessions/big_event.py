"""A big timed event built fast: FOSDEM's scale (1,000 sessions, 100 rooms, 4 days) by default.

Instances come from the factories (``build()``, unsaved) and go to the database with
``bulk_create``, so a 1,000-session event takes a few seconds on either database. The content
is as rich as a real programme's: a description of a few paragraphs in Markdown, one to three
speakers with their company, a recording for most sessions, slides for half, two topics each,
several kinds and tracks. Used by the page-size and query-ceiling tests and by
``bench/big_event.py``, which prints the sizes and render times.
"""

import datetime
import itertools

from django.contrib.contenttypes.models import ContentType
from taggit.models import Tag, TaggedItem

from conference.caching import content_changed_for, event_scopes
from conference.markup import fill_markdown
from sessions.models import Recording, Room, Session, SessionSpeaker, SlideDeck
from speakers.models import Speaker
from tests.factories import (
    EventFactory,
    RecordingFactory,
    RoomFactory,
    SessionFactory,
    SlideDeckFactory,
    SpeakerFactory,
    TrackFactory,
)

KINDS = ["talk"] * 6 + ["workshop", "panel", "lightning", "keynote"]
TOPICS = [
    "Storage",
    "Networking",
    "Kubernetes",
    "Security",
    "Upgrades",
    "Monitoring",
    "Databases",
    "Compilers",
    "Embedded",
    "Accessibility",
    "Packaging",
    "Observability",
]
DESCRIPTION = (
    "Session {number} looks at {topic} at scale: what worked in production, what did not, "
    "and what the community plans for the next releases. We start from the problems operators "
    "reported over the last year and walk through the changes that address them.\n\n"
    "- how the **{topic}** subsystem is laid out today\n"
    "- the migration path for existing deployments\n"
    "- benchmarks on commodity hardware, with the scripts to reproduce them\n\n"
    "The talk closes with a demo and questions from the room. Slides and the recording are "
    "linked below; see [the project's documentation](https://docs.example.org/{slug}) for the "
    "details we had no time for."
)
SLOT_MINUTES = 55


def build_big_event(*, sessions=1000, rooms=100, days=4, **event_fields):
    """A published event of ``sessions`` timed sessions in ``rooms`` rooms over ``days`` days
    (Europe/Brussels), spread evenly: each day's sessions fill the rooms slot after slot."""
    event = EventFactory(
        time_zone="Europe/Brussels",
        start_date=datetime.date(2024, 2, 1),
        end_date=datetime.date(2024, 2, days),
        **event_fields,
    )
    # In bulk, as everything below: a factory's save bumps the page versions, once per room.
    room_list = Room.objects.bulk_create(
        [
            RoomFactory.build(event=event, name=f"Room {n:03d}", slug=f"room-{n:03d}", position=n)
            for n in range(rooms)
        ]
    )
    tracks = [
        TrackFactory(event=event, name=f"{topic} track", slug=topic.lower(), position=n)
        for n, topic in enumerate(TOPICS[:8])
    ]
    speakers = Speaker.objects.bulk_create(
        SpeakerFactory.build_batch(max(1, sessions * 7 // 10), company="Example Foundation")
    )
    per_day = -(-sessions // days)
    built = []
    for number in range(sessions):
        day, index = divmod(number, per_day)
        slot, room = divmod(index, rooms)
        topic = TOPICS[number % len(TOPICS)]
        starts_at = event.moment(day + 1, datetime.time(9, 5 * (room % 4))) + datetime.timedelta(
            minutes=slot * SLOT_MINUTES
        )
        slug = f"session-{number:04d}"
        built.append(
            SessionFactory.build(
                event=event,
                title=f"{topic} in practice: lessons from production, part {number}",
                slug=slug,
                kind=KINDS[number % len(KINDS)],
                description=DESCRIPTION.format(number=number, topic=topic.lower(), slug=slug),
                day=day + 1,
                position=0,
                starts_at=starts_at,
                duration=datetime.timedelta(minutes=25 if number % 3 else 50),
                room=room_list[room],
                track=tracks[number % len(tracks)],
                language="en",
            )
        )
    for session in built:
        fill_markdown(session, Session.markdown_fields)
    Session.objects.bulk_create(built)
    created = list(event.sessions.order_by("slug"))
    cycle = itertools.cycle(speakers)
    links = []
    for session in created:
        for position in range(1, 2 + session.pk % 3):
            links.append(SessionSpeaker(session=session, speaker=next(cycle), position=position))
    SessionSpeaker.objects.bulk_create(links)
    recordings, decks = [], []
    for number, session in enumerate(created):
        if number % 5:
            recording = RecordingFactory.build(
                session=session,
                url=f"https://www.youtube.com/watch?v=bench{number:06d}",
                position=1,
            )
            recording.derive_from_url()
            recordings.append(recording)
        if number % 2:
            deck = SlideDeckFactory.build(
                session=session,
                url=f"https://www.slideshare.net/slideshow/embed_code/key/bench{number:08d}",
                position=1,
            )
            deck.derive_from_url()
            decks.append(deck)
    Recording.objects.bulk_create(recordings)
    SlideDeck.objects.bulk_create(decks)
    Tag.objects.bulk_create(
        [Tag(name=topic, slug=topic.lower()) for topic in TOPICS], ignore_conflicts=True
    )
    by_slug = Tag.objects.in_bulk([topic.lower() for topic in TOPICS], field_name="slug")
    tag_objects = [by_slug[topic.lower()] for topic in TOPICS]
    content_type = ContentType.objects.get_for_model(Session)
    TaggedItem.objects.bulk_create(
        [
            TaggedItem(content_type=content_type, object_id=session.pk, tag=tag)
            for number, session in enumerate(created)
            for tag in (
                tag_objects[number % len(tag_objects)],
                tag_objects[(number + 5) % len(tag_objects)],
            )
        ]
    )
    content_changed_for(event_scopes([event.slug]))  # once for all the rows above
    return event


def public_pages(event):
    """The paths of every public HTML page of ``event``'s programme: the event page, every
    part of every day page, the schedule (its default and each day), the agenda, the first
    session's page and the page of the speaker with the most sessions."""
    from django.db.models import Count
    from django.urls import reverse

    from sessions.programme import SessionPlace, day_links, in_programme_order

    places = [
        SessionPlace(*row)
        for row in in_programme_order(event.sessions.all()).values_list("day", "starts_at")
    ]
    days = day_links(event, places)
    schedule = reverse("talks:event_schedule", kwargs={"slug": event.slug})
    speaker = (
        Speaker.objects.filter(sessions__event=event)
        .annotate(count=Count("sessions"))
        .order_by("-count", "pk")
        .first()
    )
    return [
        event.get_absolute_url(),
        *(part.href for day in days for part in day.parts),
        schedule,
        *(f"{schedule}?day={day.number}" for day in days),
        reverse("talks:event_agenda", kwargs={"slug": event.slug}),
        event.sessions.order_by("starts_at", "pk").first().get_absolute_url(),
        speaker.get_absolute_url(),
    ]
