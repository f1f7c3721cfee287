"""The organiser's schedule editor: one admin page per event, and the endpoint every move posts to.

``admin/conference/event/<id>/schedule/`` (``admin:event_schedule``) draws a grid of days by
rooms from one JSON block holding every session, room and track of the event (fixed queries,
whatever the size of the event); static/admin-extra/schedule-editor.js draws it and posts each
move to ``admin/conference/event/<id>/schedule/move/`` (``admin:event_schedule_move``).

A move is the session's own validation (``Session.full_clean()``: the same rules as every admin
form, so a room overlap is refused naming the other session), saved with an entry in the
session's admin history. The pages hang off the event admin (``extend_event_admin``), but they
edit sessions: they need the change permission on sessions.
"""

import datetime

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import select_template
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from conference.models import Event

from .models import Room, Session

# Drags snap to this many minutes; the keyboard form steps by as much.
SNAP_MINUTES = 5
# The longest session the editor sets: a day.
MAX_DURATION_MINUTES = 24 * 60
# What the move form's start field reads (an <input type="datetime-local">).
LOCAL_DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class MoveForm(forms.Form):
    """Where a session goes: a room, a start in the event's zone, a length; or off the grid.

    Validate it with the event's zone active (``timezone.override(event.zone)``): the start is
    read as the event's wall-clock time, and a time the zone skips or repeats (the night clocks
    change) is refused rather than guessed.
    """

    session = forms.ModelChoiceField(
        queryset=Session.objects.none(),
        label="Session",
        error_messages={"invalid_choice": "That session is not one of this event's sessions."},
    )
    room = forms.ModelChoiceField(
        queryset=Room.objects.none(),
        required=False,
        label="Room",
        error_messages={"invalid_choice": "That room is not one of this event's rooms."},
    )
    starts_at = forms.DateTimeField(
        required=False, label="Start", input_formats=[LOCAL_DATETIME_FORMAT]
    )
    duration = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_DURATION_MINUTES, label="Duration (minutes)"
    )
    unschedule = forms.BooleanField(required=False)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = event.sessions.all()
        self.fields["room"].queryset = event.rooms.all()

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("unschedule"):
            return cleaned_data
        for name in ("room", "starts_at"):
            if cleaned_data.get(name) is None and name not in self.errors:
                self.add_error(name, "A session on the grid needs a room and a start.")
        return cleaned_data

    def apply(self):
        """Set the session's room, start and duration (not saved); return the history message."""
        session = self.cleaned_data["session"]
        if self.cleaned_data["unschedule"]:
            was = describe_place(session)
            session.room = None
            session.starts_at = None
            return f"Unscheduled (was {was})." if was else "Unscheduled."
        minutes = self.cleaned_data["duration"]
        session.room = self.cleaned_data["room"]
        session.starts_at = self.cleaned_data["starts_at"]
        session.duration = datetime.timedelta(minutes=minutes) if minutes else None
        return f"Moved to {describe_place(session)}."

    def first_error(self):
        """The first reason the form was refused, as one sentence for the organiser."""
        for field, errors in self.errors.items():
            return errors[0] if field == "__all__" else f"{self.fields[field].label}: {errors[0]}"
        return ""


def error_codes(error):
    """The codes of every message a ``ValidationError`` holds."""
    if hasattr(error, "error_dict"):
        return [item.code for items in error.error_dict.values() for item in items]
    return [item.code for item in error.error_list]


def describe_place(session):
    """``Hall B, 2024-11-23 10:00, 30 min`` (in the event's zone), or "" when not on the grid."""
    if session.room is None or session.starts_at is None:
        return ""
    start = session.starts_at.astimezone(session.event.zone)
    parts = [session.room.name, f"{start:%Y-%m-%d %H:%M}"]
    if session.duration:
        parts.append(f"{minutes_of(session.duration)} min")
    return ", ".join(parts)


def minutes_of(duration):
    return round(duration.total_seconds() / 60) if duration is not None else None


def schedule_sessions(event):
    """Every session of ``event``, drafts included, with what a grid block shows."""
    return list(event.sessions.for_schedule())


def clash_messages(event):
    """``{session id: [message, ...]}`` for the sessions of ``event`` that clash (fixed queries).

    Two kinds, as the model defines them: a room overlap (refused on save, but an imported
    schedule may keep some) and a speaker in two overlapping sessions (a warning).
    """
    messages = {}
    for first, second in event.sessions.room_clashes():
        for session, other in ((first, second), (second, first)):
            messages.setdefault(session.pk, []).append(Session.room_taken_message(other))
    for first, second, speakers in event.sessions.speaker_clashes():
        names = " and ".join(speaker.name for speaker in speakers)
        verb = "speaks" if len(speakers) == 1 else "speak"
        for session, other in ((first, second), (second, first)):
            messages.setdefault(session.pk, []).append(
                f"{names} also {verb} in “{other}”, {time_range(other)}."
            )
    return messages


def time_range(session):
    """``10:00 to 11:00`` (or ``10:00``) in the event's zone."""
    start = f"{session.local_starts_at:%H:%M}"
    return f"{start} to {session.local_ends_at:%H:%M}" if session.ends_at else start


