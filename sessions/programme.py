"""An event's programme: the sessions a visitor may see, day by day, and what the page counts;
and its schedule: the timed sessions on a grid of days, rooms and time slots.

:class:`Programme` is built from one list of sessions (fetched with ``for_cards()``, so in a
fixed number of queries); the facts, the filters and the days are all counted from that list,
so they always agree with each other (drafts included for staff).
"""

import datetime
import math
from collections import Counter
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter
from urllib.parse import urlencode

from django.db.models import Count, F, Min
from django.urls import reverse
from django.utils.translation import get_language_info


@dataclass(frozen=True)
class ProgrammeDay:
    """One day of an event's programme: its number (1 for the first day), its sessions and,
    for a big event, the parts of its day page (:class:`DayPart`)."""

    number: int
    sessions: list
    parts: list = ()


@dataclass(frozen=True)
class FilterOption:
    """A kind or a tag the visitor can narrow the programme to (``?kind=`` or ``?tag=``)."""

    value: str
    label: str
    count: int


class Programme:
    """The sessions of one event in programme order, the kinds and tags they have, and facts."""

    def __init__(self, sessions):
        self.sessions = list(sessions)
        kinds = Counter((s.kind, s.get_kind_display()) for s in self.sessions)
        tags = Counter((tag.slug, tag.name) for s in self.sessions for tag in s.tag_list)
        self.kinds = [FilterOption(v, label, n) for (v, label), n in sorted(kinds.items())]
        self.tags = [FilterOption(v, label, n) for (v, label), n in sorted(tags.items())]

    def known_kind(self, kind):
        """``kind`` when a session of the programme has it, else "" (every kind)."""
        return kind if kind in {option.value for option in self.kinds} else ""

    def known_tag(self, tag):
        """``tag`` when a session of the programme has it, else "" (every tag)."""
        return tag if tag in {option.value for option in self.tags} else ""

    def narrowed(self, *, kind, tag):
        """The sessions with the kind and the tag asked for (an empty value matches all)."""
        return [session for session in self.sessions if matches(session, kind=kind, tag=tag)]

    @staticmethod
    def days(sessions):
        """``sessions`` (in programme order) grouped by day."""
        return [
            ProgrammeDay(number, list(day_sessions))
            for number, day_sessions in groupby(sessions, key=attrgetter("day"))
        ]

    def outline(self, event, sessions):
        """``sessions`` grouped by day as a big event's page lists them, one line each, with
        the parts of each day's page (counted from every session, not only ``sessions``)."""
        parts = {link.number: link.parts for link in day_links(event, self.sessions)}
        return [
            ProgrammeDay(day.number, day.sessions, parts[day.number]) for day in self.days(sessions)
        ]

    @property
    def session_count(self):
        return len(self.sessions)

    @property
    def is_big(self):
        return is_big(self.session_count)

    @property
    def speaker_count(self):
        links = (
            link for session in self.sessions for link in session.related_rows("session_speakers")
        )
        return len({link.speaker_id for link in links})

    @property
    def video_count(self):
        return sum(1 for session in self.sessions if session.recording_list)

    @property
    def slides_count(self):
        return sum(1 for session in self.sessions if session.slide_deck_list)


def matches(session, *, kind, tag):
    """Whether a session has the kind and the tag asked for (an empty value matches all)."""
    if kind and session.kind != kind:
        return False
    return not tag or any(t.slug == tag for t in session.tag_list)


# ---------- The schedule grid ----------
#
# The grid of one or more days: rooms are columns, time runs down in rows of SLOT. Everything a
# page draws (rows, spans, columns, labels, ISO times with their offset) is computed here from
# one list of timed sessions, so the template only loops and the page's script only places.

SLOT = datetime.timedelta(minutes=5)
# A session without a duration is a point in time (see Session.clean); the grid still draws it
# as tall as this, so that its title can be read.
POINT_HEIGHT = datetime.timedelta(minutes=15)
# An event with at most this many timed sessions shows all its days on one page by default;
# a bigger one shows its first day, the others one link away (?day=N): no page over 1 MB.
ALL_DAYS_MAX_SESSIONS = 200
UNASSIGNED_ROOM = "Room to be announced"


@dataclass(frozen=True)
class Moment:
    """A time as a page shows it: in the event's zone, ISO 8601 with its offset for
    ``<time datetime>`` (the script converts it to the visitor's zone) and ``HH:MM``."""

    value: datetime.datetime

    @property
    def iso(self):
        return self.value.isoformat()

    @property
    def label(self):
        return self.value.strftime("%H:%M")


