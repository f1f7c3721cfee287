"""The programme: sessions (talks, keynotes, panels...) with their speakers, recordings and
slide decks, and the rooms and tracks of an event's schedule.

Times are aware datetimes, stored in UTC and shown in the event's zone (``Event.zone``). A
session without ``starts_at`` is untimed: a roundup post's session, ordered by ``day`` and
``position``. A timed session's ``day`` follows from its start.
"""

import datetime
import hashlib
import uuid
from functools import lru_cache
from itertools import groupby
from operator import attrgetter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, ExpressionWrapper, F, Min, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language
from taggit.managers import TaggableManager

from conference.caching import content_changed_for, event_scopes
from conference.fragments import fragment_source
from conference.markup import DIGEST_LENGTH, StoredMarkdown, rules_fingerprint
from conference.models import Event
from conference.paths import page_path
from conference.uploads import RandomName, validate_pdf, validate_upload_size
from conference.validators import (
    max_integer,
    max_position,
    no_control_characters,
    validate_web_address,
)
from conference.visibility import PublishableQuerySet
from speakers.models import Speaker

from . import providers
from .interchange.document import MAX_DAY, SESSION_SLUG_LENGTH

TEXT = [no_control_characters]

# A BCP 47 tag as schedules carry them: a language of 2 or 3 letters, then subtags of 1 to 8
# letters or digits (script, region, variant): "en", "pt-BR", "zh-Hant-TW", "de-CH-1996".
validate_language_tag = RegexValidator(
    r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*\Z",
    message="Enter a language tag (BCP 47) such as en, fr, pt-BR or zh-Hant.",
    code="invalid_language",
)
validate_colour = RegexValidator(
    r"^#[0-9A-Fa-f]{6}\Z",
    message="Enter a colour as # and six hexadecimal digits, such as #1f5fa8.",
    code="invalid_colour",
)
# The contrast WCAG 2 level AA asks of normal text against its background.
WCAG_AA_CONTRAST = 4.5
# Sessions of another millennium are typos (as event dates are), and far-future ends would
# overflow Python's datetime.
SESSION_STARTS_AT = [
    MinValueValidator(
        datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC),
        "Enter a time in the year 1900 or later.",
    ),
    MaxValueValidator(
        datetime.datetime(2999, 12, 31, tzinfo=datetime.UTC), "Enter a time before the year 3000."
    ),
]
SESSION_DURATION = [
    MinValueValidator(datetime.timedelta(0), "A duration cannot be negative."),
    MaxValueValidator(datetime.timedelta(days=7), "Enter a duration of at most 7 days."),
]


def times_overlap(start, end, other_start, other_end):
    """Whether ``[start, end)`` and ``[other_start, other_end)`` share a moment.

    An end of ``None`` makes a point in time, which overlaps what it starts inside of (or what
    starts with it); back-to-back sessions (one ends when the next starts) do not overlap.
    """
    end, other_end = end or start, other_end or other_start
    return start == other_start or (start < other_end and other_start < end)


def relative_luminance(colour):
    """WCAG 2 relative luminance of ``#rrggbb``: 0 for black, 1 for white."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    red, green, blue = linear
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def speakers_in_billing_order(lookup="session_speakers", to_attr=None):
    """Prefetch a session's speaker links (at ``lookup``), each with its speaker, in billing
    order: what ``Session.ordered_speakers`` reads."""
    return Prefetch(
        lookup,
        queryset=SessionSpeaker.objects.select_related("speaker").order_by("position"),
        to_attr=to_attr,
    )


def prefetched_list_name(relation):
    """Where ``SessionQuerySet.for_card_pages()`` puts the rows of ``relation``: a list."""
    return f"prefetched_{relation}"


class Room(models.Model):
    """Where sessions happen; ``position`` orders the schedule grid's columns."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=200, validators=TEXT)
    slug = models.SlugField(max_length=200)
    position = models.PositiveIntegerField(
        default=0, validators=[max_position], help_text="Order of the schedule's columns."
    )
    capacity = models.PositiveIntegerField(
        null=True, blank=True, validators=[max_integer], help_text="Number of seats."
    )
    description = models.TextField(blank=True, validators=TEXT, help_text="Markdown.")

    class Meta:
        ordering = ["event", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "slug"],
                name="unique_room_slug_per_event",
                violation_error_message="This event already has a room with this slug.",
            ),
        ]

    def __str__(self):
        return self.name


