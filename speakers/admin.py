"""Back office for speakers and their profile links."""

from django.contrib import admin
from django.db import models
from django.db.models import Count

from conference.admin import ConcurrentEdits

from .models import ProfileLink, Speaker


class ProfileLinkInline(admin.TabularInline):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    model = ProfileLink
    fields = ["kind", "url", "position"]
    ordering = ["position", "id"]
    extra = 1


@admin.register(Speaker)
class SpeakerAdmin(ConcurrentEdits, admin.ModelAdmin):
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
