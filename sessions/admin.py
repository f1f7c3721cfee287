"""Back office for the programme: sessions with speakers, recordings and slide decks inline
and a live preview; rooms and tracks inline on the event (whose admin lives in conference).

Times are entered and shown in the event's zone (``SessionForm``), as the visitor's pages show
them.
"""

import json

from adminsortable2.admin import SortableAdminMixin
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed, JsonResponse
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from taggit.admin import TagAdmin
from taggit.models import Tag

from conference.admin import (
    ORDER_FIELD,
    CheckedAutocompletes,
    CheckedQueries,
    ConcurrentEdits,
    EventAdmin,
    OrderedInlineForm,
    OrderedInlineFormSet,
    OrderedTabularInline,
    PublishingActions,
    could_be_key,
)
from conference.models import Event
from conference.validators import MAX_POSITION, no_control_characters

from .admin_import import register_import_admin
from .admin_recordings import extend_event_admin_with_recordings
from .admin_schedule import extend_event_admin
from .models import (
    WCAG_AA_CONTRAST,
    Recording,
    Room,
    Session,
    SessionLink,
    SessionSpeaker,
    SlideDeck,
    Track,
)

MAX_TAG_LENGTH = Tag._meta.get_field("name").max_length
# The column of drag handles sortable2 adds to a sortable list.
REORDER_COLUMN = "_reorder_"


class RecordingFormSet(OrderedInlineFormSet):
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


class SessionSpeakerInline(CheckedAutocompletes, OrderedTabularInline):
    model = SessionSpeaker
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


class RecordingInlineForm(OrderedInlineForm):
    alternate_urls = LinesField(
        label=Recording._meta.get_field("alternate_urls").verbose_name,
        required=False,
        help_text=Recording._meta.get_field("alternate_urls").help_text,
    )


class RecordingInline(OrderedTabularInline):
    model = Recording
    form = RecordingInlineForm
    formset = RecordingFormSet
    fields = ["url", "alternate_urls", "kind", "title", "position"]
    ordering = ["position"]
    extra = 1


class SlideDeckInline(OrderedTabularInline):
    model = SlideDeck
    # The uploaded file's name is never used (it is stored under a random one): no limit on it.
    formfield_overrides = {models.FileField: {"max_length": None}}
    fields = ["url", "pdf", "title", "position"]
    ordering = ["position"]
    extra = 1


class SessionLinkInline(OrderedTabularInline):
    """Links that are neither a recording nor a slide deck, in their order on the session page;
    the model's validator refuses addresses other than http(s)."""

    model = SessionLink
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = ["url", "title", "position"]
    ordering = ["position"]
    extra = 1


class ColourInput(forms.TextInput):
    """The browser's colour picker; it submits ``#rrggbb``."""

    input_type = "color"


class RoomInline(OrderedTabularInline):
    model = Room
    fields = ["name", "slug", "position", "capacity", "description"]
    prepopulated_fields = {"slug": ["name"]}
    # One line in the table: a room's description is a sentence or two.
    formfield_overrides = {models.TextField: {"widget": forms.TextInput(attrs={"size": 40})}}
    ordering = ["position", "name"]
    extra = 1


class TrackInline(OrderedTabularInline):
    model = Track
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


# The session list shows one day's untimed sessions, in the order of that day, when filtered by
# exactly these (and perhaps a page): then they are reordered by dragging. Timed sessions
# follow their times, and a narrower list (a search, another filter) would be renumbered
# around the sessions it hides, so neither is offered.
DAY_LIST_FILTERS = {"event__id__exact", "day__exact", "timed"}


def day_of_list(params):
    """``(event id, day)`` when a session list's query ``params`` show one day's untimed sessions
    of one event and nothing else, or ``None``."""
    if set(params) - {PAGE_VAR} != DAY_LIST_FILTERS or params.get("timed") != "no":
        return None
    try:
        return int(params["event__id__exact"]), int(params["day__exact"])
    except ValueError:
        return None


def dragged_positions(body):
    """``{session id: position}`` from the body sortable2's list script posts after a drag
    (``{"updatedItems": [["12", 3], ...]}``); ``ValueError`` saying what is wrong with it."""
    try:
        items = json.loads(body)["updatedItems"]
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError('Expected JSON {"updatedItems": [[id, position], ...]}.') from error
    if not isinstance(items, list) or not items:
        raise ValueError("updatedItems must be a list of [id, position] pairs.")
    positions = {}
    for item in items:
        if not (isinstance(item, list) and len(item) == 2):
            raise ValueError("updatedItems must be a list of [id, position] pairs.")
        key, position = item
        if not isinstance(key, str | int) or isinstance(key, bool):
            raise ValueError(f"{key!r} is not a session id.")
        if not could_be_key(Session._meta.pk, key):
            raise ValueError(f"{key!r} is not a session id.")
        if type(position) is not int or not 0 <= position <= MAX_POSITION:
            raise ValueError(f"A position is a whole number from 0 to {MAX_POSITION}.")
        positions[Session._meta.pk.to_python(key)] = position
    if len(positions) < len(items) or len(set(positions.values())) < len(items):
        raise ValueError("Each session and each position may appear only once.")
    return positions


