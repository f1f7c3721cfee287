"""The iCalendar writer: one VEVENT per session, escaped by the ``icalendar`` library.

A timed session runs from its start for its duration (an hour when it has none), in the
event's zone (with its ``VTIMEZONE``); an untimed one is all day on its day. Untimed sessions
of an event without a start date cannot be placed on a calendar and are left out, as are those
that would end after 31 December 9999 (a mistyped year: no date type holds it). Each entry's
``UID`` is the session's GUID, which never changes, so calendar apps update rather than
duplicate it; its location is the room, then the venue.
"""

import datetime
from functools import lru_cache

from icalendar import Calendar, Timezone
from icalendar import Event as CalendarEvent

from conference.markup import markdown_to_text

from .addresses import absolute_url, host_name

SESSION_DURATION = datetime.timedelta(minutes=60)
PRODID = "-//Conference Roundups//Sessions//EN"


def write(snapshot, *, base_url, name=None):
    """The snapshot's sessions as iCalendar bytes, in a calendar called ``name`` (the event's
    name by default); session addresses are absolute against ``base_url``
    (``scheme://host[:port]``) and UIDs end with its host."""
    event = snapshot.event
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name or event.name)
    host = host_name(base_url)
    for session in snapshot.sessions:
        times = session_times(event, session)
        if times is not None:
            session_url = absolute_url(base_url, session.get_absolute_url())
            calendar.add_component(calendar_event(event, session, session_url, host, times))
    for position, tzid in enumerate(sorted(calendar.get_missing_tzids())):
        if (timezone := zone_component(tzid)) is not None:
            calendar.subcomponents.insert(position, timezone)
    return calendar.to_ical()


@lru_cache(maxsize=64)
def zone_component(tzid):
    """The ``VTIMEZONE`` of ``tzid`` over icalendar's default span of years (as
    ``add_missing_timezones`` makes it), or ``None`` for a zone it does not know. The same for
    every calendar, and costly to build: made once per process, and never changed after."""
    try:
        return Timezone.from_tzid(tzid)
    except ValueError:
        return None


def session_times(event, session):
    """``(start, end)`` of a session: datetimes in the event's zone when it is timed, else its
    whole day; ``None`` when it has no place on a calendar or falls beyond the last date
    Python can hold."""
    try:
        if session.starts_at:
            # Added in UTC, then shown in the event's zone: an hour is an hour across DST.
            end = session.starts_at.astimezone(datetime.UTC) + (
                session.duration or SESSION_DURATION
            )
            return session.local_starts_at, end.astimezone(event.zone)
        day = event.date_of_day(session.day)
        if day is None:
            return None
        return day, day + datetime.timedelta(days=1)
    except OverflowError:
        return None


def calendar_event(event, session, session_url, host, times):
    speakers = ", ".join(speaker.name for speaker in session.ordered_speakers)
    description = [
        f"Speakers: {speakers}" if speakers else "",
        markdown_to_text(session.description),
        session_url,
    ]
    entry = CalendarEvent()
    entry.add("uid", f"{session.guid}@{host}")
    entry.add("dtstamp", session.updated_at)
    entry.add("summary", session.title)
    entry.add("description", "\n\n".join(part for part in description if part))
    entry.add("url", session_url)
    location = ", ".join(str(part) for part in (session.room, event.location) if part)
    if location:
        entry.add("location", location)
    entry.add("dtstart", times[0])
    entry.add("dtend", times[1])
    return entry


# ---------- One session, or a visitor's agenda ----------
# The same entries as the event's calendar (UID from the guid, the room as location, times in
# the event's zone with its VTIMEZONE), for a snapshot narrowed to the sessions wanted.


def write_session(snapshot, *, base_url):
    """The calendar of a snapshot holding one session (its page's "Add to calendar" link),
    named after that session."""
    return write(snapshot, base_url=base_url, name=snapshot.sessions[0].title)


def write_agenda(snapshot, *, base_url):
    """The calendar of the sessions a visitor starred (the snapshot holds only those)."""
    return write(snapshot, base_url=base_url, name=f"My agenda · {snapshot.event.name}")
