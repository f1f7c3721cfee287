"""An event's data in other formats: the roundup post (staff), JSON and iCalendar.

Each export reads the event and its sessions in a fixed number of queries, the way the event
page does (``SessionQuerySet.for_roundup``), and leaves escaping to the format's own writer:
``JsonResponse`` for JSON, the ``icalendar`` library for iCalendar.
"""

import datetime
import html
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import prefetch_related_objects
from django.http import HttpResponse, JsonResponse
from django.http.request import split_domain_port
from django.shortcuts import get_object_or_404
from django.utils.html import strip_tags
from django.views.decorators.http import require_safe
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from .markup import render_markdown
from .models import Event
from .roundup.export import export_roundup

JSON_EXPORT_VERSION = 1
SESSION_DURATION = datetime.timedelta(minutes=60)
PRODID = "-//Conference Roundups//Sessions//EN"


def markdown_to_text(text):
    """Plain text of a Markdown field: rendered, tags stripped, entities decoded."""
    return html.unescape(strip_tags(render_markdown(text))).strip()


def attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@staff_member_required
def event_export_markdown(request, slug):
    """The event as a roundup post to download (drafts included: staff only)."""
    event = get_object_or_404(Event, slug=slug)
    response = HttpResponse(export_roundup(event), content_type="text/markdown; charset=utf-8")
    return attachment(response, f"{event.slug}.md")


def visible_event_and_sessions(request, slug):
    event = get_object_or_404(Event.objects.visible_to(request.user), slug=slug)
    sessions = event.sessions.visible_to(request.user).for_roundup()
    return event, list(sessions.order_by("day", "position"))


@require_safe
def event_export_json(request, slug):
    """Everything the event page shows, as JSON (see docs/export-json.md)."""
    event, sessions = visible_event_and_sessions(request, slug)
    sponsorships = event.sponsorships.for_event_page()
    speakers = {link.speaker for s in sessions for link in s.session_speakers.all()}
    speakers = sorted(speakers, key=lambda speaker: (speaker.name, speaker.slug))
    prefetch_related_objects(speakers, "links")
    url = request.build_absolute_uri
    data = {
        "version": JSON_EXPORT_VERSION,
        "event": {
            "name": event.name,
            "slug": event.slug,
            "summary": event.summary,
            "start_date": event.start_date.isoformat() if event.start_date else None,
            "end_date": event.end_date.isoformat() if event.end_date else None,
            "venue": event.venue,
            "city": event.city,
            "country": event.country,
            "website": event.website,
            "photo_gallery_url": event.photo_gallery_url,
            "attendee_count": event.attendee_count,
            "country_count": event.country_count,
            "url": url(event.get_absolute_url()),
        },
        "sponsors": [
            {
                "name": sponsorship.sponsor.name,
                "slug": sponsorship.sponsor.slug,
                "website": sponsorship.sponsor.website,
                "tier": sponsorship.get_tier_display(),
                "position": sponsorship.position,
            }
            for sponsorship in sponsorships
        ],
        "sessions": [
            {
                "slug": session.slug,
                "title": session.title,
                "kind": session.kind,
                "day": session.day,
                "position": session.position,
                "start_time": session.start_time.isoformat() if session.start_time else None,
                "description": session.description,
                "url": url(session.get_absolute_url()),
                "speakers": [speaker.slug for speaker in session.ordered_speakers],
                "tags": sorted(tag.name for tag in session.tags.all()),
                "recordings": [
                    {
                        "provider": recording.provider,
                        "key": recording.provider_key,
                        "url": recording.url,
                        "embed_url": recording.embed_url or None,
                        "kind": recording.kind,
                    }
                    for recording in session.recordings.all()
                ],
                "slide_decks": [
                    {
                        "provider": deck.provider,
                        "key": deck.provider_key,
                        "url": url(deck.pdf.url) if deck.pdf else deck.url,
                        "embed_url": url(deck.embed_url) if deck.embed_url else None,
                    }
                    for deck in session.slide_decks.all()
                ],
            }
            for session in sessions
        ],
        "speakers": [
            {
                "slug": speaker.slug,
                "name": speaker.name,
                "company": speaker.company,
                "bio": speaker.bio,
                "url": url(speaker.get_absolute_url()),
                "links": [{"kind": link.kind, "url": link.url} for link in speaker.links.all()],
            }
            for speaker in speakers
        ],
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@require_safe
def event_ical(request, slug):
    """One VEVENT per session: timed when it has a start time, else all day on its day.

    Sessions of an event without a start date cannot be placed on a calendar and are left out,
    as are those that would end after 31 December 9999 (a mistyped year: no date type holds it).
    """
    event, sessions = visible_event_and_sessions(request, slug)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", event.name)
    if event.start_date:
        timezone = ZoneInfo(settings.TIME_ZONE)
        host, _port = split_domain_port(request.get_host())
        for session in sessions:
            times = session_times(event, session, timezone)
            if times is not None:
                calendar.add_component(calendar_event(request, event, session, host, times))
        calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    return attachment(response, f"{event.slug}.ics")


def session_times(event, session, timezone):
    """``(start, end)`` of a session: datetimes when it has a start time, else its whole day;
    ``None`` when that falls beyond the last date Python can hold."""
    try:
        day = event.start_date + datetime.timedelta(days=session.day - 1)
        if session.start_time:
            start = datetime.datetime.combine(day, session.start_time, tzinfo=timezone)
            return start, start + SESSION_DURATION
        return day, day + datetime.timedelta(days=1)
    except OverflowError:
        return None


def calendar_event(request, event, session, host, times):
    session_url = request.build_absolute_uri(session.get_absolute_url())
    speakers = ", ".join(speaker.name for speaker in session.ordered_speakers)
    description = [
        f"Speakers: {speakers}" if speakers else "",
        markdown_to_text(session.description),
        session_url,
    ]
    entry = CalendarEvent()
    entry.add("uid", f"session-{session.pk}@{host}")
    entry.add("dtstamp", session.updated_at)
    entry.add("summary", session.title)
    entry.add("description", "\n\n".join(part for part in description if part))
    entry.add("url", session_url)
    if event.location:
        entry.add("location", event.location)
    entry.add("dtstart", times[0])
    entry.add("dtend", times[1])
    return entry
