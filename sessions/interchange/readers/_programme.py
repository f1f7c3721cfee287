"""What the readers of schedules (Sessionize, CSV) share: days and positions from times, the
keys of rooms and tracks, kinds and languages from the names organisers give them."""

import re
from itertools import groupby

from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from sessions.interchange.document import MAX_DAY, name_key
from sessions.models import Session, validate_language_tag

from .roundup.structure import SessionSlugs

__all__ = [
    "MAX_DAY",
    "Keys",
    "SessionSlugs",
    "arrange",
    "kind_named",
    "kind_of_format",
    "language_tag",
    "shown",
]

KEY_LENGTH = 190  # Room.slug and Track.slug hold 200: room for "-2", "-3"...

# A free-text format name ("Conference Session (45 min)", "Hands-on Workshop") -> our kind:
# the first rule whose word the name holds, else a talk.
FORMAT_WORDS = (
    (re.compile(r"\bkeynotes?\b", re.IGNORECASE), Session.Kind.KEYNOTE),
    (re.compile(r"\blightning\b", re.IGNORECASE), Session.Kind.LIGHTNING),
    (re.compile(r"\bpanels?\b", re.IGNORECASE), Session.Kind.PANEL),
    (re.compile(r"\bworkshops?\b", re.IGNORECASE), Session.Kind.WORKSHOP),
    (re.compile(r"\btutorials?\b", re.IGNORECASE), Session.Kind.TUTORIAL),
    (re.compile(r"\bdemos?\b", re.IGNORECASE), Session.Kind.DEMO),
)


def shown(value, limit=40):
    """A value from the file as a message quotes it: at most ``limit`` characters, and
    escaped (``'a\\nb'``) when it holds line breaks or other invisible characters, so that
    every message stays one line."""
    value = str(value)
    value = value if len(value) <= limit else value[: limit - 1] + "…"
    return value if value.isprintable() else repr(value)


def kind_of_format(name):
    """The kind a free-text format name stands for ("Lightning talk (5 min)": lightning)."""
    for pattern, kind in FORMAT_WORDS:
        if pattern.search(name):
            return kind.value
    return Session.Kind.TALK.value


def kind_named(text):
    """The kind whose value or label is ``text`` (any case, singular or plural), or ``None``."""
    wanted = name_key(text)
    for kind in Session.Kind:
        for name in (kind.value, name_key(kind.label)):
            if wanted in (name, f"{name}s"):
                return kind.value
    return None


KIND_NAMES = ", ".join(kind.value for kind in Session.Kind)

# "English", "Deutsch", "Brazilian Portuguese" and "pt-BR" -> a language tag, from the names
# Django knows in English and in the language itself.
LANGUAGE_TAGS = {
    name_key(name): code
    for code, info in LANG_INFO.items()
    if "name" in info
    for name in (code, info["name"], info.get("name_local", ""))
    if name
}


def language_tag(name):
    """The BCP 47 tag of a language named ``name`` ("Deutsch", "pt-br"), in its usual case
    ("pt-BR", "zh-Hant"), or ``""`` when it is no language we know."""
    tag = LANGUAGE_TAGS.get(name_key(name), "")
    if not tag:
        candidate = name.strip()
        try:
            validate_language_tag(candidate)
        except ValidationError:
            return ""
        tag = candidate if name_key(candidate.split("-")[0]) in LANGUAGE_TAGS else ""
    return "-".join(_subtag_case(index, part) for index, part in enumerate(tag.split("-")))


def _subtag_case(index, part):
    if index == 0:
        return part.lower()
    if len(part) == 4 and part.isalpha():
        return part.title()  # a script: Hant
    if len(part) == 2 and part.isalpha():
        return part.upper()  # a region: BR
    return part.lower()


class Keys:
    """Slugs of rooms or tracks, unique in the document: one per distinct name (compared
    without case, accents or extra spaces), "-2", "-3"... when two names slugify alike."""

    def __init__(self, fallback):
        self.fallback = fallback
        self.by_name = {}
        self.used = set()

    def get(self, name):
        """The key already given to ``name``, or ``None``."""
        return self.by_name.get(name_key(name))

    def new(self, name):
        """A key for a name not seen before (a second room of the same name gets its own)."""
        base = slugify(name)[:KEY_LENGTH].rstrip("-") or self.fallback
        key, number = base, 1
        while key in self.used:
            number += 1
            key = f"{base}-{number}"
        self.used.add(key)
        self.by_name.setdefault(name_key(name), key)
        return key


def arrange(entries):
    """Number the sessions of each day and return them in programme order.

    ``entries`` are ``(session, day, start, room_rank)``: ``start`` (a wall-clock datetime or
    time, ``None`` for an untimed session) and the room's place among the schedule's columns
    order a day; untimed sessions follow the timed ones in the order the source lists them.
    Each session's ``day`` is set and its ``position`` numbered from 0 within the day.
    """
    # Tuples compare their first unequal members only: two untimed sessions never compare
    # their ``None`` starts, and the index, unique, keeps the sessions themselves apart.
    keyed = [
        ((day, start is None, start, rank, index), item)
        for index, (item, day, start, rank) in enumerate(entries)
    ]
    keyed.sort(key=lambda pair: pair[0])
    ordered = []
    for day, group in groupby(keyed, key=lambda pair: pair[0][0]):
        for position, (_key, item) in enumerate(group):
            item.day = day
            item.position = position
            ordered.append(item)
    return ordered
