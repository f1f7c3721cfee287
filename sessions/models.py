"""Sessions (talks, keynotes, panels...) with their speakers, recordings and slide decks."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.urls import reverse
from taggit.managers import TaggableManager

from conference.models import Event
from conference.uploads import RandomName, validate_pdf, validate_upload_size
from conference.validators import max_position, no_control_characters
from conference.visibility import PublishableQuerySet
from speakers.models import Speaker

from . import providers
from .interchange.document import MAX_DAY, SESSION_SLUG_LENGTH

TEXT = [no_control_characters]


def speakers_in_billing_order(lookup="session_speakers"):
    """Prefetch a session's speaker links (at ``lookup``), each with its speaker, in billing
    order: what ``Session.ordered_speakers`` reads."""
    return Prefetch(
        lookup, queryset=SessionSpeaker.objects.select_related("speaker").order_by("position")
    )


class SessionQuerySet(PublishableQuerySet):
    def published(self):
        return self.filter(is_published=True, event__is_published=True)

    def with_media_flags(self):
        return self.annotate(
            has_video=Exists(Recording.objects.filter(session=OuterRef("pk"))),
            has_slides=Exists(SlideDeck.objects.filter(session=OuterRef("pk"))),
        )

    def with_speakers(self):
        """Speakers in billing order (``ordered_speakers``) fetched with the sessions."""
        return self.prefetch_related(speakers_in_billing_order())

    def for_cards(self):
        """Everything a session card shows, in a fixed number of queries."""
        return (
            self.select_related("event")
            .with_speakers()
            .prefetch_related("recordings", "slide_decks", "tags")
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


class Session(models.Model):
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
    start_time = models.TimeField(null=True, blank=True)
    position = models.PositiveIntegerField(
        default=0, validators=[max_position], help_text="Order within the day."
    )
    description = models.TextField(blank=True, validators=TEXT, help_text="Markdown.")
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

    class Meta:
        ordering = ["event", "day", "position", "start_time", "title"]
        constraints = [
            models.UniqueConstraint(fields=["event", "slug"], name="unique_session_slug_per_event"),
            models.UniqueConstraint(
                fields=["event", "day", "position"], name="unique_session_position_per_day"
            ),
            models.CheckConstraint(
                condition=Q(day__gte=1),
                name="session_day_starts_at_one",
                violation_error_message="Days are numbered from 1.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "talks:session_detail", kwargs={"event_slug": self.event.slug, "slug": self.slug}
        )

    @property
    def ordered_speakers(self):
        """Speakers in billing order; uses the prefetch of ``with_speakers`` when present."""
        return [link.speaker for link in self.session_speakers.all()]


class SessionSpeaker(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="session_speakers")
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="session_links")
    position = models.PositiveIntegerField(default=0, validators=[max_position])

    class Meta:
        ordering = ["session", "position"]
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
        ordering = ["session", "position"]

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
        help_text="A YouTube link in any form, or its <iframe> embed code.",
    )
    provider = models.CharField(max_length=20, choices=providers.VideoProvider, editable=False)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.FULL)

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


class SlideDeck(HostedMedia):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="slide_decks")
    url = models.CharField(
        "slides URL",
        max_length=providers.MAX_INPUT_LENGTH,
        blank=True,
        validators=[providers.validate_slides_url],
        help_text="A SlideShare link in any form, or its <iframe> embed code. "
        "Leave empty when uploading a PDF.",
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
