"""What one load did (or, in a dry run, would do), change by change.

The loader records each object it creates, changes or deletes as a :class:`Change` with the
fields that changed (``{field: (old, new)}``) and where in the source the new values came
from. The command prints the counts derived from these changes, the admin history is written
from them (:mod:`.history`), and an admin page can show them as a diff.
"""

from dataclasses import dataclass, field

from conference.models import Event, Sponsor
from sessions.models import Recording, Room, Session, SlideDeck, Track
from speakers.models import Speaker

from .document import EventDocument, Origin

CREATED, CHANGED, DELETED = "created", "changed", "deleted"


@dataclass(frozen=True)
class Change:
    """One object the load created, changed or deleted.

    ``fields`` maps a model field, or a relation the load keeps in order ("speakers",
    "recordings", "slide decks", "sponsors", "profile links"), to ``(old, new)``: values of a
    field; primary keys (speakers), ``(provider, key)`` pairs (recordings, slide decks) or
    slugs (sponsors) in order for a relation; ``(None, url)`` for a profile link added. It is
    empty for a created or deleted object. ``origin`` is where the source states the object
    (``None`` for the event, whose facts come from several places, and for what the source no
    longer lists). ``object_id`` is the primary key when recorded (a deleted row has none
    afterwards).
    """

    action: str
    instance: object
    object_id: str
    fields: dict = field(default_factory=dict)
    origin: Origin | None = None

    @property
    def model(self):
        return type(self.instance)


@dataclass
class LoadReport:
    """The changes of one load of ``document``, in the order they were made."""

    document: EventDocument
    event: Event | None = None
    changes: list[Change] = field(default_factory=list)
    speakers_in_post: int = 0  # the distinct speakers the document names, matched or created
    # A programme's overlaps as the load leaves them: (earlier, later) sessions in one room,
    # and (earlier, later, speakers) for speakers in two sessions at once.
    room_clashes: list = field(default_factory=list)
    speaker_clashes: list = field(default_factory=list)
    _created: set = field(default_factory=set, repr=False)

    # Recording ---------------------------------------------------------------------------

    def created(self, instance, *, origin=None):
        self._created.add((type(instance), instance.pk))
        self.changes.append(Change(CREATED, instance, str(instance.pk), origin=origin))

    def changed(self, instance, fields, *, origin=None):
        """``fields``: ``{name: (old, new)}``; nothing is recorded for no field, or for an
        object this load created (its creation says it all)."""
        if fields and (type(instance), instance.pk) not in self._created:
            change = Change(CHANGED, instance, str(instance.pk), dict(fields), origin)
            self.changes.append(change)

    def deleted(self, instance, *, origin=None):
        """Call before deleting ``instance``: its primary key is gone afterwards."""
        self.changes.append(Change(DELETED, instance, str(instance.pk), origin=origin))

    # Reading -----------------------------------------------------------------------------

    def of(self, model, action):
        """The changes of ``action`` to objects of ``model``, in order."""
        return [c for c in self.changes if c.model is model and c.action == action]

    def count(self, model, action):
        return len(self.of(model, action))

    @property
    def event_created(self):
        return bool(self.of(Event, CREATED))

    @property
    def event_updated(self):
        """Whether the event's own facts changed (its sponsors changing alone does not count)."""
        return any(change.fields.keys() - {"sponsors"} for change in self.of(Event, CHANGED))

    @property
    def session_actions(self):
        """``(action, session item)`` for each session of the document: "created", "updated"
        or "unchanged"."""
        words = {CREATED: "created", CHANGED: "updated"}
        done = {
            change.instance.slug: words[change.action]
            for change in self.changes
            if change.model is Session and change.action in words
        }
        return [(done.get(item.source_key, "unchanged"), item) for item in self.document.sessions]

    @property
    def sessions_created(self):
        return self.count(Session, CREATED)

    @property
    def sessions_updated(self):
        return self.count(Session, CHANGED)

    @property
    def sessions_unchanged(self):
        return len(self.document.sessions) - self.sessions_created - self.sessions_updated

    @property
    def sessions_deleted(self):
        return self.count(Session, DELETED)

    @property
    def deleted_sessions(self):
        """The titles of the sessions deleted."""
        return [change.instance.title for change in self.of(Session, DELETED)]

    @property
    def rooms_created(self):
        return self.count(Room, CREATED)

    @property
    def tracks_created(self):
        return self.count(Track, CREATED)

    @property
    def speakers_created(self):
        return self.count(Speaker, CREATED)

    @property
    def speakers_updated(self):
        """Speakers changed (company, profile links), each counted once."""
        return len({change.object_id for change in self.of(Speaker, CHANGED)})

    @property
    def sponsors_created(self):
        return self.count(Sponsor, CREATED)

    @property
    def sponsors_updated(self):
        return self.count(Sponsor, CHANGED)

    @property
    def recordings(self):
        return sum(len(item.recordings) for item in self.document.sessions)

    @property
    def recordings_added(self):
        return self.count(Recording, CREATED)

    @property
    def recordings_removed(self):
        return self.count(Recording, DELETED)

    @property
    def slide_decks(self):
        return sum(len(item.slide_decks) for item in self.document.sessions)

    @property
    def slide_decks_added(self):
        return self.count(SlideDeck, CREATED)

    @property
    def slide_decks_removed(self):
        return self.count(SlideDeck, DELETED)
