"""Back office for events and sponsors; also the publishing actions the sessions admin reuses."""

from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext
from django.db import models
from django.db.models import Count

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


class SponsorshipInline(admin.TabularInline):
    model = Sponsorship
    fields = ["sponsor", "tier", "position"]
    autocomplete_fields = ["sponsor"]
    ordering = ["tier", "position"]
    extra = 1


@admin.register(Event)
class EventAdmin(PublishingActions, admin.ModelAdmin):
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
