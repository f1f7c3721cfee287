"""Which parts of a post's body are sessions, on which day, and where the intro ends.

Sessions are headings (any level, Markdown or ``<hN>``), bold first lines and agenda rows that
sit under a day or "Sessions" section, are followed by a video or slides, or name speakers.
:class:`SessionWalk` goes through the candidates of :mod:`.candidates` once, in order; each
rule of that walk is one small method below.
"""

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace

from django.utils.text import slugify

from sessions.interchange.document import MAX_DAY, SESSION_SLUG_LENGTH, Origin, SessionItem

from . import facts, inline, media
from .body import refusal, replace_comments, shorten
from .candidates import ATX_HEADING, SPEAKER_LINE
from .headings import parse_heading

DAY_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
}  # fmt: skip
DAY_HEADING = re.compile(
    rf"^(?:day\s+(?P<n>\d{{1,{len(str(MAX_DAY))}}}|one|two|three|four|five|six|seven)"
    r"|(?P<o>first|second|third|fourth|fifth|sixth|seventh)\s+day)\b",
    re.IGNORECASE,
)
# "Day 0", "Day -1 Sessions", "Day 123": a day heading whose number cannot be right (a title
# such as "Day 0 Operations, Jane Doe" is not one).
ODD_DAY_HEADING = re.compile(
    r"^day\s+(?P<n>[-+\u2212]?\d+)(?:\s+(?:sessions?|talks|recordings|agenda))?\s*[:.]?$",
    re.IGNORECASE,
)
SESSIONS_HEADING = re.compile(
    r"^(?:the\s+|all\s+)?(?:sessions?|talks|presentations|agenda|programme|program|schedule)"
    r"(?:\s+(?:recordings|and\s+slides|&\s+slides|slides|and\s+recordings))?\s*:?$",
    re.IGNORECASE,
)
NOT_A_SESSION = re.compile(
    r"^(?:about\b|sponsors?\b|our\s+sponsors|thank|thanks\b|photos?\b|gallery|photo\s+gallery"
    r"|closing|conclusion|summary|wrap|final\s+(?:words|thoughts)|what['\u2019]?s\s+next|next\s"
    r"|looking\s+ahead|see\s+you|join\b"
    r"|get\s+involved|upcoming|register|registration|more\s+information|contact|community\s+spirit"
    r"|a\s+note\b|highlights?\b|recap\b|the\s+venue|venue\b|evening|social|networking)",
    re.IGNORECASE,
)
SPONSOR_SECTION = re.compile(r"\b(?:sponsor|partner)", re.IGNORECASE)
DESCRIPTION_LABEL = re.compile(
    r"^\s*(?:\*\*|__)?\s*(?:session\s+)?(?:description|abstract|summary)\s*"
    r"(?::\s*(?:\*\*|__)?|(?:\*\*|__)\s*:)\s*",
    re.IGNORECASE,
)

# A session's slug is unique in the post; leave room in Session.slug for "-2", "-3"...
SLUG_BASE_LENGTH = SESSION_SLUG_LENGTH - 10


@dataclass
class Structure:
    """What the walk found: the sessions, where the first day/sessions heading or session is
    (the intro ends there) and the ranges of the sponsor and gallery sections."""

    sessions: list[SessionItem] = field(default_factory=list)
    ranges: list[tuple[int, int]] = field(default_factory=list)  # (start, end) of each session
    first_structure: int | None = None
    other_sections: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class _Reading:
    """One candidate as the walk reads it."""

    candidate: object
    label: str  # its plain text
    heading: object  # what :func:`.headings.parse_heading` makes of it
    body_end: int  # where the text under it ends (the next candidate of its kind)
    known_extra: bool  # "Sponsors", "Photo Gallery", "Closing"...: never a session by itself


