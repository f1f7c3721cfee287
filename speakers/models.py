"""Speakers and their profile links."""

import re
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q

from conference.markup import DIGEST_LENGTH, StoredMarkdown
from conference.paths import page_path
from conference.uploads import CheckedImageField, RandomName
from conference.validators import max_position, no_control_characters, validate_web_address
from conference.visibility import user_sees_drafts

TEXT = [no_control_characters]


def normalise_profile_url(url):
    """Reduce a profile URL to a form that is equal for every way of writing it.

    ``https://www.linkedin.com/in/jonas-will%C3%A9n/`` and ``http://linkedin.com/in/jonas-willén``
    are the same person: scheme, ``www.``, case of the host, percent-escapes, query, fragment
    and trailing slashes do not matter.
    """
    url = (url or "").strip()
    if not url:
        return ""
    if "://" not in url:
        url = "https://" + url
    try:
        parts = urlsplit(url)
    except ValueError:  # malformed beyond repair, e.g. "https://[x": compare it as written
        return url.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    host = re.sub(r"^(www|m|[a-z]{2})\.(?=linkedin\.com$)", "", host)
    host = host.removeprefix("www.")
    path = unquote(parts.path).rstrip("/")
    if host in {"linkedin.com", "github.com", "twitter.com", "x.com"}:
        path = path.lower()
    return f"{host}{path}"


class SpeakerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Speakers with a session the visitor may see, annotated with how many (``session_count``).

        Attendees see the speakers of published sessions of published events; staff previewing
        drafts see everyone who holds a session at all.
        """
        visible = None
        if not user_sees_drafts(user):
            visible = Q(sessions__is_published=True, sessions__event__is_published=True)
        session_count = Count("sessions", filter=visible, distinct=True)
        return self.annotate(session_count=session_count).filter(session_count__gt=0)


class Speaker(StoredMarkdown, models.Model):
    name = models.CharField(max_length=200, validators=TEXT)
    slug = models.SlugField(max_length=200, unique=True)
    bio = models.TextField(blank=True, validators=TEXT, help_text="Markdown.")
    bio_html = models.TextField(blank=True, editable=False)
    bio_html_digest = models.CharField(max_length=DIGEST_LENGTH, blank=True, editable=False)
    company = models.CharField(max_length=200, blank=True, validators=TEXT)
    photo = CheckedImageField(upload_to=RandomName("speakers/photos"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SpeakerQuerySet.as_manager()
    markdown_fields = ("bio",)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return page_path("speakers:detail", slug=self.slug)


class ProfileLink(models.Model):
    class Kind(models.TextChoices):
        LINKEDIN = "linkedin", "LinkedIn"
        GITHUB = "github", "GitHub"
        TWITTER = "twitter", "X / Twitter"
        MASTODON = "mastodon", "Mastodon"
        WEBSITE = "website", "Website"

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.WEBSITE)
    url = models.URLField(max_length=500, validators=[validate_web_address])
    normalised_url = models.CharField(max_length=500, unique=True, editable=False)
    position = models.PositiveIntegerField(default=0, validators=[max_position])

    class Meta:
        ordering = ["speaker", "position", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.url}"

    def save(self, *args, **kwargs):
        self.derive_from_url()
        super().save(*args, **kwargs)

    def clean(self):
        self.derive_from_url()
        max_length = self._meta.get_field("normalised_url").max_length
        if len(self.normalised_url) > max_length:  # "İ" and a few others lower-case longer
            raise ValidationError(
                {
                    "url": f"This link is too long once written in lower case (over {max_length} "
                    "characters)."
                }
            )
        taken_by = (
            ProfileLink.objects.filter(normalised_url=self.normalised_url)
            .exclude(pk=self.pk)
            .select_related("speaker")
            .first()
        )
        if taken_by:
            raise ValidationError(
                {"url": f"This profile already belongs to {taken_by.speaker.name}."}
            )

    def validate_unique(self, exclude=None):
        # clean() already reports a taken profile on the url field, naming its owner.
        super().validate_unique(exclude={*(exclude or ()), "normalised_url"})

    def derive_from_url(self):
        """Set ``normalised_url``, the form two ways of writing one profile share."""
        self.normalised_url = normalise_profile_url(self.url)

    @staticmethod
    def kind_for_url(url):
        host = normalise_profile_url(url).split("/", 1)[0]
        return {
            "linkedin.com": ProfileLink.Kind.LINKEDIN,
            "github.com": ProfileLink.Kind.GITHUB,
            "twitter.com": ProfileLink.Kind.TWITTER,
            "x.com": ProfileLink.Kind.TWITTER,
        }.get(host, ProfileLink.Kind.WEBSITE)


class SourceId(models.Model):
    """The key a schedule source knows a speaker by (a pretalx or frab person guid, or the
    source's address and its person id): a re-import finds the speaker by it first.

    Readers make keys unique across sources; one key is one speaker.
    """

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="source_ids")
    key = models.CharField(max_length=300, unique=True)

    class Meta:
        verbose_name = "source id"

    def __str__(self):
        return self.key
