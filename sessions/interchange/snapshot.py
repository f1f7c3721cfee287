"""One read of an event as every writer needs it, in a fixed number of queries.

A writer takes an :class:`EventSnapshot` and never queries the database itself, so a view, a
command or a background job builds the snapshot once and hands it to any writer in
:data:`~sessions.interchange.writers.WRITERS`.
"""

from dataclasses import dataclass
from functools import cached_property
from itertools import groupby
from operator import attrgetter

from django.db.models import Prefetch

from conference.models import Event, Sponsorship
from sessions.models import Room, Session, Track
from speakers.models import SourceId

# A speaker's source ids that are person guids (``urn:uuid:``), loaded as this attribute.
URN_UUID = "urn:uuid:"
SOURCE_GUIDS = "source_guid_ids"


@dataclass(frozen=True)
class EventSnapshot:
    """An event, its sessions in programme order, its sponsorships in event-page order and its
    rooms and tracks in schedule order.

    Each session comes with its event, its speakers in billing order (each with their profile
    links), its recordings, slide decks and tags; each sponsorship with its sponsor. A writer
    that needs neither sponsors nor profile links (the calendar) may be given a snapshot read
    without them: ``sponsorships`` is then ``None`` and the links are not read.
    """

    event: Event
    sessions: list[Session]
    sponsorships: list[Sponsorship] | None
    rooms: list[Room] | None = None
    tracks: list[Track] | None = None

    def days(self):
        """``(day, sessions of that day)`` in programme order."""
        return [
            (day, list(sessions)) for day, sessions in groupby(self.sessions, attrgetter("day"))
        ]

    @cached_property
    def speakers(self):
        """Everyone who speaks in the snapshot's sessions, once each, by name then slug."""
        speakers = {speaker for session in self.sessions for speaker in session.ordered_speakers}
        return sorted(speakers, key=lambda speaker: (speaker.name, speaker.slug))


def snapshot_event(
    event,
    *,
    include_drafts=False,
    sponsorships=True,
    speaker_links=True,
    programme=True,
    person_guids=False,
):
    """The event with its published sessions, or all of them with ``include_drafts``.

    ``sponsorships=False`` and ``speaker_links=False`` leave out what a writer does not read,
    one query each; ``programme=False`` leaves out the event's rooms and tracks, two;
    ``person_guids=True`` reads the person guids sources gave the speakers (the frab writers
    keep them), one.
    """
    sessions = event.sessions.all() if include_drafts else event.sessions.filter(is_published=True)
    return _snapshot(
        event,
        sessions,
        sponsorships=sponsorships,
        speaker_links=speaker_links,
        programme=programme,
        person_guids=person_guids,
    )


def snapshot_for_visitor(event, user, *, sponsorships=True, speaker_links=True, programme=True):
    """The event with the sessions ``user`` may see (drafts too for staff previewing);
    the keywords as for :func:`snapshot_event`."""
    sessions = event.sessions.visible_to(user)
    return _snapshot(
        event,
        sessions,
        sponsorships=sponsorships,
        speaker_links=speaker_links,
        programme=programme,
        person_guids=False,
    )


def _snapshot(event, sessions, *, sponsorships, speaker_links, programme, person_guids):
    sessions = sessions.for_cards()
    if speaker_links:
        sessions = sessions.prefetch_related("session_speakers__speaker__links")
    if person_guids:
        sessions = sessions.prefetch_related(
            Prefetch(
                "session_speakers__speaker__source_ids",
                queryset=SourceId.objects.filter(key__startswith=URN_UUID).order_by("pk"),
                to_attr=SOURCE_GUIDS,
            )
        )
    return EventSnapshot(
        event=event,
        sessions=list(sessions.order_by("day", "position")),
        sponsorships=list(event.sponsorships.for_event_page()) if sponsorships else None,
        rooms=list(event.rooms.all()) if programme else None,
        tracks=list(event.tracks.all()) if programme else None,
    )