@dataclass(frozen=True)
class ScheduleRoom:
    """A column of a day's grid: a room (``slug`` "" for sessions without one), 1 for the first."""

    slug: str
    name: str
    column: int


@dataclass(frozen=True)
class ScheduleBlock:
    """One session on the grid: its room's column, its first row (1 for the day's start) and
    how many rows of :data:`SLOT` it spans."""

    session: object
    room: ScheduleRoom
    row: int
    span: int
    starts: Moment
    ends: Moment | None
    speakers: str
    tag_slugs: str

    @property
    def duration_minutes(self):
        duration = self.session.duration
        return int(duration.total_seconds() // 60) if duration else None


@dataclass(frozen=True)
class TimeSlot:
    """The sessions of a day starting at one moment, in room order (a phone's list item)."""

    starts: Moment
    row: int
    blocks: list


@dataclass(frozen=True)
class ScheduleDay:
    """One day of the grid: from ``starts`` (the first session's hour) to ``ends``, in ``rows``
    rows of :data:`SLOT`, with the rooms used that day as columns."""

    number: int
    date: datetime.date
    starts: Moment
    ends: Moment
    rows: int
    rooms: list
    slots: list

    @property
    def blocks(self):
        return [block for slot in self.slots for block in slot.blocks]


@dataclass(frozen=True)
class ChoiceLink:
    """One value of a schedule filter, as a plain link (``href``) the script also applies."""

    value: str
    label: str
    count: int
    href: str
    active: bool


@dataclass(frozen=True)
class ScheduleFilter:
    """A query parameter of the schedule (``room``, ``track``, ``kind``, ``tag``) and its
    choices; ``all_href`` clears it."""

    name: str
    label: str
    all_label: str
    all_href: str
    active: str
    choices: list


@dataclass(frozen=True)
class DayLink:
    """A day of the event in the day navigation, with how many timed sessions it has."""

    number: int
    date: datetime.date
    count: int
    href: str
    active: bool


def floor_to_hour(moment):
    return moment.replace(minute=0, second=0, microsecond=0)


def elapsed_slots(start, end):
    """Whole :data:`SLOT` rows from ``start`` to ``end``, rounded up. Computed in UTC: Python
    subtracts two datetimes of one zone on the wall clock, wrong across a DST change."""
    seconds = (end.astimezone(datetime.UTC) - start.astimezone(datetime.UTC)).total_seconds()
    return max(1, math.ceil(seconds / SLOT.total_seconds()))


def slots_before(start, moment):
    """Whole :data:`SLOT` rows from ``start`` to ``moment``, rounded down (in UTC, as above)."""
    seconds = (moment.astimezone(datetime.UTC) - start.astimezone(datetime.UTC)).total_seconds()
    return int(seconds // SLOT.total_seconds())


def drawn_end(session):
    """Where a session's block ends on the grid (a point in time is drawn POINT_HEIGHT tall)."""
    return session.ends_at or session.starts_at + POINT_HEIGHT


def build_day(number, sessions, zone):
    """A :class:`ScheduleDay` of ``sessions`` (timed, in time order, all of day ``number``)."""
    starts = floor_to_hour(min(s.starts_at for s in sessions).astimezone(zone))
    ends = max(drawn_end(s) for s in sessions).astimezone(zone)
    rooms = {}
    for session in sessions:
        key = session.room_id or 0
        if key not in rooms:
            room = session.room
            rooms[key] = (
                (room.position, room.name, room.slug) if room else (math.inf, UNASSIGNED_ROOM, "")
            )
    columns = {
        key: ScheduleRoom(slug=slug, name=name, column=index)
        for index, (key, (_, name, slug)) in enumerate(
            sorted(rooms.items(), key=lambda item: item[1][:2]), start=1
        )
    }
    slots = []
    for moment, slot_sessions in groupby(sessions, key=attrgetter("starts_at")):
        local = moment.astimezone(zone)
        row = slots_before(starts, local) + 1
        blocks = [
            ScheduleBlock(
                session=session,
                room=columns[session.room_id or 0],
                row=row,
                span=elapsed_slots(session.starts_at, drawn_end(session)),
                starts=Moment(local),
                ends=Moment(session.ends_at.astimezone(zone)) if session.ends_at else None,
                speakers=", ".join(speaker.name for speaker in session.ordered_speakers),
                tag_slugs=" ".join(tag.slug for tag in session.tag_list),
            )
            for session in sorted(slot_sessions, key=lambda s: columns[s.room_id or 0].column)
        ]
        slots.append(TimeSlot(starts=Moment(local), row=row, blocks=blocks))
    return ScheduleDay(
        number=number,
        date=starts.date(),
        starts=Moment(starts),
        ends=Moment(ends),
        rows=elapsed_slots(starts, ends),
        rooms=sorted(columns.values(), key=attrgetter("column")),
        slots=slots,
    )


class Schedule:
    """The grid of an event's timed sessions: the days shown, their filters and the day links.

    Built by :meth:`for_event` in a fixed number of queries however big the event: the days'
    counts, then the shown days' sessions with ``for_schedule()``. Filters by room, track, kind
    and tag narrow the shown sessions (unknown values are ignored); their choices are counted
    from the shown days before narrowing, so every choice leads somewhere.
    """

    FILTERS = ("room", "track", "kind", "tag")

    def __init__(self, event, sessions, *, day_links, path, query):
        self.event = event
        self.zone = event.zone
        self.day_links = day_links
        sessions = list(sessions)
        choices = {
            "room": Counter(
                (s.room.slug, s.room.name, s.room.position) for s in sessions if s.room
            ),
            "track": Counter(
                (s.track.slug, s.track.name, s.track.position) for s in sessions if s.track
            ),
            "kind": Counter((s.kind, s.get_kind_display(), 0) for s in sessions),
            "tag": Counter((t.slug, t.name, 0) for s in sessions for t in s.tag_list),
        }
        known = {name: {value for value, _, _ in counts} for name, counts in choices.items()}
        self.active = {
            name: value if value in known[name] else ""
            for name, value in ((name, query.get(name, "")) for name in self.FILTERS)
        }
        self.day = query.get("day", "")
        self.path = path
        self.tracks = sorted(
            {s.track for s in sessions if s.track}, key=lambda t: (t.position, t.name)
        )
        self.filters = [
            self.make_filter(name, label, all_label, choices[name])
            for name, label, all_label in (
                ("room", "Room", "All rooms"),
                ("track", "Track", "All tracks"),
                ("kind", "Kind", "All kinds"),
                ("tag", "Topic", "All topics"),
            )
            if len(choices[name]) > 1 or self.active[name]
        ]
        self.shown = [s for s in sessions if self.matches(s)]
        self.session_count = len(sessions)
        self.days = [
            build_day(number, list(day_sessions), self.zone)
            for number, day_sessions in groupby(self.shown, key=attrgetter("day"))
        ]

    @classmethod
    def for_event(cls, event, user, *, path, query):
        """The schedule of ``event`` as ``user`` may see it, for the request's ``query``
        (``day``, ``room``, ``track``, ``kind``, ``tag``); ``None`` when no session has a time."""
        timed = event.sessions.visible_to(user).timed()
        counts = list(
            timed.order_by()
            .values_list("day")
            .annotate(count=Count("pk"), first=Min("starts_at"))
            .order_by("day")
        )
        if not counts:
            return None
        numbers = [number for number, _, _ in counts]
        try:
            day = int(query.get("day", ""))
        except ValueError:
            day = None
        if day not in numbers:
            total = sum(count for _, count, _ in counts)
            day = None if total <= ALL_DAYS_MAX_SESSIONS else numbers[0]
        shown = timed.for_schedule().in_time_order()
        if day is not None:
            shown = shown.filter(day=day)
        query = {**query, "day": str(day) if day else ""}
        day_links = [
            DayLink(
                number=number,
                date=first.astimezone(event.zone).date(),
                count=count,
                href=query_url(path, {**query, "day": str(number)}),
                active=number == day,
            )
            for number, count, first in counts
        ]
        return cls(event, shown, day_links=day_links, path=path, query=query)

    @property
    def all_days_href(self):
        """The link showing every day on one page, for events small enough (else ``""``)."""
        total = sum(link.count for link in self.day_links)
        if len(self.day_links) < 2 or total > ALL_DAYS_MAX_SESSIONS:
            return ""
        return query_url(self.path, {**self.query, "day": ""})

    @property
    def query(self):
        return {"day": self.day, **self.active}

    @property
    def is_filtered(self):
        return any(self.active.values())

    @property
    def clear_href(self):
        return query_url(self.path, {"day": self.day})

    def matches(self, session):
        active = self.active
        if active["room"] and (not session.room or session.room.slug != active["room"]):
            return False
        if active["track"] and (not session.track or session.track.slug != active["track"]):
            return False
        if active["kind"] and session.kind != active["kind"]:
            return False
        return not active["tag"] or any(t.slug == active["tag"] for t in session.tag_list)

    def make_filter(self, name, label, all_label, counts):
        ordered = sorted(counts.items(), key=lambda item: (item[0][2], item[0][1]))
        return ScheduleFilter(
            name=name,
            label=label,
            all_label=all_label,
            all_href=query_url(self.path, {**self.query, name: ""}),
            active=self.active[name],
            choices=[
                ChoiceLink(
                    value=value,
                    label=choice_label,
                    count=count,
                    href=query_url(self.path, {**self.query, name: value}),
                    active=value == self.active[name],
                )
                for (value, choice_label, _), count in ordered
            ],
        )


def query_url(path, parameters):
    """``path`` with the non-empty ``parameters`` as its query, in a fixed order."""
    query = urlencode([(name, value) for name, value in parameters.items() if value])
    return f"{path}?{query}" if query else path


# ---------- The personal agenda ----------


@dataclass(frozen=True)
class AgendaEntry:
    """A timed session as the agenda page lists it (its script shows the starred ones)."""

    session: object
    starts: Moment
    ends: Moment | None
    speakers: str


def agenda_entries(event, sessions):
    """``sessions`` (timed, in time order, fetched ``for_agenda()``) in the event's zone."""
    zone = event.zone
    return [
        AgendaEntry(
            session=session,
            starts=Moment(session.starts_at.astimezone(zone)),
            ends=Moment(session.ends_at.astimezone(zone)) if session.ends_at else None,
            speakers=", ".join(speaker.name for speaker in session.ordered_speakers),
        )
        for session in sessions
    ]


# ---------- One session's place in the programme ----------


@dataclass(frozen=True)
class SessionTiming:
    """What a session page says of a timed session: when (in the event's zone), how long."""

    starts: Moment
    ends: Moment | None
    duration: str
    language: str


def session_timing(session):
    """The :class:`SessionTiming` of ``session``, or ``None`` when it has no time."""
    if not session.starts_at:
        return None
    zone = session.event.zone
    return SessionTiming(
        starts=Moment(session.starts_at.astimezone(zone)),
        ends=Moment(session.ends_at.astimezone(zone)) if session.ends_at else None,
        duration=duration_label(session.duration),
        language=language_label(session.language),
    )


def duration_label(duration):
    """``50 min``, ``1 h``, ``1 h 30 min``; "" without a duration."""
    if not duration:
        return ""
    hours, minutes = divmod(int(duration.total_seconds() // 60), 60)
    parts = [f"{hours} h" if hours else "", f"{minutes} min" if minutes else ""]
    return " ".join(part for part in parts if part)


def language_label(code):
    """The English name of a BCP 47 code Django knows (``fr`` -> French), else the code."""
    if not code:
        return ""
    try:
        return get_language_info(code.lower())["name"]
    except KeyError:
        base = code.split("-")[0].lower()
        try:
            return f"{get_language_info(base)['name']} ({code})"
        except KeyError:
            return code


# ---------- Big events: a compact programme and one page per day ----------
#
# A session card weighs about 4 KB of HTML with its posters, so a page of every card of a
# 1,000-session event is 4 MB. No page holds more than MAX_CARDS_PER_PAGE cards: an event with
# more sessions shows a compact programme on its page (one line per session: time, title,
# speakers, room) and links to its day pages, which hold the cards; a day with more sessions
# than that is split into parts of equal size (a 250-session day: two parts of 125).

MAX_CARDS_PER_PAGE = 150


def is_big(session_count):
    """Whether a programme of ``session_count`` sessions is too big for one page of cards."""
    return session_count > MAX_CARDS_PER_PAGE


def in_programme_order(sessions):
    """``sessions`` in the order of the event page (day, position, start, title), ``pk``
    breaking ties so that a day's parts never overlap."""
    return sessions.order_by("day", "position", F("starts_at").asc(nulls_last=True), "title", "pk")


def part_sizes(count):
    """How many sessions each part of a day of ``count`` sessions holds: as few parts as
    MAX_CARDS_PER_PAGE allows, of equal size (the first ones one more when it does not divide)."""
    parts = max(1, math.ceil(count / MAX_CARDS_PER_PAGE))
    size, extra = divmod(count, parts)
    return [size + (1 if index < extra else 0) for index in range(parts)]


def day_url(event_slug, day, part=1):
    """The address of part ``part`` of day ``day``: ``/events/<slug>/day/<n>/``, and
    ``.../day/<n>/part/<p>/`` from the second part on."""
    if part == 1:
        return reverse("talks:event_day", kwargs={"slug": event_slug, "day": day})
    return reverse("talks:event_day_part", kwargs={"slug": event_slug, "day": day, "part": part})


@dataclass(frozen=True)
class DayPart:
    """One page of a day's cards: the ``count`` sessions from ``offset`` in programme order,
    the first and last of them starting at ``starts`` and ``last_starts`` (``None`` untimed)."""

    day: int
    number: int
    of: int
    offset: int
    count: int
    starts: Moment | None
    last_starts: Moment | None
    href: str

    @property
    def label(self):
        """Its sessions' first and last start (``09:00`` en dash ``12:40``) for a timed part,
        else ``Part 2``."""
        if self.starts and self.last_starts:
            return f"{self.starts.label}\N{EN DASH}{self.last_starts.label}"
        return f"Part {self.number}"


@dataclass(frozen=True)
class ProgrammeDayLink:
    """A day of the event in a day page's navigation, with its parts."""

    number: int
    date: datetime.date | None
    count: int
    parts: list

    @property
    def href(self):
        return self.parts[0].href


def day_links(event, sessions):
    """The :class:`ProgrammeDayLink` of every day of ``sessions`` (objects with ``day`` and
    ``starts_at``, in programme order), each with its parts."""
    zone = event.zone
    links = []
    for number, day_sessions in groupby(sessions, key=attrgetter("day")):
        day_sessions = list(day_sessions)
        sizes = part_sizes(len(day_sessions))
        parts, offset = [], 0
        for index, size in enumerate(sizes, start=1):
            first, last = day_sessions[offset].starts_at, day_sessions[offset + size - 1].starts_at
            parts.append(
                DayPart(
                    day=number,
                    number=index,
                    of=len(sizes),
                    offset=offset,
                    count=size,
                    starts=Moment(first.astimezone(zone)) if first else None,
                    last_starts=Moment(last.astimezone(zone)) if last else None,
                    href=day_url(event.slug, number, index),
                )
            )
            offset += size
        links.append(ProgrammeDayLink(number, event.date_of_day(number), len(day_sessions), parts))
    return links


@dataclass(frozen=True)
class SessionPlace:
    """Where a session is in the programme: its day and start (a row of ``values_list``)."""

    day: int
    starts_at: datetime.datetime | None


class DayPage:
    """One part of one day of an event's programme, with every session's full card.

    Built by :meth:`for_event` in a fixed number of queries however big the event: every
    session's day and start (for the navigation and the parts), then the part's sessions with
    ``for_cards()``.
    """

    def __init__(self, event, *, days, part, sessions):
        self.event = event
        self.days = days
        self.part = part
        self.sessions = list(sessions)
        self.day = next(day for day in days if day.number == part.day)

    @classmethod
    def for_event(cls, event, user, *, day, part):
        """Part ``part`` of day ``day`` of ``event`` as ``user`` may see it; ``None`` when
        the event has no such day or the day no such part."""
        visible = event.sessions.visible_to(user)
        places = [
            SessionPlace(*row)
            for row in in_programme_order(visible).values_list("day", "starts_at")
        ]
        days = day_links(event, places)
        found = next((link for link in days if link.number == day), None)
        if found is None or not 1 <= part <= len(found.parts):
            return None
        shown = found.parts[part - 1]
        sessions = in_programme_order(visible.filter(day=day).for_card_pages())
        return cls(
            event,
            days=days,
            part=shown,
            sessions=sessions[shown.offset : shown.offset + shown.count],
        )

    @property
    def session_count(self):
        return sum(day.count for day in self.days)

    @property
    def is_big(self):
        """Whether the event page lists this day's sessions one line each (linking here);
        a smaller event's page holds the same cards itself."""
        return is_big(self.session_count)

    @property
    def has_schedule(self):
        return any(session.starts_at for session in self.sessions)

    @property
    def title(self):
        """``Event · Day 2``, and the part's label after it for a part of a split day."""
        part = f", {self.part.label}" if self.part.of > 1 else ""
        return f"{self.event.name} · Day {self.day.number}{part}"

    @property
    def summary(self):
        """What the page holds, for search engines and link previews."""
        count = len(self.sessions)
        day = self.day.date
        date = f" ({day:%A} {day.day} {day:%B %Y})" if day else ""
        sessions = "session" if count == 1 else "sessions"
        return (
            f"{count} {sessions} of {self.event.name} on day {self.day.number}{date}: "
            "descriptions, speakers, recordings and slides."
        )

    @property
    def previous_part(self):
        """The part before this one (the previous day's last), or ``None`` on the first."""
        parts = [part for day in self.days for part in day.parts]
        index = parts.index(self.part)
        return parts[index - 1] if index else None

    @property
    def next_part(self):
        """The part after this one (the next day's first), or ``None`` on the last."""
        parts = [part for day in self.days for part in day.parts]
        index = parts.index(self.part)
        return parts[index + 1] if index + 1 < len(parts) else None
