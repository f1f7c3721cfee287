"""Back office for the programme: sessions with speakers, recordings and slide decks inline
and a live preview; rooms and tracks inline on the event (whose admin lives in conference).

Times are entered and shown in the event's zone (``SessionForm``), as the visitor's pages show
them.
"""

from functools import cached_property

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone
from taggit.admin import TagAdmin
from taggit.models import Tag

from conference.admin import (
    CheckedAutocompletes,
    CheckedQueries,
    ConcurrentEdits,
    EventAdmin,
    PublishingActions,
    SavedSiblingsFormSet,
)
from conference.models import Event
from conference.validators import no_control_characters

from .admin_schedule import extend_event_admin
from .models import WCAG_AA_CONTRAST, Recording, Room, Session, SessionSpeaker, SlideDeck, Track

MAX_TAG_LENGTH = Tag._meta.get_field("name").max_length


class PositionedInlineForm(forms.ModelForm):
    def has_changed(self):
        """A new row whose only value is its pre-filled position is still an empty row."""
        if self.instance._state.adding:
            return bool(set(self.changed_data) - {"position"})
        return super().has_changed()


class PositionedInlineFormSet(SavedSiblingsFormSet):
    """Rows ordered by a ``position`` that is unique within the session.

    New rows are numbered after the existing ones, and organisers may swap positions: the
    unique constraint is checked row by row, so rows that move are parked out of the way first.
    """

    @cached_property
    def next_position(self):
        return max((row.position for row in self.get_queryset()), default=-1) + 1

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index >= self.initial_form_count():
            kwargs["initial"] = {"position": self.next_position + index - self.initial_form_count()}
        return kwargs

    def save(self, commit=True):
        if commit:
            self._park_moved_rows()
        return super().save(commit=commit)

    def _park_moved_rows(self):
        moving = [
            form.instance.pk
            for form in self.initial_forms
            if form in self.deleted_forms or "position" in form.changed_data
        ]
        if not moving:
            return
        siblings = self.model._default_manager.filter(**{self.fk.name: self.instance})
        top = max(siblings.values_list("position", flat=True))
        for offset, pk in enumerate(moving, start=top + 1):
            siblings.filter(pk=pk).update(position=offset)


class RecordingFormSet(PositionedInlineFormSet):
    def clean(self):
        """The same video twice in one session: say so rather than fail on the constraint."""
        super().clean()
        seen = set()
        for form in self.forms:
            adding_nothing = form.instance._state.adding and not form.has_changed()
            if adding_nothing or not form.is_valid() or form.cleaned_data.get("DELETE"):
                continue
            video = (form.instance.provider, form.instance.provider_key)
            if video in seen:
                form.add_error("url", "This video is already attached to this session.")
            seen.add(video)


class SessionSpeakerInline(CheckedAutocompletes, admin.TabularInline):
    model = SessionSpeaker
    form = PositionedInlineForm
    formset = PositionedInlineFormSet
    fields = ["speaker", "position"]
    autocomplete_fields = ["speaker"]
    ordering = ["position"]
    extra = 2


class LinesField(forms.Field):
    """A list of links typed one per line (``Recording.alternate_urls``); the model checks
    each link."""

    widget = forms.Textarea(attrs={"rows": 2, "cols": 40})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        if isinstance(value, list | tuple):
            return list(value)
        if "\x00" in (value or ""):
            raise forms.ValidationError("Null characters are not allowed.", code="null_characters")
        return [line.strip() for line in (value or "").splitlines() if line.strip()]

    def has_changed(self, initial, data):
        """A new row's initial is ``None``: no lines typed is no change."""
        try:
            return self.to_python(initial) != self.to_python(data)
        except forms.ValidationError:
            return True


class RecordingInlineForm(PositionedInlineForm):
    alternate_urls = LinesField(
        label=Recording._meta.get_field("alternate_urls").verbose_name,
        required=False,
        help_text=Recording._meta.get_field("alternate_urls").help_text,
    )


class RecordingInline(admin.TabularInline):
    model = Recording
    form = RecordingInlineForm
    formset = RecordingFormSet
    fields = ["url", "alternate_urls", "kind", "title", "position"]
    ordering = ["position"]
    extra = 1


