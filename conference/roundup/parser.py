"""Parse a roundup blog post (Docusaurus Markdown, or the HTML of older posts) into dataclasses.

Nothing here touches the database: :func:`read_roundup` / :func:`parse_roundup` turn text into a
:class:`Roundup` (the event's facts, sponsors, sessions with speakers, recordings and slide
decks, each with the line it came from) or raise :class:`ParseError` with a line number.
:mod:`conference.roundup.loader` writes the result.

The reading is driven by the format, not by one post: sessions are headings (any level, Markdown
or ``<hN>``, or a bold first line inside a "Sessions" section) that sit under a day/sessions
section, are followed by a video or slides, or name speakers. Older posts migrated from the
previous blog engine head sessions with a line that is only bold HTML ("<span><strong><a
href=slides>Title</a> - Name</strong></span>"); some posts list sessions as the rows of an
agenda table ("| Time | Session | Speaker | Video |"), or name the speakers on a "**Speaker:**"
line under the heading, or only in the bio's profile link ("[Ravi](linkedin...)").
"""

import codecs
import os
import re
import stat
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from html import unescape
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from sessions.embeds import VideoProvider, parse_slides, parse_video

from . import facts, inline
from .headings import SpeakerRef, is_profile_url, name_key, parse_heading

MAX_BYTES = 5 * 1024 * 1024
# What a post saved in the wrong format, or a file picked by mistake, starts with (UTF-32 before
# UTF-16: its little-endian mark begins with UTF-16's).
NOT_UTF8_SIGNATURES = (
    (codecs.BOM_UTF32_LE, "is UTF-32 text: save it as UTF-8"),
    (codecs.BOM_UTF32_BE, "is UTF-32 text: save it as UTF-8"),
    (codecs.BOM_UTF16_LE, "is UTF-16 text: save it as UTF-8"),
    (codecs.BOM_UTF16_BE, "is UTF-16 text: save it as UTF-8"),
    (b"\x89PNG\r\n\x1a\n", "is a PNG image, not a roundup post"),
    (b"\xff\xd8\xff", "is a JPEG image, not a roundup post"),
    (b"GIF8", "is a GIF image, not a roundup post"),
    (b"%PDF-", "is a PDF document, not a roundup post"),
    (b"\x1f\x8b", "is a gzip archive, not a roundup post"),
    (b"PK\x03\x04", "is a ZIP archive (a .docx or .odt document?), not a roundup post"),
)
SESSION_SLUG_LENGTH = 190  # Session.slug holds 200; leave room for "-2", "-3"...