class Track(models.Model):
    """The one programme strand a session belongs to (tags stay free topics across events)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(max_length=200, validators=TEXT)
    slug = models.SlugField(max_length=200)
    colour = models.CharField(
        max_length=7,
        default="#1f5fa8",
        validators=[validate_colour],
        help_text="Background of the track's sessions on the schedule, under white text.",
    )
    position = models.PositiveIntegerField(
        default=0, validators=[max_position], help_text="Order in the schedule's legend."
    )

    class Meta:
        ordering = ["event", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "slug"],
                name="unique_track_slug_per_event",
                violation_error_message="This event already has a track with this slug.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def text_contrast(self):
        """Contrast ratio of white text on the track's colour (1 to 21)."""
        return 1.05 / (relative_luminance(self.colour) + 0.05)

    @property
    def is_accessible(self):
        """Whether white text on the colour meets WCAG AA for normal text."""
        return self.text_contrast >= WCAG_AA_CONTRAST


def ends_expression():
    """A session's end in SQL: its start plus its duration, or its start without a duration
    (a point in time)."""
    return Coalesce(
        ExpressionWrapper(F("starts_at") + F("duration"), output_field=models.DateTimeField()),
        F("starts_at"),
    )


class SessionQuerySet(PublishableQuerySet):
    def published(self):
        return self.filter(is_published=True, event__is_published=True)

    def timed(self):
        return self.filter(starts_at__isnull=False)

    def untimed(self):
        return self.filter(starts_at__isnull=True)

    def in_time_order(self):
        """By start, then grid column (room position), then title; untimed sessions last."""
        return self.order_by(
            F("starts_at").asc(nulls_last=True),
            F("room__position").asc(nulls_last=True),
            "title",
            "pk",
        )

    def for_schedule(self):
        """Everything a schedule block shows, in a fixed number of queries: event, room,
        track, speakers in billing order and tags."""
        return (
            self.select_related("event", "room", "track").with_speakers().prefetch_related("tags")
        )

    def overlapping(self, starts_at, ends_at=None):
        """Timed sessions sharing a moment with ``[starts_at, ends_at)`` (a point in time
        without ``ends_at``), by the rule of :func:`times_overlap`."""
        end = ends_at or starts_at
        return (
            self.timed()
            .alias(ends=ends_expression())
            .filter(Q(starts_at=starts_at) | Q(starts_at__lt=end, ends__gt=starts_at))
        )

    def room_clashes(self):
        """Every pair ``(earlier, later)`` of these sessions that overlap in one room, from one
        query: what the admin schedule flags and an import reports."""
        sessions = (
            self.timed()
            .filter(room__isnull=False)
            .select_related("event", "room")
            .order_by("room_id", "starts_at", "pk")
        )
        pairs = []
        for _room, group in groupby(sessions, attrgetter("room_id")):
            pairs.extend(_overlapping_pairs(list(group)))
        return pairs

    def speaker_clashes(self):
        """Every ``(earlier, later, speakers)`` of these sessions where the same speakers are
        in two overlapping sessions, from two queries. A warning, not an error: panels and
        recorded talks can be intended."""
        sessions = self.timed().select_related("event", "room").with_speakers()
        by_speaker = {}
        for session in sessions:
            for speaker in session.ordered_speakers:
                by_speaker.setdefault(speaker, []).append(session)
        shared = {}
        for speaker, talks in by_speaker.items():
            talks.sort(key=attrgetter("starts_at", "pk"))
            for pair in _overlapping_pairs(talks):
                shared.setdefault(pair, []).append(speaker)
        return [(first, second, speakers) for (first, second), speakers in shared.items()]

    def with_media_flags(self):
        return self.annotate(
            has_video=Exists(Recording.objects.filter(session=OuterRef("pk"))),
            has_slides=Exists(SlideDeck.objects.filter(session=OuterRef("pk"))),
        )

    def with_speakers(self):
        """Speakers in billing order (``ordered_speakers``) fetched with the sessions."""
        return self.prefetch_related(speakers_in_billing_order())

    def with_event(self):
        """Each session's event joined in, unless the rows come from an event's own manager
        (``event.sessions``): Django gives each of those rows that event object already, and
        a join would build one more copy of the event per session."""
        if self.model._meta.get_field("event") in self._known_related_objects:
            return self
        return self.select_related("event")

    def for_cards(self):
        """Everything a session card shows, in a fixed number of queries."""
        return (
            self.with_event()
            .select_related("room", "track")
            .with_speakers()
            .prefetch_related("recordings", "slide_decks", "tags")
        )

    def for_card_pages(self):
        """What ``for_cards()`` fetches, in the same queries, but held in plain lists
        (``Prefetch(to_attr=...)``) that ``Session.related_rows`` reads: Django then builds no
        queryset per session and relation to hold the rows, a third of the render of a
        1,000-session page. For the pages drawn from ``tag_list``, ``recording_list``,
        ``slide_deck_list`` and ``ordered_speakers`` only: ``session.tags.all()`` on these
        rows queries again (use ``for_cards()`` there)."""
        return (
            self.with_event()
            .select_related("room", "track")
            .prefetch_related(
                speakers_in_billing_order(to_attr=prefetched_list_name("session_speakers")),
                *(
                    Prefetch(relation, to_attr=prefetched_list_name(relation))
                    for relation in ("recordings", "slide_decks", "tags")
                ),
            )
        )

    def for_agenda(self):
        """What an agenda entry shows: event, room, track and speakers in billing order (no
        tags), the speakers in a list as ``for_card_pages()`` holds them."""
        return (
            self.with_event()
            .select_related("room", "track")
            .prefetch_related(
                speakers_in_billing_order(to_attr=prefetched_list_name("session_speakers"))
            )
        )

    def before(self, session):
        """Sessions ahead of ``session`` in its event's programme, the nearest first."""
        earlier = Q(day__lt=session.day) | Q(day=session.day, position__lt=session.position)
        return self.filter(earlier, event_id=session.event_id).order_by("-day", "-position")

    def after(self, session):
        """Sessions after ``session`` in its event's programme, the nearest first."""
        later = Q(day__gt=session.day) | Q(day=session.day, position__gt=session.position)
        return self.filter(later, event_id=session.event_id).order_by("day", "position")

    def for_speaker_page(self):
        """A speaker's sessions, newest event first, with their event and media flags."""
        return (
            self.select_related("event")
            .with_media_flags()
            .order_by(
                F("event__start_date").desc(nulls_last=True), "event__name", "day", "position"
            )
        )


