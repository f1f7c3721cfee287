"""A load's report as a diff a person reads: what is created, changed (each field, old and new)
and removed, the command's ``--dry-run`` prints it and the admin import page shows it as a
table.

Values are text: times in the event's zone, durations as ``H:MM``, speakers by name, long text
cut short.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from conference.models import Event, Sponsor
from sessions.models import Room, Session, Track
from speakers.models import Speaker

from .document import Origin
from .report import CHANGED, CREATED, DELETED

# What the diff lists, in its order: the rest (recordings, decks...) shows in its session's row.
KINDS = ((Event, "event"), (Room, "room"), (Track, "track"), (Sponsor, "sponsor"),
         (Speaker, "speaker"), (Session, "session"))  # fmt: skip
ACTIONS = (CREATED, CHANGED, DELETED)
LONG_TEXT = 60  # characters of a changed description shown, each side
EMPTY = "—"


@dataclass(frozen=True)
class DiffRow:
    """One object created, changed or deleted: ``fields`` are ``(field, old, new)`` texts."""

    action: str
    kind: str
    label: str
    fields: tuple[tuple[str, str, str], ...] = ()
    origin: Origin | None = None


def diff_rows(report):
    """The rows of ``report``, by kind (event, rooms, tracks, sponsors, speakers, sessions)
    and within a kind created, changed, deleted, each in load order."""
    event = report.event
    names = _speaker_names(report)
    rows = []
    for model, kind in KINDS:
        for action in ACTIONS:
            for change in report.of(model, action):
                fields = tuple(
                    (name, _text(old, event, names), _text(new, event, names))
                    for name, (old, new) in change.fields.items()
                )
                rows.append(DiffRow(action, kind, str(change.instance), fields, change.origin))
    return rows


def diff_lines(report):
    """The diff as lines of text, for a terminal."""
    lines = []
    for row in diff_rows(report):
        where = f" ({row.origin})" if row.origin else ""
        lines.append(f"{row.action:8} {row.kind} {row.label}{where}")
        lines.extend(f"           {name}: {old} → {new}" for name, old, new in row.fields)
    return lines


def clash_lines(report):
    """One line per room overlap and per double-booked speaker the load leaves."""
    lines = []
    for first, second in report.room_clashes:
        lines.append(
            f"room clash: {first.room}, {_when(first)}: “{first}” overlaps “{second}” "
            f"({_when(second)})"
        )
    for first, second, speakers in report.speaker_clashes:
        names = ", ".join(speaker.name for speaker in speakers)
        lines.append(f"speaker clash: {names} in “{first}” ({_when(first)}) and “{second}” "
                     f"({_when(second)})")  # fmt: skip
    return lines


def _when(session):
    """Day and time of the start, and of the end: the end's day is named when it differs (a
    session past midnight or over several days)."""
    start = session.local_starts_at
    end = session.local_ends_at
    if not end:
        return f"{start:%a %H:%M}"
    if end.date() != start.date():
        return f"{start:%a %d %b %H:%M} to {end:%a %d %b %H:%M}"
    return f"{start:%a %H:%M} to {end:%H:%M}"


def _speaker_names(report):
    """Names of the speakers the ``speakers`` relations of the report mention, by key."""
    keys = {
        key
        for change in report.changes
        for old, new in [change.fields.get("speakers", ((), ()))]
        for key in (*(old or ()), *(new or ()))
    }
    return dict(Speaker.objects.filter(pk__in=keys).values_list("pk", "name")) if keys else {}


def _text(value, event, names):
    if value is None or value == "" or value == ():
        return EMPTY
    if isinstance(value, datetime):
        zone = event.zone if event is not None else None
        return f"{value.astimezone(zone):%Y-%m-%d %H:%M}"
    if isinstance(value, timedelta):
        minutes = int(value.total_seconds()) // 60
        return f"{minutes // 60}:{minutes % 60:02d}"
    if isinstance(value, tuple):
        return ", ".join(_item(item, names) for item in value)
    text = " ".join(str(value).split())
    return text if len(text) <= LONG_TEXT else text[: LONG_TEXT - 1] + "…"


def _item(item, names):
    if isinstance(item, tuple):  # a recording's or deck's (provider, key)
        return ":".join(str(part) for part in item)
    return names.get(item, str(item))
