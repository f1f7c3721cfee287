"""An event's programme: the sessions a visitor may see, day by day, and what the page counts.

:class:`Programme` is built from one list of sessions (fetched with ``for_cards()``, so in a
fixed number of queries); the facts, the filters and the days are all counted from that list,
so they always agree with each other (drafts included for staff).
"""

from collections import Counter
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter


@dataclass(frozen=True)
class ProgrammeDay:
    """One day of an event's programme: its number (1 for the first day) and its sessions."""

    number: int
    sessions: list


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
        tags = Counter((tag.slug, tag.name) for s in self.sessions for tag in s.tags.all())
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

    @property
    def session_count(self):
        return len(self.sessions)

    @property
    def speaker_count(self):
        links = (link for session in self.sessions for link in session.session_speakers.all())
        return len({link.speaker_id for link in links})

    @property
    def video_count(self):
        return sum(1 for session in self.sessions if session.recordings.all())

    @property
    def slides_count(self):
        return sum(1 for session in self.sessions if session.slide_decks.all())


def matches(session, *, kind, tag):
    """Whether a session has the kind and the tag asked for (an empty value matches all)."""
    if kind and session.kind != kind:
        return False
    return not tag or any(t.slug == tag for t in session.tags.all())
