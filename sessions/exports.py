"""An event's data in other formats: the roundup post (staff), JSON, iCalendar, the frab
schedule (XML and JSON) and CSV; and the calendars of one session and of a visitor's agenda.

Each view finds the event, takes one snapshot of it and hands it to the format's writer in
:data:`~sessions.interchange.writers.WRITERS`; the writer holds the format, the view only the
response around it.
"""

import uuid

from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from conference.models import Event

from .interchange.snapshot import EventSnapshot, snapshot_event, snapshot_for_visitor
from .interchange.writers import CONTENT_TYPES, EXTENSIONS, WRITERS, ical
from .interchange.writers.frab import NoTimedSessions
from .models import Session


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


def published_snapshot(slug):
    """A published event with its published sessions only, whoever asks: schedule apps and
    video pipelines fetch these files, and a staff member's copy must not carry drafts."""
    event = get_object_or_404(Event.objects.published(), slug=slug)
    return snapshot_event(event, sponsorships=False, speaker_links=False, person_guids=True)


def frab_schedule_response(request, slug, format_name):
    snapshot = published_snapshot(slug)
    try:
        response = export_response(
            format_name, snapshot, download=False, base_url=site_address(request)
        )
    except NoTimedSessions as error:
        raise Http404("This event has no timed sessions, so no frab schedule.") from error
    # Web schedule apps and validators read it from their own origin; it is public anyway.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def event_schedule_xml(request, slug):
    """``schedule.xml``: the frab schedule of the event's timed sessions, for schedule apps."""
    return frab_schedule_response(request, slug, "frab-xml")


@require_safe
def event_schedule_json(request, slug):
    """``schedule.json``: the same schedule in frab's JSON form."""
    return frab_schedule_response(request, slug, "frab-json")


@require_safe
def event_schedule_csv(request, slug):
    """``schedule.csv``: every published session as a spreadsheet row, to download."""
    snapshot = published_snapshot(slug)
    return export_response("csv", snapshot, download=True, base_url=site_address(request))


# A subscription link carries its sessions' guids: this many at most (a URL stays well under
# the 8 KB servers and calendar apps accept), the rest ignored.
MAX_AGENDA_SESSIONS = 150


def agenda_guids(text):
    """The valid guids of a comma-separated list, in order, once each, at most
    :data:`MAX_AGENDA_SESSIONS`; anything else is ignored."""
    guids = []
    for part in text.split(","):
        try:
            guid = uuid.UUID(part.strip())
        except ValueError:
            continue
        if guid not in guids:
            guids.append(guid)
    return guids[:MAX_AGENDA_SESSIONS]


def calendar_snapshot(event, sessions):
    """A snapshot of ``sessions`` of ``event`` for the calendar writer (no sponsors, no links)."""
    return EventSnapshot(
        event=event, sessions=list(sessions.for_cards().in_time_order()), sponsorships=None
    )


@require_safe
def session_ical(request, event_slug, slug):
    """One session as an iCalendar file: the "Add to calendar" link of its page."""
    sessions = Session.objects.visible_to(request.user).filter(event__slug=event_slug, slug=slug)
    session = get_object_or_404(sessions.timed().select_related("event"))
    snapshot = calendar_snapshot(session.event, sessions)
    body = ical.write_session(snapshot, base_url=site_address(request))
    response = HttpResponse(body, content_type=CONTENT_TYPES["ical"])
    response["Content-Disposition"] = f'attachment; filename="{session.slug}.ics"'
    return response


@require_safe
def event_agenda_ical(request, slug):
    """``agenda.ics?s=<guid>,<guid>...``: a calendar of the chosen timed sessions, which a
    calendar app subscribes to; the same URL is the same calendar, so it is cacheable."""
    event = get_object_or_404(Event.objects.visible_to(request.user), slug=slug)
    guids = agenda_guids(request.GET.get("s", ""))
    sessions = event.sessions.visible_to(request.user).timed().filter(guid__in=guids)
    body = ical.write_agenda(calendar_snapshot(event, sessions), base_url=site_address(request))
    return HttpResponse(body, content_type=CONTENT_TYPES["ical"])