class SessionWalk:
    """The walk through the candidates, with where it is: the current day, whether it is inside
    a day or "Sessions" section (and that heading's level), and the level of the session
    headings of the current run."""

    def __init__(self, body, document):
        self.body = body
        self.document = document
        self.day = 1
        self.in_sessions = False
        self.section_level = 0
        self.session_level = None
        self.structure = Structure()
        # Each decided candidate ends the session above it: (candidate, (heading, day) | None).
        self.decided = []
        self.slugs = SessionSlugs()

    def walk(self, candidates):
        starts = [c.start for c in candidates]
        heading_starts = [c.start for c in candidates if c.level is not None]
        for candidate in candidates:
            if candidate.ends_run:
                self.decided.append((candidate, None))
                continue
            label = inline.clean_text(candidate.raw)
            day_number = _day_number(label, candidate.line)
            if day_number or (candidate.level and SESSIONS_HEADING.match(label)):
                self.enter_section(candidate, day_number)
                continue
            following = heading_starts if candidate.level else starts
            reading = self.read(candidate, label, following)
            if self.belongs_to_session_above(reading):
                continue
            if self.is_session(reading):
                self.add_session(reading)
            else:
                self.leave_run(reading)
        self.build_sessions()
        return self.structure

    def enter_section(self, candidate, day_number):
        """A day heading ("Day 2", "Second Day") or a "Sessions" heading: sessions follow."""
        self.day = day_number or self.day
        self.in_sessions, self.section_level = True, candidate.level or self.section_level
        self.session_level = None
        self.mark_structure(candidate)
        self.decided.append((candidate, None))

    def read(self, candidate, label, following):
        body_end = _next_after(following, candidate.start, len(self.body.text))
        profiles = self.body.profiles(candidate.end, body_end)
        heading = parse_heading(candidate.raw, profiles=profiles)
        if not heading.speakers and candidate.level:
            heading.speakers = self.speaker_line(candidate.end, body_end, profiles)
        return _Reading(candidate, label, heading, body_end, bool(NOT_A_SESSION.match(label)))

    def belongs_to_session_above(self, reading):
        """A heading deeper than the session heading above it ("#### Abstract" under "###"),
        naming no one and not a known extra section, is part of that session."""
        candidate = reading.candidate
        deeper = (
            self.session_level is not None
            and candidate.level is not None
            and candidate.level > self.session_level
        )
        return deeper and not (reading.heading.speakers or reading.known_extra)

    def is_session(self, reading):
        heading = reading.heading
        has_media = bool(heading.media_urls) or media.has_media(
            self.body, reading.candidate.end, reading.body_end
        )
        if reading.candidate.level is None:
            return self.is_bold_line_session(reading, has_media)
        return self.is_heading_session(reading, has_media)

    def is_bold_line_session(self, reading, has_media):
        """ "**Title, Speaker**" names speakers in a sessions section or above a video; in a
        sessions section "[**Title**](video)", a bold title that links to its own recording,
        needs no speaker."""
        heading = reading.heading
        links_media = (
            self.in_sessions
            and bool(heading.media_urls)
            and not (reading.known_extra or inline.is_media_label(heading.title))
        )
        return links_media or (bool(heading.speakers) and (self.in_sessions or has_media))

    def is_heading_session(self, reading, has_media):
        """A heading that names speakers; or, unless a known extra section, one above a video
        or slides, inside a sessions section, or a sibling of the session headings just above
        it (which continues the run without speakers or media: "##### Community Forum")."""
        in_run = reading.candidate.level == self.session_level
        return bool(reading.heading.speakers) or (
            not reading.known_extra and (has_media or self.in_sessions or in_run)
        )

    def leave_run(self, reading):
        """Not a session: an agenda row ("| Tea Break |") or a heading ends the session above;
        a heading also ends the run, a known extra section at the sessions' level ends the
        sessions section, and a sponsor or gallery section is kept for the intro's facts."""
        candidate = reading.candidate
        if candidate.in_table:
            self.decided.append((candidate, None))
        if not candidate.level:
            return
        self.session_level = None
        self.decided.append((candidate, None))
        if candidate.level <= self.section_level and reading.known_extra:
            self.in_sessions = False
        if SPONSOR_SECTION.search(reading.label) or facts.GALLERY_TEXT.search(reading.label):
            self.structure.other_sections.append((candidate.end, reading.body_end))

    def add_session(self, reading):
        candidate = reading.candidate
        if not reading.heading.title:
            raise refusal(
                candidate.line, f"session heading has no title: {candidate.raw.strip()!r}"
            )
        self.mark_structure(candidate)
        self.session_level = candidate.level or self.session_level
        self.decided.append((candidate, (reading.heading, self.day)))

    def mark_structure(self, candidate):
        """The intro ends at the first day or sessions heading, or the first session."""
        first = self.structure.first_structure
        start = candidate.start
        self.structure.first_structure = start if first is None else min(first, start)

    def speaker_line(self, start, end, profiles):
        """The people of a "**Speakers:** Jane Doe, ACME and Ivo Lind" line under a heading
        (or its HTML, "<p><strong>Speakers:</strong> <a href=...>Jane Doe</a></p>")."""
        match = SPEAKER_LINE.search(inline.html_to_markdown(self.body.mask[start:end]))
        if not match:
            return []
        return parse_heading(f"Session, {match['rest']}", profiles=profiles).speakers

    # The sessions, once every candidate is decided ----------------------------------------

    def build_sessions(self):
        """Each session runs from its heading to the next decided candidate."""
        day_counts = Counter()
        for index, (candidate, found) in enumerate(self.decided):
            if found is None:
                continue
            next_start = self.decided[index + 1][0].start if index + 1 < len(self.decided) else None
            end = len(self.body.text) if next_start is None else next_start
            heading, day = found
            session = self.session(candidate, heading, day, day_counts[day], end)
            day_counts[day] += 1
            self.structure.sessions.append(session)
            self.structure.ranges.append((candidate.start, end))

    def session(self, candidate, heading, day, position, end):
        origin = Origin(line=candidate.line)
        session = SessionItem(
            title=heading.title,
            source_key=self.slugs.unique(heading.title),
            kind=heading.kind,
            day=day,
            position=position,
            origin=origin,
            start_time=heading.start_time,
            speakers=[replace(speaker, origin=origin) for speaker in heading.speakers],
        )
        for url in heading.media_urls:
            media.add_media(session, url, origin)
        media.collect_media(self.body, self.document, session, candidate.end, end)
        session.description = description(self.body.text[candidate.end : end])
        return session