class SlideDeckInline(admin.TabularInline):
    model = SlideDeck
    form = PositionedInlineForm
    formset = PositionedInlineFormSet
    # The uploaded file's name is never used (it is stored under a random one): no limit on it.
    formfield_overrides = {models.FileField: {"max_length": None}}
    fields = ["url", "pdf", "title", "position"]
    ordering = ["position"]
    extra = 1


class ColourInput(forms.TextInput):
    """The browser's colour picker; it submits ``#rrggbb``."""

    input_type = "color"


class RoomInline(admin.TabularInline):
    model = Room
    form = PositionedInlineForm
    formset = PositionedInlineFormSet
    fields = ["name", "slug", "position", "capacity", "description"]
    prepopulated_fields = {"slug": ["name"]}
    # One line in the table: a room's description is a sentence or two.
    formfield_overrides = {models.TextField: {"widget": forms.TextInput(attrs={"size": 40})}}
    ordering = ["position", "name"]
    extra = 1


class TrackInline(admin.TabularInline):
    model = Track
    form = PositionedInlineForm
    formset = PositionedInlineFormSet
    fields = ["name", "slug", "colour", "position"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["position", "name"]
    extra = 1

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "colour":
            kwargs["widget"] = ColourInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def contrast_warning(track):
    """What an organiser is told about a track colour white text cannot be read on, or ""."""
    if track.is_accessible:
        return ""
    return (
        f"White text on the colour of track “{track}” ({track.colour}) has a contrast of "
        f"{track.text_contrast:.1f}:1, below the {WCAG_AA_CONTRAST}:1 that WCAG AA asks for: "
        "choose a darker colour so its sessions stay readable on the schedule."
    )


# The event's form gains its rooms and tracks: conference knows nothing of sessions, so the
# programme adds them to the event admin from here.
admin.site.unregister(Event)


@admin.register(Event)
class ProgrammeEventAdmin(EventAdmin):
    inlines = [*EventAdmin.inlines, RoomInline, TrackInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Track:
            for track in formset.instance.tracks.all():
                if warning := contrast_warning(track):
                    messages.warning(request, warning)


class HasMediaFilter(admin.SimpleListFilter):
    """Yes/no on one of the flags annotated by ``SessionQuerySet.with_media_flags``."""

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        return queryset.filter(**{self.parameter_name: self.value() == "yes"})


class TimedFilter(admin.SimpleListFilter):
    title = "has a start"
    parameter_name = "timed"

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.timed()
        if self.value() == "no":
            return queryset.untimed()
        return queryset


class HasVideoFilter(HasMediaFilter):
    title = "has video"
    parameter_name = "has_video"


class HasSlidesFilter(HasMediaFilter):
    title = "has slides"
    parameter_name = "has_slides"


class SessionForm(forms.ModelForm):
    """The start is typed and shown in the event's zone, whatever zone the admin runs in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        local = self.instance.local_starts_at if self.instance.event_id else None
        if local is not None and "starts_at" in self.fields:
            # A naive value is drawn as it is: the event's wall-clock time.
            self.initial["starts_at"] = timezone.make_naive(local, local.tzinfo)

    def clean_starts_at(self):
        """The typed wall-clock time, read in the event's zone; a time that the clocks skip or
        repeat that night is refused, as Django refuses it in the site's zone."""
        value = self.cleaned_data.get("starts_at")
        event = self.cleaned_data.get("event")
        if value is None or event is None:
            return value
        typed = timezone.make_naive(value)  # the form read it in the active zone: undo that
        zone = event.zone
        if (
            typed.replace(tzinfo=zone, fold=0).utcoffset()
            != typed.replace(tzinfo=zone, fold=1).utcoffset()
        ):
            raise forms.ValidationError(
                "%(time)s does not exist or happens twice on %(date)s in %(zone)s, as the "
                "clocks change that night: choose another time.",
                code="ambiguous_time",
                params={
                    "time": typed.strftime("%H:%M"),
                    "date": typed.strftime("%d %B %Y"),
                    "zone": event.time_zone,
                },
            )
        return typed.replace(tzinfo=zone)

    def clean_tags(self):
        """Each tag fits the tag table: at most MAX_TAG_LENGTH characters, no control ones."""
        tags = self.cleaned_data["tags"]
        for tag in tags:
            if len(tag) > MAX_TAG_LENGTH:
                raise forms.ValidationError(
                    "Tags are limited to %(limit)s characters: “%(start)s…” has %(length)s.",
                    code="tag_too_long",
                    params={"limit": MAX_TAG_LENGTH, "start": tag[:20], "length": len(tag)},
                )
            no_control_characters(tag)
        return tags


@admin.register(Session)
class SessionAdmin(CheckedQueries, ConcurrentEdits, PublishingActions, admin.ModelAdmin):
    form = SessionForm
    list_display = [
        "title",
        "event",
        "day",
        "start",
        "room",
        "track",
        "position",
        "kind",
        "speaker_names",
        "has_video",
        "has_slides",
        "is_published",
    ]
    list_filter = [
        "event",
        "day",
        ("room", admin.RelatedOnlyFieldListFilter),
        ("track", admin.RelatedOnlyFieldListFilter),
        TimedFilter,
        "kind",
        "tags",
        HasVideoFilter,
        HasSlidesFilter,
        "is_published",
    ]
    list_select_related = ["event", "room", "track"]
    search_fields = ["title", "slug", "event__name", "speakers__name"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SessionSpeakerInline, RecordingInline, SlideDeckInline]
    readonly_fields = ["preview", "guid", "speaker_clashes"]
    fieldsets = [
        (None, {"fields": ["event", "title", "slug", "kind", "description", "tags"]}),
        (
            "Schedule",
            {
                "fields": [
                    "starts_at",
                    "duration",
                    "room",
                    "track",
                    "language",
                    "day",
                    "position",
                    "speaker_clashes",
                    "guid",
                ],
                "description": "Times are in the event's time zone. A session with a start "
                "takes its day from it; untimed sessions are ordered by day and position.",
            },
        ),
        ("Publishing", {"fields": ["is_published"]}),
        ("Preview", {"fields": ["preview"]}),
    ]

    class Media:
        css = {"all": ["admin-extra/session-preview.css"]}
        # Deferred: site.js turns the preview's posters into players once the page is parsed.
        js = ["admin-extra/session-preview.js", forms.Script("js/site.js", defer=True)]

    def get_queryset(self, request):
        return super().get_queryset(request).with_media_flags().for_cards()

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        # A start given in the address (?starts_at=2024-03-31T10:00) must read as a date and
        # time: the date and time inputs cannot show anything else.
        if "starts_at" in initial:
            try:
                initial["starts_at"] = forms.DateTimeField().clean(initial["starts_at"])
            except forms.ValidationError:
                del initial["starts_at"]
        return initial

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Double-booked speakers may be intended (a panel, a recorded talk): said, not refused.
        for warning in form.instance.speaker_clash_warnings():
            messages.warning(request, warning)

    def get_fieldsets(self, request, obj=None):
        if obj is None:  # nothing saved yet, so nothing to preview
            return [fieldset for fieldset in self.fieldsets if fieldset[0] != "Preview"]
        return self.fieldsets

    @admin.display(description="start", ordering="starts_at")
    def start(self, session):
        """The start in the event's zone: ``Thu 23 Nov 10:00``."""
        local = session.local_starts_at
        return local.strftime("%a %d %b %H:%M") if local else None

    @admin.display(description="speakers elsewhere at that time")
    def speaker_clashes(self, session):
        return "\n".join(session.speaker_clash_warnings()) or "None"

    @admin.display(description="speakers")
    def speaker_names(self, session):
        return ", ".join(speaker.name for speaker in session.ordered_speakers)

    @admin.display(description="has video", boolean=True, ordering="has_video")
    def has_video(self, session):
        return session.has_video

    @admin.display(description="has slides", boolean=True, ordering="has_slides")
    def has_slides(self, session):
        return session.has_slides

    @admin.display(description="saved recordings and slides")
    def preview(self, session):
        media_items = [*session.recordings.all(), *session.slide_decks.all()]
        return render_to_string(
            "admin/talks/session/preview.html", {"session": session, "media_items": media_items}
        )


# Tags come from django-taggit's admin, with the same checked search and filters as ours.
admin.site.unregister(Tag)


@admin.register(Tag)
class CheckedTagAdmin(CheckedQueries, TagAdmin):
    pass


# Last, once the event admin is final: its schedule editor pages (sessions/admin_schedule.py).
extend_event_admin(admin.site)
