"""Back office for events and sponsors.

Also what the sessions and speakers admins reuse: the publishing actions, the guard against
two organisers overwriting each other's edits, the guards against hostile input that Django's
admin leaves to the database (search terms, autocomplete values, inline rows checked only
against each other), and ordered inlines reordered by drag and drop (``OrderedTabularInline``,
with django-admin-sortable2).
"""

from functools import cached_property

from adminsortable2.admin import (
    CustomInlineFormSetMixin,
    SortableAdminBase,
    SortableTabularInline,
)
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import model_ngettext
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Max
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import smart_split

from .models import Event, Sponsor, Sponsorship, default_time_zone
from .templatetags.site_tags import date_range
from .validators import CONTROL_CHARACTER

# Each search word adds a condition on every search field (and a join for related ones):
# thousands of words make a query SQLite refuses to parse and PostgreSQL takes ages over.
MAX_SEARCH_WORDS = 10
MAX_SEARCH_LENGTH = 200
# The largest key a database integer column holds (SQLite and PostgreSQL ``bigint``).
MAX_KEY = 2**63 - 1


class CheckedQueries:
    """Admin search and filters (changelist, autocomplete) that no URL turns into a server error.

    Control characters are dropped from search terms and filter values (PostgreSQL refuses NUL
    in a query: a DataError), and search terms are cut to the first ``MAX_SEARCH_WORDS`` words
    and ``MAX_SEARCH_LENGTH`` characters.
    """

    def changelist_view(self, request, extra_context=None):
        params = request.GET.copy()
        hostile = [
            key
            for key, values in params.lists()
            if key != SEARCH_VAR and CONTROL_CHARACTER.search(key + "".join(values))
        ]
        if hostile:  # the same list without those filters
            for key in hostile:
                del params[key]
            return HttpResponseRedirect(f"{request.path}?{params.urlencode()}")
        return super().changelist_view(request, extra_context)

    def response_action(self, request, queryset):
        # Act only on posted ids that could all be keys, so the query on them cannot fail.
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(could_be_key(self.opts.pk, item) for item in selected):
            self.message_user(
                request,
                "The selection holds something that is not one of the items; nothing was changed.",
                messages.WARNING,
            )
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)

    def get_search_results(self, request, queryset, search_term):
        search_term = CONTROL_CHARACTER.sub(" ", search_term)[:MAX_SEARCH_LENGTH]
        search_term = " ".join(list(smart_split(search_term))[:MAX_SEARCH_WORDS])
        return super().get_search_results(request, queryset, search_term)


class CheckedAutocompleteSelect(AutocompleteSelect):
    """Re-draws a refused form without looking up values that cannot be keys.

    Only values that could be stored as the related key are queried for their labels.
    """

    def optgroups(self, name, value, attr=None):
        remote_opts = self.field.remote_field.model._meta
        to_field = remote_opts.get_field(
            getattr(self.field.remote_field, "field_name", None) or remote_opts.pk.attname
        )
        keys = [item for item in value if could_be_key(to_field, item)]
        return super().optgroups(name, keys, attr)


def could_be_key(field, value):
    """Whether ``value`` could be stored in ``field`` (a key): a query for it cannot fail."""
    try:
        key = field.to_python(value)
    except ValidationError:
        return False
    return not isinstance(key, int) or abs(key) <= MAX_KEY


