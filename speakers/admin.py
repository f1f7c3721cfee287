"""Back office for speakers and their profile links."""

from adminsortable2.admin import SortableAdminBase
from django.contrib import admin
from django.db import models
from django.db.models import Count

from conference.admin import (
    CheckedQueries,
    ConcurrentEdits,
    OrderedInlineFormSet,
    OrderedTabularInline,
)

from .models import ProfileLink, Speaker, normalise_profile_url


class ProfileLinkFormSet(OrderedInlineFormSet):
    def clean(self):
        """The same profile twice, however written: say so rather than fail on the constraint."""
        super().clean()
        seen = set()
        for form in self.forms:
            if self._should_delete_form(form) or not form.is_valid():
                continue
            if form in self.extra_forms and not form.has_changed():
                continue
            profile = normalise_profile_url(form.cleaned_data.get("url"))
            if profile in seen:
                form.add_error("url", "This profile is listed twice.")
            seen.add(profile)


class ProfileLinkInline(OrderedTabularInline):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    model = ProfileLink
    formset = ProfileLinkFormSet
    fields = ["kind", "url", "position"]
    ordering = ["position", "id"]
    extra = 1


@admin.register(Speaker)
class SpeakerAdmin(CheckedQueries, ConcurrentEdits, SortableAdminBase, admin.ModelAdmin):
    list_display = ["name", "company", "session_count"]
    list_filter = ["sessions__event"]
    search_fields = ["name", "slug", "company"]
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ProfileLinkInline]
    fields = ["name", "slug", "company", "bio", "photo"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(session_count=Count("sessions"))

    @admin.display(description="sessions", ordering="session_count")
    def session_count(self, speaker):
        return speaker.session_count