def _overlapping_pairs(sessions):
    """Overlapping pairs among ``sessions`` sorted by start: a sweep, not every pair."""
    pairs = []
    for index, first in enumerate(sessions):
        for second in sessions[index + 1 :]:
            if second.starts_at != first.starts_at and second.starts_at >= (
                first.ends_at or first.starts_at
            ):
                break  # every later session starts later still
            pairs.append((first, second))
    return pairs


def _columns(row):
    """Every column of ``row``: what a fragment drawn from it may show."""
    return _column_getter(type(row))(row)


@lru_cache(maxsize=32)
def _column_getter(model):
    """A function returning the tuple of a ``model`` row's column values, in field order."""
    names = [field.attname for field in model._meta.concrete_fields]
    if len(names) == 1:
        return lambda row: (getattr(row, names[0]),)
    return attrgetter(*names)


# The fragments a session card or programme row is drawn with: a change to any of them changes
# every card's key (a shared cache outlives a deploy).
CARD_TEMPLATES = (
    "_session_card.html",
    "_programme_row.html",
    "_kind_badge.html",
    "_agenda_star.html",
    "_speaker_chips.html",
    "_avatar.html",
    "_embed_poster.html",
    "_media_link.html",
    *(entry.template for entry in providers.PROVIDERS.values()),
)


@lru_cache(maxsize=1)
def _card_templates_digest():
    sources = [fragment_source(name) for name in CARD_TEMPLATES]
    return hashlib.blake2b(repr(sources).encode(), digest_size=16).hexdigest()


