"""An event's data in other formats: the roundup post (staff), JSON and iCalendar.

Each view finds the event, takes one snapshot of it and hands it to the format's writer in
:data:`~sessions.interchange.writers.WRITERS`; the writer holds the format, the view only the
response around it.
"""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from conference.models import Event

from .interchange.snapshot import snapshot_event, snapshot_for_visitor
from .interchange.writers import CONTENT_TYPES, EXTENSIONS, WRITERS


def site_address(request):
    """``scheme://host[:port]`` of the request, the base the writers make addresses from."""
    return f"{request.scheme}://{request.get_host()}"


def export_response(format_name, snapshot, *, download, **options):
    """The snapshot written in ``format_name``, with its content type (and as a file to save
    under the event's slug when ``download``)."""
    body = WRITERS[format_name](snapshot, **options)
    response = HttpResponse(body, content_type=CONTENT_TYPES[format_name])
    if download:
        filename = f"{snapshot.event.slug}.{EXTENSIONS[format_name]}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def visitor_snapshot(request, slug, **parts):
    event = get_object_or_404(Event.objects.visible_to(request.user), slug=slug)
    return snapshot_for_visitor(event, request.user, **parts)


@require_safe
@staff_member_required
def event_export_markdown(request, slug):
    """The event as a roundup post to download (draft events too, hence staff only)."""
    event = get_object_or_404(Event, slug=slug)
    return export_response("roundup", snapshot_event(event), download=True)


@require_safe
def event_export_json(request, slug):
    """Everything the event page shows, as JSON (see docs/export-json.md)."""
    snapshot = visitor_snapshot(request, slug)
    return export_response("json", snapshot, download=False, base_url=site_address(request))


@require_safe
def event_ical(request, slug):
    """The event's sessions as an iCalendar file to add to a calendar."""
    # A calendar entry names the speakers but neither their links nor the sponsors.
    snapshot = visitor_snapshot(
        request, slug, sponsorships=False, speaker_links=False, programme=False
    )
    return export_response("ical", snapshot, download=True, base_url=site_address(request))
