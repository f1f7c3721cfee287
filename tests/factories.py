"""factory_boy factories for every model; tests build exactly the data they assert on."""

import datetime

import factory
from django.contrib.auth import get_user_model

from conference.models import Event, Sponsor, Sponsorship
from sessions.models import Recording, Room, Session, SessionSpeaker, SlideDeck, Track
from speakers.models import ProfileLink, Speaker

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(PASSWORD)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    name = factory.Sequence(lambda n: f"Collaboration Conference {2000 + n}")
    slug = factory.Sequence(lambda n: f"conference-{2000 + n}")
    summary = "The annual get-together of the community."
    start_date = datetime.date(2023, 11, 23)
    end_date = datetime.date(2023, 11, 24)
    venue = "voco hotel"
    city = "Paris"
    country = "France"
    is_published = True


class SponsorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sponsor

    name = factory.Sequence(lambda n: f"Sponsor {n}")
    slug = factory.Sequence(lambda n: f"sponsor-{n}")
    website = factory.Sequence(lambda n: f"https://sponsor{n}.example.org/")


class SponsorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sponsorship

    event = factory.SubFactory(EventFactory)
    sponsor = factory.SubFactory(SponsorFactory)
    position = factory.Sequence(lambda n: n)


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    name = factory.Sequence(lambda n: f"Speaker {n}")
    slug = factory.Sequence(lambda n: f"speaker-{n}")
    company = "ShapeBlue"


class ProfileLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProfileLink

    speaker = factory.SubFactory(SpeakerFactory)
    kind = ProfileLink.Kind.LINKEDIN
    url = factory.Sequence(lambda n: f"https://www.linkedin.com/in/speaker-{n}/")


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Hall {n}")
    slug = factory.Sequence(lambda n: f"hall-{n}")
    position = factory.Sequence(lambda n: n)


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Track {n}")
    slug = factory.Sequence(lambda n: f"track-{n}")
    colour = "#1f5fa8"
    position = factory.Sequence(lambda n: n)


class SessionFactory(factory.django.DjangoModelFactory):
    """An untimed session (as a roundup's); give ``starts_at`` (and ``duration``) to time it,
    or ``start_time``: that time of day on the session's day in the event's zone."""

    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    slug = factory.Sequence(lambda n: f"session-{n}")
    day = 1
    position = factory.Sequence(lambda n: n)
    description = "What this session is about."
    is_published = True
    starts_at = factory.LazyAttribute(
        lambda session: (
            session.event.moment(session.day, session.start_time) if session.start_time else None
        )
    )

    class Params:
        start_time = None


class SessionSpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionSpeaker

    session = factory.SubFactory(SessionFactory)
    speaker = factory.SubFactory(SpeakerFactory)
    position = factory.Sequence(lambda n: n)


class RecordingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recording

    session = factory.SubFactory(SessionFactory)
    url = "https://www.youtube.com/watch?v=cCNCmJxxEPA"
    position = factory.Sequence(lambda n: n)


class SlideDeckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SlideDeck

    session = factory.SubFactory(SessionFactory)
    url = "https://www.slideshare.net/slideshow/embed_code/key/hH2CO8kHcQaCQo"
    position = factory.Sequence(lambda n: n)