def card_rendering_fingerprint():
    """What shapes every session card beside its own rows: the markdown rules, the provider
    table with the settings it reads (player hosts, thumbnails), where uploads are served
    from, the URL prefix, the language and the card's templates. Computed once per page."""
    table = [
        (entry.value, entry.label, entry.template, entry.plays_in, tuple(entry.hosts()))
        for entry in providers.PROVIDERS.values()
    ]
    return repr(
        (
            rules_fingerprint(),
            table,
            settings.EMBED_THUMBNAILS,
            settings.MEDIA_URL,
            get_script_prefix(),
            get_language(),
            _card_templates_digest(),
        )
    )


class Session(StoredMarkdown, models.Model):
    class Kind(models.TextChoices):
        TALK = "talk", "Talk"
        KEYNOTE = "keynote", "Keynote"
        PANEL = "panel", "Panel"
        WORKSHOP = "workshop", "Workshop"
        DEMO = "demo", "Demo"
        LIGHTNING = "lightning", "Lightning talk"
        TUTORIAL = "tutorial", "Tutorial"
        OTHER = "other", "Other"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=300, validators=TEXT)
    slug = models.SlugField(max_length=SESSION_SLUG_LENGTH)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.TALK)
    day = models.PositiveSmallIntegerField(
        default=1,
        validators=[
            MinValueValidator(1, message="Days are numbered from 1."),
            MaxValueValidator(MAX_DAY),
        ],
        help_text="1 for the first day.",
    )
    position = models.PositiveIntegerField(
        default=0, validators=[max_position], help_text="Order within the day."
    )
    starts_at = models.DateTimeField(
        "start",
        null=True,
        blank=True,
        validators=SESSION_STARTS_AT,
        help_text="In the event's time zone. Sets the day; leave empty for an untimed session.",
    )
    duration = models.DurationField(
        null=True, blank=True, validators=SESSION_DURATION, help_text="e.g. 00:45:00."
    )
    room = models.ForeignKey(
        Room, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    track = models.ForeignKey(
        Track, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    language = models.CharField(
        max_length=35,
        blank=True,
        validators=[validate_language_tag],
        help_text="A language tag (BCP 47): en, fr, pt-BR…",
    )
    # Exchange formats and calendar apps know a session by it: set once, never changed.
    guid = models.UUIDField("GUID", default=uuid.uuid4, unique=True, editable=False)
    description = models.TextField(blank=True, validators=TEXT, help_text="Markdown.")
    description_html = models.TextField(blank=True, editable=False)
    description_html_digest = models.CharField(max_length=DIGEST_LENGTH, blank=True, editable=False)
    speakers = models.ManyToManyField(
        Speaker, through="SessionSpeaker", related_name="sessions", blank=True
    )
    tags = TaggableManager(blank=True)
    is_published = models.BooleanField(
        "published", default=False, help_text="Visible to attendees on the public site."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()
    markdown_fields = ("description",)

    # An import keeps a published schedule's times as they are, room overlaps included (real
    # schedules have a few), and reports them: it sets this on the sessions it cleans.
    keep_room_clashes = False

    class Meta:
        ordering = ["event", "day", "position", "starts_at", "title"]
        constraints = [
            models.UniqueConstraint(fields=["event", "slug"], name="unique_session_slug_per_event"),
            # Untimed sessions are ordered by position; timed ones by their time, so moving
            # one to another day never collides with a position there.
            models.UniqueConstraint(
                fields=["event", "day", "position"],
                condition=Q(starts_at__isnull=True),
                name="unique_session_position_per_day",
                violation_error_message="Session with this Event, Day and Position already exists.",
            ),
            models.CheckConstraint(
                condition=Q(day__gte=1),
                name="session_day_starts_at_one",
                violation_error_message="Days are numbered from 1.",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        day, shift = self.day_from_start()
        if day is not None:
            self.day = day
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "starts_at" in update_fields:
            kwargs["update_fields"] = {*update_fields, "day"}
        super().save(*args, **kwargs)
        if shift:
            # Without a start date days count from the earliest session: this one is the new
            # earliest, so the others' days move on.
            Session.objects.timed().filter(event_id=self.event_id).exclude(pk=self.pk).update(
                day=F("day") + shift
            )
            content_changed_for(event_scopes([self.event.slug]))  # update() sends no signal

    def get_absolute_url(self):
        return page_path("talks:session_detail", event_slug=self.event.slug, slug=self.slug)

    def related_rows(self, name):
        """The rows of the relation ``name`` (``"tags"``, ``"recordings"``...) as a list: the
        prefetched ones when the queryset fetched them, read without a manager (each
        ``session.recordings.all()`` builds and filters a new queryset, a cost a 1,000-session
        page pays thousands of times), else from the database."""
        rows = self.__dict__.get(prefetched_list_name(name))
        if rows is not None:
            return rows
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get(name)
        if prefetched is not None:
            return list(prefetched)
        return list(getattr(self, name).all())

    @property
    def ordered_speakers(self):
        """Speakers in billing order; uses the prefetch of ``with_speakers`` when present."""
        return [link.speaker for link in self.related_rows("session_speakers")]

    @property
    def tag_list(self):
        return self.related_rows("tags")

    @property
    def recording_list(self):
        return self.related_rows("recordings")

    @property
    def slide_deck_list(self):
        return self.related_rows("slide_decks")

    def card_version(self, rendering=None):
        """A key for this session's card and programme row (fragments ``_session_card.html``,
        ``_programme_row.html``) that changes when anything they are drawn from changes: every
        column of the session, of its room, of its event's slug and time zone, of its speakers
        (a rename changes every card showing them), tags, recordings and slide decks, and
        ``rendering`` (:func:`card_rendering_fingerprint`: the markdown rules, the provider
        table and its settings, the templates), computed here when not given. Read from the
        rows ``for_cards()`` prefetched: no query.
        """
        if rendering is None:
            rendering = card_rendering_fingerprint()
        rows = [
            _columns(self),
            (self.event_id, self.event.slug, self.event.time_zone),
            _columns(self.room) if self.room_id else (),
            *(
                _columns(link) + _columns(link.speaker)
                for link in self.related_rows("session_speakers")
            ),
            *(_columns(tag) for tag in self.tag_list),
            *(_columns(recording) for recording in self.recording_list),
            *(_columns(deck) for deck in self.slide_deck_list),
        ]
        digest = hashlib.blake2b(repr((rendering, rows)).encode(), digest_size=16)
        return f"{self.pk}-{digest.hexdigest()}"

    @property
    def is_timed(self):
        return self.starts_at is not None

    @property
    def ends_at(self):
        """Start plus duration, or ``None`` when either is unknown."""
        if self.starts_at is None or self.duration is None:
            return None
        # In UTC: adding to a local time would add wall-clock hours across a DST change.
        return self.starts_at.astimezone(datetime.UTC) + self.duration

    @property
    def local_starts_at(self):
        """The start in the event's zone, or ``None``."""
        return self.starts_at.astimezone(self.event.zone) if self.starts_at else None

    @property
    def local_ends_at(self):
        """The end in the event's zone, or ``None``."""
        ends_at = self.ends_at
        return ends_at.astimezone(self.event.zone) if ends_at else None

    def day_from_start(self):
        """``(day, shift)``: the day ``starts_at`` falls on, the event's first day being 1 in
        the event's zone (``None`` for an untimed session), and by how many days the other
        timed sessions' days must move because this session became the earliest (mostly 0).

        The first day is the event's start date, or without one the local date of the
        event's earliest timed session (this one included).
        """
        if self.starts_at is None or self.event_id is None:
            return None, 0
        zone = self.event.zone
        own_date = self.starts_at.astimezone(zone).date()
        first_date, shift = self.event.start_date, 0
        if first_date is None:
            earliest = (
                Session.objects.timed()
                .filter(event_id=self.event_id)
                .exclude(pk=self.pk)
                .aggregate(earliest=Min("starts_at"))["earliest"]
            )
            others_first = earliest.astimezone(zone).date() if earliest else own_date
            first_date = min(own_date, others_first)
            shift = (others_first - first_date).days
        return (own_date - first_date).days + 1, shift

    def clean(self):
        super().clean()
        if self.event_id is None:
            return
        wrong_event = {
            name: f"“{related}” belongs to another event: choose one of {self.event}'s {name}s."
            for name in ("room", "track")
            if (related := getattr(self, name)) is not None and related.event_id != self.event_id
        }
        if wrong_event:
            raise ValidationError(wrong_event)
        if self.starts_at is None:
            return
        day, _shift = self.day_from_start()
        if not 1 <= day <= MAX_DAY:
            raise ValidationError(
                "This session starts %(when)s, before the event's first day or more than "
                "%(max)s days after it: check the date (and the event's start date).",
                code="outside_event",
                params={"when": self.local_starts_at.strftime("%d %B %Y"), "max": MAX_DAY},
            )
        self.day = day  # as save() will, so the constraints are checked on it
        clash = None if self.keep_room_clashes else self.room_clashes().first()
        if clash is not None:
            raise ValidationError(self.room_taken_message(clash), code="room_taken")

    def room_clashes(self):
        """Other sessions in this session's room whose times overlap its own."""
        if self.room_id is None or self.starts_at is None:
            return Session.objects.none()
        return (
            Session.objects.filter(room_id=self.room_id)
            .exclude(pk=self.pk)
            .overlapping(self.starts_at, self.ends_at)
            .select_related("room", "event")
            .order_by("starts_at", "pk")
        )

    @staticmethod
    def room_taken_message(other):
        """“Hall B is taken from 10:00 to 11:00 by “Other talk”.”, in the event's zone."""
        start = other.local_starts_at.strftime("%H:%M")
        if other.ends_at is None:
            return f"{other.room} is taken at {start} by “{other}”."
        end = other.local_ends_at.strftime("%H:%M")
        return f"{other.room} is taken from {start} to {end} by “{other}”."

    def speaker_clashes(self):
        """Other sessions, of any event, where one of this session's speakers is at the same
        time: a warning for the organiser, not an error."""
        if self.pk is None or self.starts_at is None:
            return Session.objects.none()
        return (
            Session.objects.filter(speakers__in=self.speakers.all())
            .exclude(pk=self.pk)
            .overlapping(self.starts_at, self.ends_at)
            .distinct()
            .order_by("starts_at", "pk")
        )

    def speaker_clash_warnings(self):
        """One sentence per clashing session, naming the speakers, its room and time."""
        mine = set(self.speakers.values_list("pk", flat=True))
        clashes = self.speaker_clashes().select_related("event", "room").with_speakers()
        warnings = []
        for other in clashes:
            shared = [speaker.name for speaker in other.ordered_speakers if speaker.pk in mine]
            names = " and ".join(shared)
            verb = "speaks" if len(shared) == 1 else "speak"
            where = f" in {other.room}" if other.room else ""
            start = other.local_starts_at.strftime("%H:%M")
            when = f"{start} to {other.local_ends_at:%H:%M}" if other.ends_at else start
            warnings.append(f"{names} also {verb} in “{other}”{where}, {when}.")
        return warnings


class SessionSpeaker(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="session_speakers")
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="session_links")
    position = models.PositiveIntegerField(default=0, validators=[max_position])

    class Meta:
        ordering = ["session_id", "position"]  # the column: see HostedMedia.Meta
        verbose_name = "speaker"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "speaker"],
                name="unique_speaker_per_session",
                violation_error_message="This speaker is already listed for this session.",
            ),
            models.UniqueConstraint(
                fields=["session", "position"],
                name="unique_speaker_position_per_session",
                violation_error_message="This position is already taken in this session.",
            ),
        ]

    def __str__(self):
        return f"{self.speaker} in {self.session}"


class SessionLink(models.Model):
    """A link of a session that is neither a recording nor a slide deck (a project page, the
    source's page of the talk...): shown as a plain link on the session page."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="links")
    url = models.URLField(max_length=500, validators=[validate_web_address])
    title = models.CharField(max_length=300, blank=True, validators=TEXT)
    position = models.PositiveIntegerField(default=0, validators=[max_position])

    class Meta:
        ordering = ["session_id", "position", "id"]  # the column: see HostedMedia.Meta
        verbose_name = "link"

    def __str__(self):
        return self.title or self.url


class HostedMedia(models.Model):
    """A video or deck on a provider's site, stored as provider and key (sessions.providers).

    ``url`` is validated by its field's validator; ``derive_from_url`` sets the canonical URL,
    provider and key from it, in ``save()`` and in ``clean()`` alike.
    """

    provider_key = models.CharField(max_length=providers.MAX_KEY_LENGTH, editable=False)
    title = models.CharField(max_length=300, blank=True, validators=TEXT)
    position = models.PositiveIntegerField(default=0, validators=[max_position])
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    parse_url = None  # set by subclasses: a function from pasted text to a MediaRef

    class Meta:
        abstract = True
        # By the column, not the session's own ordering: ``"session"`` would join the session
        # and event tables into every prefetch of a page's recordings and decks.
        ordering = ["session_id", "position", "id"]

    def save(self, *args, **kwargs):
        self.derive_from_url()
        super().save(*args, **kwargs)

    def clean(self):
        # The url field's validator reports an unsupported link; validators never see an empty
        # value (nor one a form refused, which leaves url empty), so that is reported here.
        try:
            self.derive_from_url()
        except ValidationError:
            if not self.url:
                raise

    def derive_from_url(self):
        """Turn whatever was pasted into the canonical URL, provider and key; an embed code
        that names its deck or video gives the title when none is set. Raises
        ``ValidationError`` on ``url`` when it is not a supported link."""
        if not self.title:
            self.title = providers.embed_code_title(self.url)
        try:
            ref = type(self).parse_url(self.url)
        except ValidationError as error:
            raise ValidationError({"url": error.messages}) from error
        self.url, self.provider, self.provider_key = ref.url, ref.provider, ref.key

    @property
    def provider_entry(self):
        """This item's entry in the provider table, or ``None`` for a provider not in it."""
        return providers.PROVIDERS.get(self.provider)

    @property
    def embed_url(self):
        return providers.embed_url(self.provider, self.provider_key)

    @property
    def thumbnail_url(self):
        entry = self.provider_entry
        return entry.thumbnail_url(self.provider_key) if entry else ""


class Recording(HostedMedia):
    class Kind(models.TextChoices):
        FULL = "full", "Full talk"
        RECAP = "recap", "Recap"
        QA = "qa", "Q&A"
        DEMO = "demo", "Demo"
        INTERVIEW = "interview", "Interview"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="recordings")
    url = models.CharField(
        "video URL",
        max_length=providers.MAX_INPUT_LENGTH,
        validators=[providers.validate_video_url],
        help_text="A YouTube, Vimeo, PeerTube or media.ccc.de link in any form, or its "
        "<iframe> embed code, or a video file (.mp4, .webm) on a host in VIDEO_FILE_HOSTS.",
    )
    provider = models.CharField(max_length=20, choices=providers.VideoProvider, editable=False)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.FULL)
    # The same video file in other containers (the .webm beside the .mp4), tried in order
    # after ``url`` by the visitor's browser: canonical links, video files only.
    alternate_urls = models.JSONField(
        "other formats",
        default=list,
        blank=True,
        help_text="The same video file in other formats, one link per line (e.g. the .webm "
        "beside an .mp4): the browser plays the first it can.",
    )

    parse_url = staticmethod(providers.parse_video)

    class Meta(HostedMedia.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["session", "position"],
                name="unique_recording_position_per_session",
                violation_error_message="This position is already taken in this session.",
            ),
            models.UniqueConstraint(
                fields=["session", "provider", "provider_key"],
                name="unique_recording_per_session",
                violation_error_message="This video is already attached to this session.",
            ),
        ]

    def __str__(self):
        return self.title or f"{self.get_kind_display()} of {self.session}"

    def derive_from_url(self):
        """Also the further sources, made canonical: video files on a listed host only."""
        super().derive_from_url()
        self.alternate_urls = self._checked_alternates(self.parse_url(self.url))

    def clean(self):
        super().clean()
        try:
            ref = self.parse_url(self.url)
        except ValidationError:
            return  # the url field says why
        self.alternate_urls = self._checked_alternates(ref)

    def _checked_alternates(self, ref):
        try:
            return providers.parse_alternate_sources(ref, self.alternate_urls)
        except ValidationError as error:
            raise ValidationError({"alternate_urls": error.messages}) from error

    @property
    def plays_in_page(self):
        """A video file: our own <video> plays it (no provider's player)."""
        entry = self.provider_entry
        return bool(entry) and entry.plays_in == providers.VIDEO_ELEMENT

    @property
    def video_sources(self):
        """``[(url, type)]``: the file and its other formats, on hosts played here."""
        if not self.plays_in_page:
            return []
        return providers.video_sources([self.url, *self.alternate_urls])

    @property
    def content_url(self):
        """The address of the video file itself (schema.org's ``contentUrl``), or ``""``."""
        return self.url if self.plays_in_page else ""