DAY_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
}  # fmt: skip
DAY_HEADING = re.compile(
    r"^(?:day\s+(?P<n>\d{1,2}|one|two|three|four|five|six|seven)"
    r"|(?P<o>first|second|third|fourth|fifth|sixth|seventh)\s+day)\b",
    re.IGNORECASE,
)
# "Day 0", "Day -1 Sessions", "Day 123": a day heading whose number cannot be right (a title
# such as "Day 0 Operations, Jane Doe" is not one).
ODD_DAY_HEADING = re.compile(
    r"^day\s+(?P<n>[-+\u2212]?\d+)(?:\s+(?:sessions?|talks|recordings|agenda))?\s*[:.]?$",
    re.IGNORECASE,
)
MAX_DAY = 99
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
# "Explore the Sessions from the X 2025!", "Highlights of X": the event is what follows.
EVENT_NAME_LEAD = re.compile(
    r"^(?:explore|watch|discover|relive|revisit|catch\s+up\s+on|highlights|recap|roundup)\b"
    r"[^:]*?\b(?:from|of|at)\s+(?:the\s+)?(?=\S)",
    re.IGNORECASE,
)
SPONSOR_SECTION = re.compile(r"\b(?:sponsor|partner)", re.IGNORECASE)
ATX_HEADING = re.compile(r"^[ ]{0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
# Headings and paragraphs do not nest: their text stops at the next one, so that thousands of
# unclosed "<h3>" or "<p><strong>" cost linear time, not a scan to the end of the post each.
HTML_HEADING = re.compile(
    r"<h([1-6])\b[^<>]*>((?:(?!</?h[1-6]\b).)*?)</h\1\s*>", re.IGNORECASE | re.DOTALL
)
HTML_BOLD_PARAGRAPH = re.compile(
    r"<p\b[^<>]*>\s*<(?:strong|b)\b[^<>]*>(?>(?:(?!</?p\b).)*?</(?:strong|b)\s*>)"
    r"(?:(?!</?p\b).)*?</p\s*>",
    re.IGNORECASE | re.DOTALL,
)
# A line that is nothing but a bold run, maybe wrapped in inline or block tags: how posts
# migrated from the previous blog engine head their sessions ("<span><strong><a>Title</a> -
# Name</strong></span>", "<div><strong>...</strong></div>"), often without blank lines around.
_WRAPPER = r"(?:div|span|p|center|font)"
HTML_BOLD_LINE = re.compile(
    rf"^[ \t]*(?:<{_WRAPPER}\b[^>\n]*>[ \t]*)*<(?P<tag>strong|b)\b[^>\n]*>"
    rf"(?:(?!</(?P=tag)\s*>)[^\n])*</(?P=tag)\s*>(?:[ \t]*</{_WRAPPER}\s*>)*[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# A Markdown table: a header row, a "|---|---|" row, then rows (an agenda, in some posts).
TABLE = re.compile(
    r"^(?P<header>[ \t]*+\|?[^\n|]*\|[^\n]*)\n"
    r"[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*\n"
    r"(?P<rows>(?:[ \t]*\|[^\n]*(?:\n|$))+)",
    re.MULTILINE,
)
TABLE_COLUMNS = {
    "title": re.compile(r"subject|title|session|talk|topic|presentation", re.IGNORECASE),
    "speaker": re.compile(r"speaker|presenter|who", re.IGNORECASE),
    "time": re.compile(r"^\s*(?:from|time|start|when)\b", re.IGNORECASE),
}
# "**Speaker:** Jane Doe, ACME" / "Presented by: ..." on its own line under a session heading
# (not "**Speaker Bio:**").
SPEAKER_LINE = re.compile(
    r"^[ \t]*+(?:[*_]{2}[ \t]*+)?(?:speakers?|presenters?|presented\s+by)[ \t]*"
    r"(?::[ \t]*(?:[*_]{2})?|(?:[*_]{2})[ \t]*:)[ \t]*(?P<rest>\S[^\n]*)$",
    re.IGNORECASE | re.MULTILINE,
)
BOLD_LEAD = re.compile(r"[ \t]*(?:(?P<link>\[)\s*)?(?:\*\*|__)")
TRUNCATE = re.compile(r"<!--\s*truncate\s*-->", re.IGNORECASE)
FENCE = re.compile(r"^[ ]{0,3}(```|~~~).*?^[ ]{0,3}\1[^\n]*$", re.MULTILINE | re.DOTALL)
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n|</p\s*>|<p\b[^<>]*>|<br\s*/?>", re.IGNORECASE)
IMAGE_ONLY = re.compile(
    r"^\s*(?:\[\s*)?(?:!\[[^\]]*\]\([^)]*\)|<img\b[^>]*>)(?:\s*\]\([^)]*\))?\s*(?:<br\s*/?>\s*)*$",
    re.IGNORECASE,
)
LINKED_IMAGE_HTML = re.compile(
    r"^\s*<a\b[^>]*>\s*<img\b[^>]*>\s*</a\s*>\s*(?:<br\s*/?>\s*)*$", re.IGNORECASE
)
DESCRIPTION_LABEL = re.compile(
    r"^\s*(?:\*\*|__)?\s*(?:session\s+)?(?:description|abstract|summary)\s*"
    r"(?::\s*(?:\*\*|__)?|(?:\*\*|__)\s*:)\s*",
    re.IGNORECASE,
)


class ParseError(Exception):
    """The post cannot be imported; ``line`` is 1-based."""

    def __init__(self, line, message):
        super().__init__(f"{line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Media:
    """A recording or slide deck: provider, provider key, canonical URL, source line."""

    provider: str
    key: str
    url: str
    line: int
    title: str = ""  # as the embed code's attribution names it


def same_media(one, other):
    """The same video or deck: same provider and key (a Vimeo key may add the hash)."""
    if one.provider != other.provider:
        return False
    if one.provider == VideoProvider.VIMEO:
        return one.key.split("/")[0] == other.key.split("/")[0]
    return one.key == other.key


@dataclass(frozen=True)
class SponsorData:
    name: str
    url: str
    line: int


@dataclass(frozen=True)
class Note:
    """Something the importer leaves out, reported with its line (unsupported embed...)."""

    line: int
    message: str


@dataclass
class SessionData:
    title: str
    slug: str
    kind: str
    day: int
    position: int
    line: int
    description: str = ""
    start_time: time | None = None
    speakers: list[SpeakerRef] = field(default_factory=list)
    recordings: list[Media] = field(default_factory=list)
    slide_decks: list[Media] = field(default_factory=list)


@dataclass
class Roundup:
    """Everything one post says about one event."""

    filename: str
    title: str
    name: str
    slug: str
    summary: str = ""
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    post_date: date | None = None
    start_date: date | None = None
    end_date: date | None = None
    venue: str = ""
    city: str = ""
    country: str = ""
    website: str = ""
    photo_gallery_url: str = ""
    attendee_count: int | None = None
    country_count: int | None = None
    sponsors: list[SponsorData] = field(default_factory=list)
    sessions: list[SessionData] = field(default_factory=list)
    unsupported_embeds: list[Note] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # event field -> line it came from


@dataclass
class _Candidate:
    start: int
    end: int
    raw: str
    line: int
    level: int | None  # None for a bold first line ("**Title, Speaker**") or a table row
    ends_run: bool = False  # the end of an agenda table: the last row's text stops there
    in_table: bool = False  # a row of an agenda table: it ends the row above, session or not


def read_text(path):
    """The UTF-8 text of ``path``; ``ParseError`` if it is missing, too big or not text.

    The file is opened without blocking and checked before anything is read: a named pipe
    would otherwise wait forever for a writer, and a file over the cap is refused unread.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError as error:
        raise ParseError(1, "no such file") from error
    except OSError as error:
        raise ParseError(1, f"cannot read the file: {error.strerror or error}") from error
    except ValueError as error:  # a NUL in the path (only from code: argv cannot hold one)
        raise ParseError(1, "the path contains a NUL character") from error
    try:
        _check_file_kind(os.fstat(descriptor))
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise ParseError(1, f"cannot read the file: {error.strerror or error}") from error
    finally:
        os.close(descriptor)
    if len(data) > MAX_BYTES:
        raise ParseError(1, f"file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    return _decode(data)


def _check_file_kind(status):
    if stat.S_ISDIR(status.st_mode):
        raise ParseError(1, "is a directory, not a roundup post")
    if stat.S_ISFIFO(status.st_mode) or stat.S_ISSOCK(status.st_mode):
        raise ParseError(1, "is a pipe or a socket, not a roundup post")
    if stat.S_ISREG(status.st_mode) and status.st_size > MAX_BYTES:
        raise ParseError(1, f"file is larger than {MAX_BYTES // (1024 * 1024)} MB")


def _decode(data):
    """UTF-8 text, or a ``ParseError`` that says what the bytes look like instead."""
    for signature, message in NOT_UTF8_SIGNATURES:
        if data.startswith(signature):
            raise ParseError(1, message)
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise ParseError(line, "contains NUL bytes: this is not a text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ParseError(
            line, f"is not UTF-8 text (byte 0x{data[error.start]:02x} cannot be decoded)"
        ) from error


def read_roundup(path):
    """Read and parse the post at ``path``."""
    return parse_roundup(read_text(path), filename=str(path))


def parse_roundup(text, *, filename):
    """Parse the text of a post; ``filename`` gives the slug when the front matter has none."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ParseError(1, "file is empty")
    front_matter, body_start, keys = _front_matter(text)
    title = _front_matter_title(front_matter, keys, text)
    roundup = Roundup(
        filename=filename,
        title=title,
        name=event_name(title),
        slug=_event_slug(front_matter, filename, keys),
        tags=_string_list(front_matter.get("tags")),
        authors=_string_list(front_matter.get("authors")),
        post_date=_post_date(front_matter.get("date"), keys),
    )
    roundup.lines.update(name=keys.get("title", 1), slug=keys.get("slug", 1))
    _Body(text, body_start, roundup).read()
    return roundup


def event_name(title):
    """ "CloudStack Collaboration Conference 2023 Event Roundup" -> "... Conference 2023"."""
    name = re.sub(
        r"[\s\-\u2013\u2014:|,]*\b(?:event\s+)?(?:round-?up|recap|summary)\s*$",
        "",
        title.rstrip(" !"),
        flags=re.I,
    )
    name = EVENT_NAME_LEAD.sub("", name)
    return name.strip() or title.strip()


def _front_matter(text):
    lines = text.split("\n")
    first = next(index for index, line in enumerate(lines) if line.strip())
    if lines[first].strip() != "---":
        raise ParseError(
            first + 1, "no front matter: a roundup post starts with '---', its YAML, then '---'"
        )
    closing = next(
        (i for i in range(first + 1, len(lines)) if lines[i].rstrip() in ("---", "...")), None
    )
    if closing is None:
        raise ParseError(first + 1, "the front matter is not closed (no second '---' line)")
    source = "\n".join(lines[first + 1 : closing])
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = first + 2 + (mark.line if mark else 0)
        problem = getattr(error, "problem", None) or "cannot be read"
        raise ParseError(line, f"invalid YAML in the front matter: {problem}") from error
    except (ValueError, RecursionError) as error:  # "date: 2023-13-45", absurd nesting
        line = _bad_value_line(lines, first + 1, closing) or first + 2
        raise ParseError(
            line, f"invalid value in the front matter: {_value_error(error)}"
        ) from error
    if not isinstance(data, dict):
        raise ParseError(first + 2, "the front matter must be a YAML mapping (key: value lines)")
    keys = {}
    for index in range(first + 1, closing):
        match = re.match(r"^([A-Za-z_][\w-]*)\s*:", lines[index])
        if match and match[1] in keys:
            # YAML keeps the last value silently; the author meant one of them.
            raise ParseError(
                index + 1,
                f"{match[1]!r} is given twice in the front matter (first on line {keys[match[1]]})",
            )
        if match:
            keys[match[1]] = index + 1
    body_start = sum(len(line) + 1 for line in lines[: closing + 1])
    return data, min(body_start, len(text)), keys


def _bad_value_line(lines, start, end):
    """The line of the top-level key whose value YAML cannot build (its marks are lost by then):
    each "key: ..." block is loaded on its own until one fails."""
    starts = [i for i in range(start, end) if re.match(r"^[A-Za-z_][\w-]*\s*:", lines[i])]
    for index, block_start in enumerate(starts):
        block_end = starts[index + 1] if index + 1 < len(starts) else end
        try:
            yaml.safe_load("\n".join(lines[block_start:block_end]))
        except (yaml.YAMLError, ValueError, RecursionError):
            return block_start + 1
    return None


def _value_error(error):
    if isinstance(error, RecursionError):
        return "nested too deeply"
    if "integer string conversion" in str(error):
        return "a number with thousands of digits"
    return str(error)


def _front_matter_title(front_matter, keys, text):
    title = front_matter.get("title")
    line = keys.get("title", 1)
    if title is None or (isinstance(title, str) and not title.strip()):
        raise ParseError(line, "the front matter has no title")
    if not isinstance(title, str):
        # YAML reads "title: 2023", "title: yes" or "title: .nan" as a number, a boolean or a
        # date; the author wrote words, so take them as written.
        title = _plain_scalar(text.split("\n")[line - 1]) if "title" in keys else None
        if not title:
            raise ParseError(line, "the title in the front matter must be text")
    return " ".join(title.split())


def _plain_scalar(line):
    """The value of a one-line ``key: value`` as written, comment and quotes aside."""
    try:
        value = yaml.load(line, Loader=yaml.BaseLoader)  # every scalar stays a string
    except yaml.YAMLError:
        return None
    value = next(iter(value.values()), None) if isinstance(value, dict) else None
    return value if isinstance(value, str) and value.strip() else None


def _event_slug(front_matter, filename, keys):
    given = front_matter.get("slug")
    if given is not None and not isinstance(given, str | int):
        raise ParseError(keys.get("slug", 1), "the slug in the front matter must be text")
    if given is not None and str(given).strip():
        slug = slugify(str(given))
        line = keys.get("slug", 1)
        if not slug:
            raise ParseError(
                line,
                f"the slug in the front matter has no letter or digit usable in a web address: "
                f"{_shorten(str(given))!r} (use a-z, 0-9 and hyphens)",
            )
    else:
        path = Path(filename)
        stem = path.parent.name if path.stem.lower() == "index" else path.stem
        slug = slugify(re.sub(r"^\d{4}-\d{2}-\d{2}-", "", stem))
        line = 1
    if not slug:
        raise ParseError(line, "cannot make a slug for the event: give `slug:` in the front matter")
    return slug[:200]


def _string_list(value):
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list):
        return [str(part) for part in value if isinstance(part, str | int)]
    return []


def _post_date(value, keys):
    """The ``date:`` of the front matter; a value that is there but no date is an error."""
    if value is None or value == "":
        return None
    found = _as_date(value)
    if found is None:
        raise ParseError(
            keys.get("date", 1), f"the date in the front matter is not a YYYY-MM-DD date: {value!r}"
        )
    return found


def _as_date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = re.match(r"^\s*(\d{4})-(\d{2})-(\d{2})", value)
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return None
    return None


def _mask(text):
    """Blank out code fences and HTML comments (keeping offsets and line breaks)."""

    def blank(markup):
        return re.sub(r"[^\n]", " ", markup)

    return _replace_comments(FENCE.sub(lambda match: blank(match[0]), text), blank)


def _replace_comments(text, replace):
    """``text`` with each HTML comment replaced by ``replace(comment)``.

    Not a regex: once no "-->" follows, no later "<!--" can close either, which a regex would
    find out again from every one of thousands of unclosed "<!--" (quadratic time).
    """
    parts, position = [], 0
    start = text.find("<!--")
    while start != -1:
        end = text.find("-->", start + 4)
        if end == -1:
            break
        parts += [text[position:start], replace(text[start : end + 3])]
        position = end + 3
        start = text.find("<!--", position)
    return "".join(parts) + text[position:]


class _Body:
    """One pass over the post's body: headings -> sections -> sessions; intro -> facts."""

    def __init__(self, text, body_start, roundup):
        self.text = text
        self.mask = _mask(text)
        self.body_start = body_start
        self.roundup = roundup
        self.session_slugs = {}  # base slug -> how many numbered copies were tried
        self.used_slugs = set()
        self.day_counts = Counter()
        self.newlines = [match.start() for match in re.finditer("\n", text)]

    def line_at(self, offset):
        return bisect_left(self.newlines, offset) + 1

    def read(self):
        candidates = self._candidates()
        session_ranges, first_structure, other_sections = self._sessions(candidates)
        intro_end = first_structure if first_structure is not None else len(self.text)
        self._intro(self.body_start, intro_end, other_sections)
        self._stray_embeds(session_ranges)

    # Structure ---------------------------------------------------------------------------

    def _candidates(self):
        """Everything that may head a session: headings, and paragraphs opening in bold."""
        found = []
        for pattern, level_of in (
            (ATX_HEADING, lambda m: len(m[1])),
            (HTML_HEADING, lambda m: int(m[1])),
        ):
            for match in pattern.finditer(self.mask, self.body_start):
                raw = self.text[match.start(2) : match.end(2)]
                found.append(self._candidate(match.start(), match.end(), raw, level_of(match)))
        for pattern in (HTML_BOLD_PARAGRAPH, HTML_BOLD_LINE):
            for match in pattern.finditer(self.mask, self.body_start):
                found.append(self._candidate(match.start(), match.end(), match[0], None))
        found.extend(self._bold_paragraphs())
        found.extend(self._table_rows())
        found = [c for c in found if c.level is not None or not _is_speaker_line(c.raw)]
        found.sort(key=lambda candidate: candidate.start)
        kept, covered_until = [], -1
        for candidate in found:  # a bold line inside an <h3>, or the reverse, counts once
            if candidate.start >= covered_until:
                kept.append(candidate)
                covered_until = candidate.end
        return kept

    def _candidate(self, start, end, raw, level):
        return _Candidate(start, end, raw, self.line_at(start), level)

    def _bold_paragraphs(self):
        """Paragraphs that open with bold text: "**Title, Speaker**" or "[**Title**...](url)"."""
        breaks = re.finditer(r"\n[ \t]*\n\s*", self.mask[self.body_start :])
        starts = [self.body_start] + [self.body_start + match.end() for match in breaks]
        for start in starts:
            lead = BOLD_LEAD.match(self.mask, start)
            if not lead:
                continue
            link = lead["link"] and inline.MD_LINK.match(self.text, lead.start("link"))
            if link:
                end = link.end()
            else:
                end = self.text.find("\n", start)
                end = len(self.text) if end == -1 else end
            yield self._candidate(start, end, self.text[start:end], None)

    def _table_rows(self):
        """Rows of an agenda table ("| Time | Session | Speaker | Video |") as "Title, Speaker"
        lines, with the links of the other cells; then a marker where the table ends."""
        for table in TABLE.finditer(self.mask, self.body_start):
            header = _cells(table["header"])
            columns = {
                name: next((i for i, cell in enumerate(header) if pattern.search(cell)), None)
                for name, pattern in TABLE_COLUMNS.items()
            }
            if columns["title"] is None:
                continue  # a table, but not an agenda
            offset = table.start("rows")
            for row in table["rows"].splitlines(keepends=True):
                cells = _cells(self.text[offset : offset + len(row)])
                raw = _table_row_heading(cells, columns)
                if raw:
                    end = offset + len(row.rstrip("\n"))
                    yield _Candidate(offset, end, raw, self.line_at(offset), None, in_table=True)
                offset += len(row)
            yield _Candidate(table.end(), table.end(), "", self.line_at(table.end()), None, True)

    def _sessions(self, candidates):
        """Decide which candidates are sessions; return their ranges, where the intro ends and
        the ranges of sponsor/gallery sections."""
        day, in_sessions, section_level, session_level = 1, False, 0, None
        first_structure = None
        other_sections, decided = [], []
        starts = [c.start for c in candidates]
        heading_starts = [c.start for c in candidates if c.level is not None]
        for candidate in candidates:
            if candidate.ends_run:
                decided.append((candidate, None))
                continue
            label = inline.clean_text(candidate.raw)
            day_number = _day_number(label, candidate.line)
            if day_number or (candidate.level and SESSIONS_HEADING.match(label)):
                day = day_number or day
                in_sessions, section_level = True, candidate.level or section_level
                session_level = None
                first_structure = _first(first_structure, candidate.start)
                decided.append((candidate, None))
                continue
            following = heading_starts if candidate.level else starts
            body_end = _next_after(following, candidate.start, len(self.text))
            profiles = self._profiles(candidate.end, body_end)
            heading = parse_heading(candidate.raw, profiles=profiles)
            if not heading.speakers and candidate.level:
                heading.speakers = self._speaker_line(candidate.end, body_end, profiles)
            known_extra = bool(NOT_A_SESSION.match(label))
            if not (heading.speakers or known_extra) and _is_sub_heading(candidate, session_level):
                continue  # "#### Abstract" under a session's "###": part of that session
            has_media = bool(heading.media_urls) or self._has_media(candidate.end, body_end)
            if candidate.level is None:
                # "**Title, Speaker**", or in a sessions section "[**Title**](video)": a
                # bold title that links to its own recording needs no speaker to count.
                links_media = (
                    in_sessions
                    and bool(heading.media_urls)
                    and not (known_extra or inline.is_media_label(heading.title))
                )
                is_session = links_media or (bool(heading.speakers) and (in_sessions or has_media))
            else:
                # A sibling of the session headings just above it continues the run even
                # without speakers or media ("##### Community Forum" closing the day).
                in_run = candidate.level == session_level
                is_session = bool(heading.speakers) or (
                    not known_extra and (has_media or in_sessions or in_run)
                )
            if not is_session:
                if candidate.in_table:
                    decided.append((candidate, None))  # "| Tea Break |": not the talk above
                if candidate.level:
                    session_level = None
                    decided.append((candidate, None))
                    if candidate.level <= section_level and known_extra:
                        in_sessions = False
                    if SPONSOR_SECTION.search(label) or facts.GALLERY_TEXT.search(label):
                        other_sections.append((candidate.end, body_end))
                continue
            if not heading.title:
                raise ParseError(
                    candidate.line, f"session heading has no title: {candidate.raw.strip()!r}"
                )
            first_structure = _first(first_structure, candidate.start)
            session_level = candidate.level or session_level
            decided.append((candidate, (heading, day)))
        ranges = []
        for index, (candidate, found) in enumerate(decided):
            if found is None:
                continue
            end = decided[index + 1][0].start if index + 1 < len(decided) else len(self.text)
            self.roundup.sessions.append(self._session(candidate, *found, end))
            ranges.append((candidate.start, end))
        return ranges, first_structure, other_sections

    def _speaker_line(self, start, end, profiles):
        """The people of a "**Speakers:** Jane Doe, ACME and Ivo Lind" line under a heading
        (or its HTML, "<p><strong>Speakers:</strong> <a href=...>Jane Doe</a></p>")."""
        match = SPEAKER_LINE.search(inline.html_to_markdown(self.mask[start:end]))
        if not match:
            return []
        return parse_heading(f"Session, {match['rest']}", profiles=profiles).speakers

    def _profiles(self, start, end):
        """``{name_key(link text): url}`` of the profile links between two offsets."""
        found = {}
        for _start, _end, link in inline.iter_links(self.mask[start:end]):
            if is_profile_url(link.url):
                found.setdefault(name_key(inline.clean_text(link.text)), link.url)
        return found

    def _session(self, candidate, heading, day, body_end):
        session = SessionData(
            title=heading.title,
            slug=self._session_slug(heading.title),
            kind=heading.kind,
            day=day,
            position=self.day_counts[day],
            line=candidate.line,
            start_time=heading.start_time,
            speakers=heading.speakers,
        )
        for url in heading.media_urls:
            self._add_media(session, url, candidate.line)
        self._collect_media(session, candidate.end, body_end)
        session.description = self._description(candidate.end, body_end)
        self.day_counts[day] += 1
        return session

    def _session_slug(self, title):
        """A slug unique in the post: "Hello World", then "Hello, World!" -> "hello-world-2";
        a title that is itself "Hello World 2" later then gets "hello-world-2-2"."""
        base = slugify(title)[:SESSION_SLUG_LENGTH].rstrip("-") or "session"
        count = self.session_slugs.get(base, 0)
        slug = base
        while slug in self.used_slugs:
            count += 1
            slug = f"{base}-{count + 1}"
        self.session_slugs[base] = count
        self.used_slugs.add(slug)
        return slug

    # Media ---------------------------------------------------------------------------------

    def _media_spans(self, start, end):
        """``(offset, kind, value, title)`` for embed codes and URLs from ``start`` to ``end``."""
        region = self.mask[start:end]
        codes = inline.embed_codes(region)
        spans = [(start + code.start, "embed", code.src, code.title) for code in codes]
        region = inline.without_embed_codes(region, lambda code: " " * len(code), codes)
        for match in inline.BARE_URL.finditer(region):
            url = match[0].rstrip(".,;:!?")
            spans.append((start + match.start(), "url", url.replace("&amp;", "&"), ""))
        return sorted(spans)

    def _has_media(self, start, end):
        return any(
            kind == "embed" or inline.is_media_url(value)
            for _offset, kind, value, _title in self._media_spans(start, end)
        )

    def _collect_media(self, session, start, end):
        for offset, kind, value, title in self._media_spans(start, end):
            line = self.line_at(offset)
            if kind == "embed":
                if not self._add_media(session, value, line, title):
                    self._unsupported(value, line)
            else:
                self._add_media(session, value, line)

    def _add_media(self, session, url, line, title=""):
        found = inline.classify_media_url(url)
        if found is None:
            return False
        kind, ref = found
        media = Media(ref.provider, ref.key, ref.url, line, title)
        target = session.recordings if kind == "video" else session.slide_decks
        for index, known in enumerate(target):
            if same_media(known, media):
                # An unlisted Vimeo video's player needs its hash: keep the link that has it.
                fuller = media if len(media.key) > len(known.key) else known
                target[index] = replace(fuller, line=known.line, title=known.title or media.title)
                return True
        target.append(media)
        return True

    def _unsupported(self, src, line):
        src = unescape(src or "").strip()
        if not src:
            message = "unsupported embed without a src address"
        else:
            message = f"unsupported embed from {_site(src) or 'an unreadable address'}"
            reason = _media_error(src)
            message = f"{message}: {reason}" if reason else message
        self.roundup.unsupported_embeds.append(Note(line, message))

    def _stray_embeds(self, session_ranges):
        """Embeds outside every session: refuse unknown providers, report the others."""
        starts = [start for start, _end in session_ranges]
        for offset, kind, value, _title in self._media_spans(self.body_start, len(self.text)):
            index = bisect_right(starts, offset) - 1
            if kind != "embed" or (index >= 0 and offset < session_ranges[index][1]):
                continue
            line = self.line_at(offset)
            if inline.classify_media_url(value) is None:
                self._unsupported(value, line)
            else:
                self.roundup.notes.append(
                    Note(line, f"embed outside any session, not imported: {unescape(value)}")
                )

    # Text ----------------------------------------------------------------------------------

    def _description(self, start, end):
        """The session's text as Markdown, without embeds, media-only lines or thumbnails."""
        chunk = _replace_comments(self.text[start:end], lambda comment: "")
        chunk = inline.html_to_markdown(inline.without_embed_codes(chunk))
        chunk = SPEAKER_LINE.sub("", chunk)  # shown as the session's speakers already
        chunk = DESCRIPTION_LABEL.sub("", chunk.lstrip("\n"), count=1)
        kept = [p.strip("\n") for p in re.split(r"\n[ \t]*\n", chunk) if not _is_media_only(p)]
        kept = [p for p in kept if p.strip()]
        while kept and ATX_HEADING.fullmatch(kept[-1]):
            kept.pop()  # "#### Slides" whose slides were taken out
        return "\n\n".join(kept).strip()

    def _intro(self, start, end, other_sections):
        roundup = self.roundup
        truncate = TRUNCATE.search(self.text, start, end)
        summary_end = truncate.start() if truncate else end
        paragraphs = self._paragraphs(start, end)
        year = _year_hint(roundup)
        for line, markup in paragraphs:
            text = facts.plain_text(markup)
            found = facts.find_dates(text, year=year)
            if found and roundup.start_date is None:
                roundup.start_date, roundup.end_date = found
                roundup.lines.update(start_date=line, end_date=line)
            venue = facts.find_venue(text)
            if venue and not (roundup.venue or roundup.city):
                roundup.venue, roundup.city, roundup.country = venue
                roundup.lines.update(venue=line, city=line, country=line)
            for name, pattern in (
                ("attendee_count", facts.ATTENDEES),
                ("country_count", facts.COUNTRY_COUNT),
            ):
                try:
                    count = facts.find_count(pattern, text)
                except ValueError as error:
                    what = name.replace("_", " ")
                    raise ParseError(line, f"{what} is not a believable number") from error
                if count is not None and getattr(roundup, name) is None:
                    setattr(roundup, name, count)
                    roundup.lines[name] = line
        self._links(start, end, other_sections)
        self._sponsors(paragraphs, other_sections)
        roundup.summary = self._summary(start, summary_end)
        roundup.lines["summary"] = self.line_at(start)

    def _paragraphs(self, start, end):
        """``(line, markup)`` of each paragraph between two offsets (blank lines, <p>, <br>)."""
        found, position = [], start
        for match in PARAGRAPH_BREAK.finditer(self.mask, start, end):
            found.append((position, match.start()))
            position = match.end()
        found.append((position, end))
        return [
            (self.line_at(s + len(self.mask[s:e]) - len(self.mask[s:e].lstrip())), self.text[s:e])
            for s, e in found
            if self.mask[s:e].strip()
        ]

    def _links(self, start, end, other_sections):
        roundup = self.roundup
        regions = [(start, end), *other_sections]
        for region_start, region_end in regions:
            region = self.mask[region_start:region_end]
            for offset, _end, link in inline.iter_links(region):
                line = self.line_at(region_start + offset)
                text = inline.clean_text(link.text)
                if facts.is_gallery_link(link) and not roundup.photo_gallery_url:
                    roundup.photo_gallery_url = link.url
                    roundup.lines["photo_gallery_url"] = line
                elif (
                    not roundup.website
                    and (region_start, region_end) == (start, end)
                    and inline.is_web_url(link.url)
                    and not inline.is_media_url(link.url)
                    and facts.names_event(text, roundup.name)
                ):
                    roundup.website = link.url
                    roundup.lines["website"] = line

    def _sponsors(self, paragraphs, other_sections):
        excluded = {self.roundup.website, self.roundup.photo_gallery_url} - {""}
        chosen = [(line, p) for line, p in paragraphs if facts.SPONSOR_WORD.search(p)]
        for section_start, section_end in other_sections:
            chosen.extend(self._paragraphs(section_start, section_end))
        seen = set()
        for line, paragraph in chosen:
            for name, url in facts.sponsors_in(paragraph, excluded_urls=excluded):
                key = slugify(name)
                if key and key not in seen:
                    seen.add(key)
                    self.roundup.sponsors.append(SponsorData(name, url, line))

    def _summary(self, start, end):
        """The intro as Markdown: no banner image, no gallery button, no comments."""
        chunk = _replace_comments(self.text[start:end], lambda comment: "")
        lines = []
        for line in chunk.split("\n"):
            if IMAGE_ONLY.match(line) or LINKED_IMAGE_HTML.match(line):
                continue
            if _is_gallery_button(line) or re.fullmatch(r"\s*(?:<br\s*/?>\s*)+", line, re.I):
                continue
            lines.append(line)
        chunk = inline.without_embed_codes("\n".join(lines))
        return re.sub(r"\n{3,}", "\n\n", inline.html_to_markdown(chunk)).strip()


def _cells(row):
    """The cells of a Markdown table row: "| a | b |" -> ["a", "b"]."""
    row = row.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", row)]


def _table_row_heading(cells, columns):
    """ "09:30 - Title, Speaker [Video](url)" from one agenda row; "" for a row without title."""

    def cell(name):
        index = columns[name]
        return cells[index] if index is not None and index < len(cells) else ""

    title = cell("title")
    if not inline.clean_text(title):
        return ""
    used = {columns["title"], columns["speaker"], columns["time"]}
    links = [
        f"[{inline.clean_text(link.text)}]({link.url})"
        for index, text in enumerate(cells)
        if index not in used
        for _start, _end, link in inline.iter_links(text)
    ]
    start = re.match(r"^\s*\d{1,2}[:.h]\d{2}", cell("time"))
    speaker = cell("speaker")
    parts = [f"{start[0].strip()} - " if start else "", title, f", {speaker}" if speaker else ""]
    return " ".join(["".join(parts), *links])


def _is_speaker_line(raw):
    """A "**Speakers:** ..." line names the speakers of the session above; it heads none."""
    return bool(SPEAKER_LINE.match(inline.html_to_markdown(raw)))


def _site(url):
    """ "player.vimeo.com" -> "vimeo.com"; "www.example.co.uk" -> "example.co.uk"."""
    labels = inline.host_of(url).split(".")
    keep = 3 if len(labels) > 2 and len(labels[-1]) == 2 and len(labels[-2]) <= 3 else 2
    return ".".join(labels[-keep:])


def _media_error(url):
    """Why a YouTube/SlideShare URL cannot be used ("" when the host is simply unknown)."""
    for parse in (parse_video, parse_slides):
        try:
            parse(url)
        except ValidationError as error:
            if error.code != "unsupported":
                return " ".join(error.messages)
        except ValueError:
            return "the address cannot be read"
    return ""


def _first(current, offset):
    return offset if current is None else min(current, offset)


def _next_after(starts, offset, default):
    index = bisect_right(starts, offset)
    return starts[index] if index < len(starts) else default


def _is_sub_heading(candidate, session_level):
    """A heading deeper than the session heading above it ("#### Slides" under "###")."""
    return (
        session_level is not None
        and candidate.level is not None
        and (candidate.level > session_level)
    )


def _day_number(label, line):
    odd = ODD_DAY_HEADING.match(label)
    if odd and not _is_day_in_range(odd["n"]):
        raise ParseError(line, f"days are numbered from 1 to {MAX_DAY}: {_shorten(label)!r}")
    match = DAY_HEADING.match(label)
    if not match:
        return None
    value = (match["n"] or match["o"]).lower()
    return int(value) if value.isdigit() else DAY_WORDS[value]


def _shorten(text, limit=60):
    """``text`` cut to ``limit`` characters for a message, with an ellipsis when cut."""
    return text if len(text) <= limit else f"{text[: limit - 1]}\u2026"


def _is_day_in_range(number):
    """Whether "3", "+3", "-1", "0", "99999999999999" lies in 1..MAX_DAY (without ``int()`` of
    thousands of digits, which Python refuses)."""
    digits = number.lstrip("+-\u2212").lstrip("0")
    if number[0] in "-\u2212" or not digits or len(digits) > len(str(MAX_DAY)):
        return False
    return int(digits) <= MAX_DAY


def _year_hint(roundup):
    """The event's year when the intro gives none: title, then post date, then file name."""
    found = re.search(r"\b(?:19|20)\d{2}\b", roundup.title)
    if found:
        return int(found[0])
    if roundup.post_date:
        return roundup.post_date.year
    found = re.search(r"(?:^|/)((?:19|20)\d{2})-\d{2}-\d{2}", roundup.filename)
    return int(found[1]) if found else None


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


def _is_gallery_button(line):
    links = list(inline.iter_links(line))
    if len(links) != 1 or not facts.is_gallery_link(links[0][2]):
        return False
    start, end, _link = links[0]
    rest = line[:start] + line[end:]
    return not inline.clean_text(rest)