def reorder_day(*, event_id, day, positions):
    """Give untimed sessions of one day of an event the ``positions`` ``{id: position}`` a drag
    gave them; the sessions saved, or ``ValidationError`` when the list was out of date.

    Only ``position`` (and ``updated_at``) change, so the rest of each session is not validated
    again. Moved sessions are parked above the day's positions first: the position unique
    within a day would refuse a swap done row by row.
    """
    with transaction.atomic():
        day_sessions = Session.objects.untimed().filter(event_id=event_id, day=day)
        sessions = list(day_sessions.select_for_update().filter(pk__in=positions).order_by("pk"))
        if len(sessions) < len(positions):
            raise ValidationError(
                "Some of these sessions are no longer untimed sessions of this day: reload the "
                "list and drag again."
            )
        unmoved = day_sessions.exclude(pk__in=positions)
        if taken := unmoved.filter(position__in=positions.values()).first():
            raise ValidationError(
                f"Position {taken.position} belongs to “{taken.title}”, which was not moved: "
                "reload the list and drag again."
            )
        top = max(day_sessions.aggregate(top=Max("position"))["top"], *positions.values())
        for offset, session in enumerate(sessions, start=top + 1):
            day_sessions.filter(pk=session.pk).update(position=offset)
        for session in sessions:
            session.position = positions[session.pk]
            session.save(update_fields=["position", "updated_at"])
    return sessions


@admin.register(Session)
class SessionAdmin(
    CheckedQueries, ConcurrentEdits, PublishingActions, SortableAdminMixin, admin.ModelAdmin
):
    form = SessionForm
    # What sortable2 renumbers on a drag (it reads the first field of ``ordering``); the list
    # itself is ordered by ``get_ordering``.
    ordering = ["position"]
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
    inlines = [SessionSpeakerInline, RecordingInline, SlideDeckInline, SessionLinkInline]
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

    def get_ordering(self, request):
        """A day's untimed sessions (``day_of_list``) by position, for dragging; any other list
        as sessions are ordered everywhere (event, day, position, start)."""
        if day_of_list(request.GET):
            return ["position"]
        return Session._meta.ordering

    def get_list_display(self, request):
        list_display = super().get_list_display(request)
        if day_of_list(request.GET):  # sortable2's handle first, in place of the position
            return [REORDER_COLUMN, *(name for name in list_display if name != REORDER_COLUMN)]
        return [ORDER_FIELD if name == REORDER_COLUMN else name for name in list_display]

    def get_actions(self, request):
        # Without sortable2's "move to another page" actions: they renumber the sessions of
        # every event at once (and count them on every list).
        return super(SortableAdminMixin, self).get_actions(request)

    def get_urls(self):
        # The drag endpoint takes its day from the address; sortable2's own is not served.
        reorder = path(
            "reorder/<int:event_id>/<int:day>/",
            self.admin_site.admin_view(self.reorder_day_view),
            name="talks_session_reorder_day",
        )
        update_name = self._get_update_url_name()
        return [reorder, *(url for url in super().get_urls() if url.name != update_name)]

    def get_update_url(self, request):
        if day := day_of_list(request.GET):
            return reverse(f"{self.admin_site.name}:talks_session_reorder_day", args=day)
        return ""

    def reorder_day_view(self, request, event_id, day):
        """Where a drag on a day's list posts its sessions' new positions."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            positions = dragged_positions(request.body)
            sessions = reorder_day(event_id=event_id, day=day, positions=positions)
        except ValueError as error:
            return HttpResponseBadRequest(str(error))
        except ValidationError as error:
            return HttpResponseBadRequest(" ".join(error.messages))
        for session in sessions:
            self.log_change(request, session, f"Moved to position {session.position} in its day.")
        return JsonResponse({"updated": len(sessions)})

    def save_model(self, request, obj, form, change):
        # The typed position is kept: sortable2 would put a new session after every session of
        # every event.
        super(SortableAdminMixin, self).save_model(request, obj, form, change)

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
# And the Import page, linked from the event list (sessions/admin_import.py).
register_import_admin(admin.site)
# And "Attach recordings" from a list of videos, linked from the event form (admin_recordings.py).
extend_event_admin_with_recordings(admin.site)