class SlideDeck(HostedMedia):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="slide_decks")
    url = models.CharField(
        "slides URL",
        max_length=providers.MAX_INPUT_LENGTH,
        blank=True,
        validators=[providers.validate_slides_url],
        help_text="A SlideShare or Speaker Deck link in any form, or its <iframe> embed code, "
        "or a link to a PDF file. Leave empty when uploading a PDF.",
    )
    provider = models.CharField(max_length=20, choices=providers.SlidesProvider, editable=False)
    pdf = models.FileField(
        "PDF",
        upload_to=RandomName("slides", extension="pdf"),
        validators=[validate_upload_size, validate_pdf],
        blank=True,
    )

    parse_url = staticmethod(providers.parse_slides)

    class Meta(HostedMedia.Meta):
        verbose_name = "slide deck"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "position"],
                name="unique_slide_deck_position_per_session",
                violation_error_message="This position is already taken in this session.",
            ),
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(pdf=""), name="slide_deck_has_url_or_pdf"
            ),
        ]

    def __str__(self):
        return self.title or f"Slides of {self.session}"

    def derive_from_url(self):
        """An uploaded PDF is the deck, whatever the url says."""
        if self.pdf:
            self.provider, self.provider_key = providers.SlidesProvider.PDF, ""
            return
        super().derive_from_url()

    def clean(self):
        if bool(self.url) == bool(self.pdf):
            raise ValidationError("Give either a slides link or a PDF file, not both or neither.")
        super().clean()

    @property
    def embed_url(self):
        if self.provider == providers.SlidesProvider.PDF:
            return self.pdf.url
        return super().embed_url


