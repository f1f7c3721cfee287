"""Events and their sponsors."""

import datetime
import time
import zoneinfo

from django.conf import settings
from django.db import connection, models
from django.db.models import Count, Q
from django.db.models.functions import Greatest

from conference.paths import page_path

from .markup import DIGEST_LENGTH, StoredMarkdown
from .uploads import CheckedImageField, RandomName
from .validators import (
    EVENT_DATE,
    max_integer,
    max_position,
    no_control_characters,
    validate_time_zone,
    validate_web_address,
)
from .visibility import PublishableQuerySet

TEXT = [no_control_characters]


def default_time_zone():
    """The site's zone (``settings.TIME_ZONE``) for a new event."""
    return settings.TIME_ZONE


class EventQuerySet(PublishableQuerySet):
    def published(self):
        return self.filter(is_published=True)

    def with_counts(self):
        """Annotate the number of published sessions and of distinct speakers in them."""
        published_sessions = Q(sessions__is_published=True)
        return self.annotate(
            session_count=Count("sessions", filter=published_sessions, distinct=True),
            speaker_count=Count("sessions__speakers", filter=published_sessions, distinct=True),
        )


class Event(StoredMarkdown, models.Model):
    name = models.CharField(max_length=200, validators=TEXT)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField(
        blank=True, validators=TEXT, help_text="Markdown. Shown at the top of the roundup."
    )
    summary_html = models.TextField(blank=True, editable=False)
    summary_html_digest = models.CharField(max_length=DIGEST_LENGTH, blank=True, editable=False)
    start_date = models.DateField(null=True, blank=True, validators=EVENT_DATE)
    end_date = models.DateField(null=True, blank=True, validators=EVENT_DATE)
    time_zone = models.CharField(
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text="Where the event takes place, e.g. Europe/Paris: every time of the event is "
        "entered and shown in this zone.",
    )
    venue = models.CharField(max_length=200, blank=True, validators=TEXT)
    city = models.CharField(max_length=100, blank=True, validators=TEXT)
    country = models.CharField(max_length=100, blank=True, validators=TEXT)
    website = models.URLField(max_length=500, blank=True, validators=[validate_web_address])
    photo_gallery_url = models.URLField(
        "photo gallery URL", max_length=500, blank=True, validators=[validate_web_address]
    )
    banner = CheckedImageField(upload_to=RandomName("events/banners"), blank=True)
    attendee_count = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[max_integer],
        help_text="As announced, e.g. 350 for “over 350 attendees”.",
    )
    country_count = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[max_integer],
        help_text="Number of countries attendees came from.",
    )
    is_published = models.BooleanField(
        "published", default=False, help_text="Visible to attendees on the public site."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()
    markdown_fields = ("summary",)

    class Meta:
        ordering = [models.F("start_date").desc(nulls_last=True), "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="event_ends_after_it_starts",
                violation_error_message="The event cannot end before it starts.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return page_path("conference:event_detail", slug=self.slug)

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    def date_of_day(self, day):
        """The date of day ``day`` (1 is the first), or ``None`` without a start date."""
        if self.start_date is None:
            return None
        return self.start_date + datetime.timedelta(days=day - 1)

    def moment(self, day, time_of_day):
        """The moment of ``time_of_day`` on day ``day`` in the event's zone, or ``None``
        without a start date.

        Wall-clock times are read as PEP 495 does with ``fold=0``: a time repeated when clocks
        go back (02:30 on 27 October 2024 in Europe/Berlin) is its first occurrence, in summer
        time; a time skipped when clocks go forward (02:30 on 31 March 2024) is read with the
        offset before the change, so it lands as far past the gap (03:30 summer time).

        The moment is given in UTC: Python never finds a local time of the repeated hour equal
        to a time in another zone (PEP 495), which would make equal moments look changed.
        """
        date = self.date_of_day(day)
        if date is None:
            return None
        return datetime.datetime.combine(date, time_of_day, tzinfo=self.zone).astimezone(
            datetime.UTC
        )

    @property
    def location(self):
        return ", ".join(part for part in (self.venue, self.city, self.country) if part)


class Sponsor(models.Model):
    name = models.CharField(max_length=200, validators=TEXT)
    slug = models.SlugField(max_length=200, unique=True)
    website = models.URLField(max_length=500, blank=True, validators=[validate_web_address])
    logo = CheckedImageField(upload_to=RandomName("sponsors/logos"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.website or ""


class SponsorshipQuerySet(models.QuerySet):
    def for_event_page(self):
        return self.select_related("sponsor").order_by("tier", "position", "sponsor__name")


class Sponsorship(models.Model):
    class Tier(models.IntegerChoices):
        PLATINUM = 10, "Platinum"
        GOLD = 20, "Gold"
        SILVER = 30, "Silver"
        BRONZE = 40, "Bronze"
        PARTNER = 50, "Partner"
        SPONSOR = 60, "Sponsor"
        SUPPORTER = 70, "Supporter"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sponsorships")
    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="sponsorships")
    tier = models.PositiveSmallIntegerField(choices=Tier, default=Tier.SPONSOR)
    position = models.PositiveIntegerField(
        default=0, validators=[max_position], help_text="Order within the tier."
    )

    objects = SponsorshipQuerySet.as_manager()

    class Meta:
        ordering = ["event", "tier", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "sponsor", "tier"],
                name="unique_sponsor_tier_per_event",
                violation_error_message="This sponsor already has this tier at this event.",
            ),
        ]

    def __str__(self):
        return f"{self.sponsor} ({self.get_tier_display()}) at {self.event}"


class ContentVersion(models.Model):
    """Numbers that change whenever something shown on the public site changes, one per scope.

    Scopes: ``"all"`` (keys every page: bumped by a change no app could place), ``"site"``
    (pages that span events: home, event list, speakers, tags, search, feeds, sitemap) and
    ``"event:<slug>"`` (that event's pages). Cached pages are keyed by them
    (``conference.caching``), so an edit made anywhere (admin, importer, shell, another app
    server) is visible on the next request: no purge, no wait. They live in the database, which
    every process shares, and change inside the edit's transaction.
    """

    ALL = "all"
    SITE = "site"

    scope = models.CharField(max_length=255, unique=True)
    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["scope"]

    def __str__(self):
        return f"content version {self.scope} {self.number}"

    @staticmethod
    def event_scope(slug):
        return f"event:{slug}"

    @classmethod
    def numbers(cls, scopes):
        """The current number of each scope; a scope never bumped counts 0, except ``site``,
        re-created from the clock when missing (flush, restore)."""
        scopes = list(scopes)
        placeholders = ", ".join(["%s"] * len(scopes))
        # Read on a cache miss of the version memo: plain SQL skips the ORM's compilation.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT scope, number FROM {cls._meta.db_table} WHERE scope IN ({placeholders})",
                scopes,
            )
            found = dict(cursor.fetchall())
        for scope in {cls.SITE} & (set(scopes) - set(found)):
            found[scope] = cls._recreate(scope)
        return {scope: found.get(scope, 0) for scope in scopes}

    @classmethod
    def bump(cls, scopes):
        # Never lower than the clock: a number restored from a backup, or a re-created row,
        # cannot come back to a value that once keyed other content.
        scopes = set(scopes)
        number = Greatest(models.F("number") + 1, models.Value(time.time_ns()))
        cls.objects.filter(scope__in=scopes).update(number=number)
        existing = set(cls.objects.filter(scope__in=scopes).values_list("scope", flat=True))
        for scope in scopes - existing:
            cls._recreate(scope)

    @classmethod
    def _recreate(cls, scope):
        # A clock value, so a re-created row never reuses a number that keys cached pages.
        version, _ = cls.objects.get_or_create(scope=scope, defaults={"number": time.time_ns()})
        return version.number
