"""Back office for events and sponsors.

Also what the sessions and speakers admins reuse: the publishing actions and the guard against
two organisers overwriting each other's edits.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext
from django.db import models
from django.db.models import Count
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .models import Event, Sponsor, Sponsorship
from .templatetags.roundup import date_range


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
        if saved_at is not None and parse_datetime(opened_at) != saved_at:
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


class SponsorshipInline(admin.TabularInline):
    model = Sponsorship
    fields = ["sponsor", "tier", "position"]
    autocomplete_fields = ["sponsor"]
    ordering = ["tier", "position"]
    extra = 1


@admin.register(Event)
class EventAdmin(ConcurrentEdits, PublishingActions, admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "dates", "city", "is_published", "session_count"]
    list_filter = ["is_published", "country"]
    search_fields = ["name", "slug", "city", "venue"]
    ordering = ["-start_date", "name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SponsorshipInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "summary", "banner"]}),
        ("When and where", {"fields": ["start_date", "end_date", "venue", "city", "country"]}),
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
class SponsorAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "website", "sponsorship_count"]
    search_fields = ["name", "slug", "website"]
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(sponsorship_count=Count("sponsorships"))

    def view_on_site(self, sponsor):
        # A sponsor's "page" is its own website; without one there is nothing to view.
        return sponsor.get_absolute_url() or None

    @admin.display(description="sponsorships", ordering="sponsorship_count")
    def sponsorship_count(self, sponsor):
        return sponsor.sponsorship_count


@admin.register(Sponsorship)
class SponsorshipAdmin(admin.ModelAdmin):
    list_display = ["sponsor", "event", "tier", "position"]
    list_filter = ["event", "tier"]
    list_select_related = ["sponsor", "event"]
    search_fields = ["sponsor__name", "event__name"]
    autocomplete_fields = ["event", "sponsor"]
    ordering = ["event", "tier", "position"]