class SessionSlugs:
    """Slugs unique in the post: "Hello World", then "Hello, World!" -> "hello-world-2"; a
    title that is itself "Hello World 2" later then gets "hello-world-2-2"."""

    def __init__(self):
        self.tried = {}  # base slug -> how many numbered copies were tried
        self.used = set()

    def unique(self, title):
        base = slugify(title)[:SLUG_BASE_LENGTH].rstrip("-") or "session"
        count = self.tried.get(base, 0)
        slug = base
        while slug in self.used:
            count += 1
            slug = f"{base}-{count + 1}"
        self.tried[base] = count
        self.used.add(slug)
        return slug


def description(chunk):
    """The session's text as Markdown, without embeds, media-only lines or thumbnails."""
    chunk = replace_comments(chunk, lambda comment: "")
    chunk = inline.html_to_markdown(inline.without_embed_codes(chunk))
    chunk = SPEAKER_LINE.sub("", chunk)  # shown as the session's speakers already
    chunk = DESCRIPTION_LABEL.sub("", chunk.lstrip("\n"), count=1)
    kept = [p.strip("\n") for p in re.split(r"\n[ \t]*\n", chunk) if not _is_media_only(p)]
    kept = [p for p in kept if p.strip()]
    while kept and ATX_HEADING.fullmatch(kept[-1]):
        kept.pop()  # "#### Slides" whose slides were taken out
    return "\n\n".join(kept).strip()


def _next_after(starts, offset, default):
    index = bisect_right(starts, offset)
    return starts[index] if index < len(starts) else default


def _day_number(label, line):
    """The day a day heading names ("Day 2", "Second Day"), ``None`` for any other label; a
    day heading with an impossible number ("Day 0 Sessions", "Day -1") is refused."""
    odd = ODD_DAY_HEADING.match(label)
    if odd and not _is_day_in_range(odd["n"]):
        raise refusal(line, f"days are numbered from 1 to {MAX_DAY}: {shorten(label)!r}")
    match = DAY_HEADING.match(label)
    if not match:
        return None
    value = (match["n"] or match["o"]).lower()
    number = int(value) if value.isdigit() else DAY_WORDS[value]
    return number if number <= MAX_DAY else None  # "Day 123 Operations, Jane": a title


def _is_day_in_range(number):
    """Whether "3", "+3", "-1", "0", "99999999999999" lies in 1..MAX_DAY (without ``int()`` of
    thousands of digits, which Python refuses)."""
    digits = number.lstrip("+-\u2212").lstrip("0")
    if number[0] in "-\u2212" or not digits or len(digits) > len(str(MAX_DAY)):
        return False
    return int(digits) <= MAX_DAY


def _is_media_only(paragraph):
    """A paragraph that only holds embeds, media links or images (thumbnails)."""
    rest = inline.without_embed_codes(paragraph)
    rest = inline.strip_media_links(rest)
    rest = inline.MD_IMAGE.sub("", rest)
    rest = inline.HTML_IMAGE.sub("", rest)
    rest = inline.HTML_TAG.sub("", rest)
    if not re.search(r"[^\W\d_]", rest):
        return True
    return rest != paragraph and inline.is_media_label(rest)