def session_block(session, zone, clashes):
    """What the grid shows of one session (a JSON object)."""
    start = session.starts_at.astimezone(zone) if session.starts_at else None
    return {
        "id": session.pk,
        "title": session.title,
        "kind": session.get_kind_display(),
        "room": session.room_id,
        "track": session.track_id,
        "start": f"{start:{LOCAL_DATETIME_FORMAT}}" if start else None,
        "duration": minutes_of(session.duration),
        "speakers": [speaker.name for speaker in session.ordered_speakers],
        "published": session.is_published,
        "url": reverse("admin:talks_session_change", args=[session.pk]),
        "clashes": clashes.get(session.pk, []),
    }


def schedule_days(event, sessions, zone):
    """The event's days (its dates, and any other date a session is on), in order."""
    dates = {session.starts_at.astimezone(zone).date() for session in sessions if session.starts_at}
    if event.start_date:
        end = max(event.end_date or event.start_date, event.start_date)
        dates.update(
            event.start_date + datetime.timedelta(days=offset)
            for offset in range((end - event.start_date).days + 1)
        )
    return [
        {"date": date.isoformat(), "label": f"{date:%a} {date.day} {date:%b}"}
        for date in sorted(dates)
    ]


def schedule_data(event):
    """Everything the editor draws, in one JSON-ready dict (a fixed number of queries)."""
    zone = event.zone
    sessions = schedule_sessions(event)
    clashes = clash_messages(event)
    return {
        "timeZone": event.time_zone,
        "snapMinutes": SNAP_MINUTES,
        "moveUrl": reverse("admin:event_schedule_move", args=[event.pk]),
        "days": schedule_days(event, sessions, zone),
        "rooms": [{"id": room.pk, "name": room.name} for room in event.rooms.all()],
        "tracks": [
            {
                "id": track.pk,
                "name": track.name,
                "colour": track.colour,
                # White text where it is legible on the colour (WCAG AA), black elsewhere.
                "text": "#ffffff" if track.is_accessible else "#000000",
            }
            for track in event.tracks.all()
        ],
        "sessions": [session_block(session, zone, clashes) for session in sessions],
    }


class EventSchedule:
    """The event admin's part of the editor: the two URLs, a list column, a change-form link."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:event_id>/schedule/", wrap(self.schedule_view), name="event_schedule"),
            path(
                "<int:event_id>/schedule/move/",
                wrap(require_POST(self.schedule_move_view)),
                name="event_schedule_move",
            ),
            *super().get_urls(),
        ]

    def get_list_display(self, request):
        return [*super().get_list_display(request), "schedule_link"]

    @admin.display(description="schedule")
    def schedule_link(self, event):
        return format_html(
            '<a href="{}">Schedule</a>', reverse("admin:event_schedule", args=[event.pk])
        )

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        response = super().render_change_form(request, context, add=add, change=change, **kwargs)
        if change:  # the same form, with a link to the schedule among its object tools
            names = response.template_name
            response.context_data["schedule_base_template"] = select_template(
                [names] if isinstance(names, str) else names
            )
            response.template_name = "admin/talks/schedule_event_change_form.html"
        return response

    def _session_admin(self, request):
        """The session admin, once the user may change sessions (else 403)."""
        session_admin = self.admin_site.get_model_admin(Session)
        if not session_admin.has_change_permission(request):
            raise PermissionDenied
        return session_admin

    def schedule_view(self, request, event_id):
        self._session_admin(request)
        event = get_object_or_404(Event, pk=event_id)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Schedule of {event}",
            "event": event,
            "event_opts": Event._meta,
            "schedule": schedule_data(event),
            "move_url": reverse("admin:event_schedule_move", args=[event.pk]),
            "snap_minutes": SNAP_MINUTES,
            "snap_seconds": SNAP_MINUTES * 60,
            "max_duration": MAX_DURATION_MINUTES,
        }
        return TemplateResponse(request, "admin/talks/schedule.html", context)

    def schedule_move_view(self, request, event_id):
        """Move one session; answer ``{ok, message, session, clashes}``, or ``{error}``.

        409 when the room is taken at that time (the model's rule, naming the other session);
        400 for any other refusal: a session or room of another event, a start the event's
        zone skips, a time outside the event's days.
        """
        session_admin = self._session_admin(request)
        event = get_object_or_404(Event, pk=event_id)
        form = MoveForm(request.POST, event=event)
        with timezone.override(event.zone):
            if not form.is_valid():
                return JsonResponse({"error": form.first_error()}, status=400)
        with transaction.atomic():
            message = form.apply()
            session = form.cleaned_data["session"]
            try:
                session.full_clean()
            except ValidationError as error:
                status = 409 if "room_taken" in error_codes(error) else 400
                return JsonResponse({"error": " ".join(error.messages)}, status=status)
            session.save()
            session_admin.log_change(request, session, message)
        clashes = clash_messages(event)
        moved = Session.objects.for_schedule().get(pk=session.pk)
        return JsonResponse(
            {
                "ok": True,
                "message": message,
                "session": session_block(moved, event.zone, clashes),
                "clashes": clashes,
            }
        )


def extend_event_admin(site):
    """Give the event admin registered on ``site`` the schedule editor's pages and links.

    Called once the event admin is final (the end of sessions/admin.py): conference, below
    sessions, cannot know the editor, so sessions extends its admin.
    """
    event_admin = type(site.get_model_admin(Event))
    site.unregister(Event)
    site.register(Event, type(event_admin.__name__, (EventSchedule, event_admin), {}))