class ImportJob(models.Model):
    """One import from the admin: the file (uploaded, or fetched from a URL), its dry run, and
    the background job that loads it once an organiser has confirmed the diff.

    The file's bytes are kept here rather than under ``MEDIA_ROOT``: uploads there can be served
    to anyone, and a worker on another machine reads the database anyway. What the job is doing
    moves through ``status``; while the load runs, its progress lives outside the database (the
    load is one transaction, invisible to other connections until it commits): see
    :mod:`sessions.interchange.jobs`.
    """

    class Status(models.TextChoices):
        CHECKING = "checking", "checking the file"
        CHECKED = "checked", "ready to import"
        REFUSED = "refused", "refused"
        QUEUED = "queued", "waiting for a worker"
        RUNNING = "running", "importing"
        DONE = "done", "imported"
        FAILED = "failed", "failed"

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="import_jobs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    source_name = models.CharField("file", max_length=200)
    source_url = models.URLField("URL", max_length=2000, blank=True)
    source = models.BinaryField(blank=True, editable=False)
    format = models.CharField(max_length=32)
    publish = models.BooleanField(default=True)
    skip_unsupported = models.BooleanField(default=False)
    event_slug = models.SlugField(max_length=100, blank=True)
    event_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CHECKING)
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    sessions_total = models.PositiveIntegerField(default=0)
    sessions_done = models.PositiveIntegerField(default=0)
    check_summary = models.JSONField(default=dict, blank=True)
    result_summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="import_jobs"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "import"

    def __str__(self):
        return f"{self.source_url or self.source_name} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("admin:talks_importjob_change", args=[self.pk])

    @property
    def is_working(self):
        """Whether a worker has something left to do (the page keeps polling)."""
        return self.status in {self.Status.CHECKING, self.Status.QUEUED, self.Status.RUNNING}