class CheckedAutocompletes:
    """Autocomplete fields drawn with :class:`CheckedAutocompleteSelect` (admins and inlines)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                CheckedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using")),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SavedSiblingsFormSet(BaseInlineFormSet):
    """Inline rows checked against the parent's saved rows as well as against each other.

    A row's unique values must differ from every saved row of the parent, posted or not.
    """

    def clean(self):
        super().clean()
        if self.instance.pk is None:  # a new parent has no saved rows
            return
        posted = [form.instance.pk for form in self.initial_forms if form.instance.pk]
        others = self.model._default_manager.filter(**{self.fk.name: self.instance}).exclude(
            pk__in=posted
        )
        constraints = [
            constraint
            for constraint in self.model._meta.constraints
            if isinstance(constraint, models.UniqueConstraint)
            and constraint.condition is None
            and self.fk.name in constraint.fields
        ]
        for form in self.forms:
            if not form.has_changed() or not form.is_valid() or self._should_delete_form(form):
                continue
            for constraint in constraints:
                values = {
                    name: getattr(form.instance, self.model._meta.get_field(name).attname)
                    for name in constraint.fields
                    if name != self.fk.name
                }
                if others.filter(**values).exists():
                    form.add_error(None, constraint.get_violation_error_message())


# The field a drag renumbers, in every ordered inline.
ORDER_FIELD = "position"


class OrderedInlineForm(forms.ModelForm):
    """A row of an ordered inline, whose position is a hidden input set by dragging."""

    def has_changed(self):
        """A new row whose only value is its pre-filled position is still an empty row."""
        if self.instance._state.adding:
            return bool(set(self.changed_data) - {ORDER_FIELD})
        return super().has_changed()

    def clean_position(self):
        """A saved row posted without a position keeps its own; a new one goes last (see
        ``OrderedInlineFormSet.save_new``)."""
        position = self.cleaned_data.get(ORDER_FIELD)
        if position is None and not self.instance._state.adding:
            return self.instance.position
        return position

    def full_clean(self):
        super().full_clean()
        # A hidden input's error is drawn hidden with it: say it on the row instead.
        if self._errors and ORDER_FIELD in self._errors:
            messages = self._errors.pop(ORDER_FIELD)
            self.add_error(None, [f"Position: {message}" for message in messages])


class OrderedInlineFormSet(CustomInlineFormSetMixin, SavedSiblingsFormSet):
    """Inline rows ordered by ``position``, reordered by drag and drop (django-admin-sortable2).

    The position is a hidden input. Its script numbers the saved rows 1, 2, 3… in the order
    they are dropped; the page's blank rows are numbered after every saved row and after that
    numbering; a row added with "Add another" comes without a position and goes last. A posted
    position is kept as it is (sortable2's own ``save_new`` would move a row posted at 0).
    Rows that move are parked above every position in use before any is saved, so a position
    unique within the parent (speakers of a session) never collides halfway through a swap.
    """

    @cached_property
    def next_position(self):
        saved = [row.position for row in self.get_queryset()]
        return max([*saved, len(saved)]) + 1

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is None:  # the template of the rows "Add another" adds
            kwargs["initial"] = {ORDER_FIELD: None}
        elif (blank_row := index - self.initial_form_count()) >= 0:
            kwargs["initial"] = {ORDER_FIELD: self.next_position + blank_row}
        return kwargs

    def save(self, commit=True):
        if commit:
            self._park_moved_rows()
        return super().save(commit=commit)

    def save_new(self, form, commit=True):
        # The inline formset's own save_new, without sortable2's renumbering of 0.
        row = super(CustomInlineFormSetMixin, self).save_new(form, commit=False)
        if row.position is None:
            row.position = self._highest_position() + 1
        if commit:
            row.save()
            form.save_m2m()
        return row

    def _siblings(self):
        return self.model._default_manager.filter(**{self.fk.name: self.instance})

    def _highest_position(self):
        """The highest position saved or posted in this formset, -1 when there is none."""
        saved = self._siblings().aggregate(top=Max(ORDER_FIELD))["top"]
        posted = [getattr(form, "cleaned_data", {}).get(ORDER_FIELD) for form in self.forms]
        return max((value for value in [saved, *posted] if value is not None), default=-1)

    def _park_moved_rows(self):
        moving = [
            form.instance.pk
            for form in self.initial_forms
            if form in self.deleted_forms or ORDER_FIELD in form.changed_data
        ]
        if not moving:
            return
        siblings = self._siblings()
        for offset, pk in enumerate(moving, start=self._highest_position() + 1):
            siblings.filter(pk=pk).update(position=offset)


class OrderedTabularInline(SortableTabularInline):
    """Rows ordered by ``position``, moved by dragging their handle instead of typing numbers.

    The inline's ``ordering`` is how the rows are shown (sponsorships by tier, then position);
    a drag always renumbers ``position``. The parent's admin must include ``SortableAdminBase``.
    """

    form = OrderedInlineForm
    formset = OrderedInlineFormSet

    def __init__(self, parent_model, admin_site):
        super().__init__(parent_model, admin_site)
        self.default_order_direction, self.default_order_field = "", ORDER_FIELD


class PublishingActions:
    """``publish`` / ``unpublish`` bulk actions for a model with ``is_published``."""

    actions = ["publish", "unpublish"]

    @admin.action(description="Publish selected %(verbose_name_plural)s", permissions=["change"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, published=True)

    @admin.action(description="Unpublish selected %(verbose_name_plural)s", permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, published=False)

    def _set_published(self, request, queryset, *, published):
        verb = "published" if published else "unpublished"
        to_change = list(queryset.exclude(is_published=published))
        # One save per row rather than update(): bumps updated_at, sends post_save and leaves
        # an entry in each object's history.
        for obj in to_change:
            obj.is_published = published
            obj.save(update_fields=["is_published", "updated_at"])
            self.log_change(request, obj, f"Marked as {verb}.")
        count = len(to_change)
        if not count:
            self.message_user(
                request, f"Nothing changed: the selection was already {verb}.", messages.INFO
            )
            return
        self.message_user(
            request,
            f"{count} {model_ngettext(self.opts, count)} {verb}.",
            messages.SUCCESS,
        )


class ConcurrentEditForm(forms.ModelForm):
    """Refuses to save over changes made since the form was opened (see ``ConcurrentEdits``)."""

    opened_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_at"].initial = self.instance.updated_at.isoformat()
        # A mangled value (NUL included) is refused in clean() with the message below, rather
        # than with an error on a hidden field that the page does not show.
        self.fields["opened_at"].validators = []

    def clean(self):
        cleaned_data = super().clean()
        opened_at = cleaned_data.get("opened_at")
        if not opened_at:  # a change posted without the form (a script): nothing to compare
            return cleaned_data
        model = type(self.instance)
        saved_at = (
            model._default_manager.filter(pk=self.instance.pk)
            .values_list("updated_at", flat=True)
            .first()
        )
        if saved_at is not None and parse_opened_at(opened_at) != saved_at:
            raise forms.ValidationError(
                "This %(model)s was changed by someone else at %(time)s after you opened it. "
                "Reload to see their changes; your changes were not saved.",
                code="changed_since_opened",
                params={
                    "model": model._meta.verbose_name,
                    "time": f"{timezone.localtime(saved_at):%H:%M}",
                },
            )
        return cleaned_data


def parse_opened_at(value):
    """The datetime in ``value``, or ``None`` when it is not one (``2023-13-45T99:99``)."""
    try:
        return parse_datetime(value)
    except ValueError:
        return None


class ConcurrentEdits:
    """Two organisers editing the same object: the second save is refused, nothing is lost.

    The change form carries the object's ``updated_at`` from when it was opened; on save it is
    compared with the database, and a difference means someone saved in between (every admin
    save, inline changes included, bumps ``updated_at``).
    """

    change_form_template = "admin/concurrent_edit_change_form.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form
        return type(form.__name__, (ConcurrentEditForm, form), {})


class SponsorshipInline(CheckedAutocompletes, OrderedTabularInline):
    """Shown by tier, as the event page shows them: a drag orders sponsors within their tier
    (a row dropped among another tier's goes back to its own; its tier is the select)."""

    model = Sponsorship
    fields = ["sponsor", "tier", "position"]
    autocomplete_fields = ["sponsor"]
    ordering = ["tier", "position"]
    extra = 1


class EventForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "time_zone" in self.fields:
            self.fields["time_zone"].required = False

    def clean_time_zone(self):
        """Left empty, the site's zone (``settings.TIME_ZONE``), as a new event gets."""
        return self.cleaned_data["time_zone"] or default_time_zone()


@admin.register(Event)
class EventAdmin(
    CheckedQueries, ConcurrentEdits, PublishingActions, SortableAdminBase, admin.ModelAdmin
):
    form = EventForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "dates", "city", "is_published", "session_count"]
    list_filter = ["is_published", "country"]
    search_fields = ["name", "slug", "city", "venue"]
    ordering = ["-start_date", "name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SponsorshipInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "summary", "banner"]}),
        (
            "When and where",
            {"fields": ["start_date", "end_date", "time_zone", "venue", "city", "country"]},
        ),
        (
            "Links and figures",
            {"fields": ["website", "photo_gallery_url", "attendee_count", "country_count"]},
        ),
        ("Publishing", {"fields": ["is_published"]}),
    ]

    def get_queryset(self, request):
        # Every session, drafts included: organisers manage those too.
        return super().get_queryset(request).annotate(session_count=Count("sessions"))

    @admin.display(description="dates", ordering="start_date")
    def dates(self, event):
        return date_range(event)

    @admin.display(description="sessions", ordering="session_count")
    def session_count(self, event):
        return event.session_count


@admin.register(Sponsor)
class SponsorAdmin(CheckedQueries, ConcurrentEdits, admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "website", "sponsorship_count"]
    search_fields = ["name", "slug", "website"]
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "website", "logo"]  # the form adds its hidden "opened_at"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(sponsorship_count=Count("sponsorships"))

    def view_on_site(self, sponsor):
        # A sponsor's "page" is its own website; without one there is nothing to view.
        return sponsor.get_absolute_url() or None

    @admin.display(description="sponsorships", ordering="sponsorship_count")
    def sponsorship_count(self, sponsor):
        return sponsor.sponsorship_count


@admin.register(Sponsorship)
class SponsorshipAdmin(CheckedQueries, CheckedAutocompletes, admin.ModelAdmin):
    list_display = ["sponsor", "event", "tier", "position"]
    list_filter = ["event", "tier"]
    list_select_related = ["sponsor", "event"]
    search_fields = ["sponsor__name", "event__name"]
    autocomplete_fields = ["event", "sponsor"]
    ordering = ["event", "tier", "position"]
