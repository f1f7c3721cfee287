"""What may head a session: Markdown and HTML headings, lines and paragraphs opening in bold,
and the rows of an agenda table.

:func:`find_candidates` lists them in the order of the post; :mod:`.structure` decides which
are sessions.
"""

import re
from dataclasses import dataclass

from . import inline

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


@dataclass
class Candidate:
    start: int
    end: int
    raw: str
    line: int
    level: int | None  # None for a bold first line ("**Title, Speaker**") or a table row
    ends_run: bool = False  # the end of an agenda table: the last row's text stops there
    in_table: bool = False  # a row of an agenda table: it ends the row above, session or not


def find_candidates(body):
    """Everything in ``body`` that may head a session, in order, each place counted once."""
    found = []
    for pattern, level_of in (
        (ATX_HEADING, lambda m: len(m[1])),
        (HTML_HEADING, lambda m: int(m[1])),
    ):
        for match in pattern.finditer(body.mask, body.body_start):
            raw = body.text[match.start(2) : match.end(2)]
            found.append(_candidate(body, match.start(), match.end(), raw, level_of(match)))
    for pattern in (HTML_BOLD_PARAGRAPH, HTML_BOLD_LINE):
        for match in pattern.finditer(body.mask, body.body_start):
            found.append(_candidate(body, match.start(), match.end(), match[0], None))
    found.extend(_bold_paragraphs(body))
    found.extend(_table_rows(body))
    found = [c for c in found if c.level is not None or not is_speaker_line(c.raw)]
    found.sort(key=lambda candidate: candidate.start)
    kept, covered_until = [], -1
    for candidate in found:  # a bold line inside an <h3>, or the reverse, counts once
        if candidate.start >= covered_until:
            kept.append(candidate)
            covered_until = candidate.end
    return kept


def is_speaker_line(raw):
    """A "**Speakers:** ..." line names the speakers of the session above; it heads none."""
    return bool(SPEAKER_LINE.match(inline.html_to_markdown(raw)))


def _candidate(body, start, end, raw, level):
    return Candidate(start, end, raw, body.line_at(start), level)


def _bold_paragraphs(body):
    """Paragraphs that open with bold text: "**Title, Speaker**" or "[**Title**...](url)"."""
    breaks = re.finditer(r"\n[ \t]*\n\s*", body.mask[body.body_start :])
    starts = [body.body_start] + [body.body_start + match.end() for match in breaks]
    for start in starts:
        lead = BOLD_LEAD.match(body.mask, start)
        if not lead:
            continue
        link = lead["link"] and inline.MD_LINK.match(body.text, lead.start("link"))
        if link:
            end = link.end()
        else:
            end = body.text.find("\n", start)
            end = len(body.text) if end == -1 else end
        yield _candidate(body, start, end, body.text[start:end], None)


def _table_rows(body):
    """Rows of an agenda table ("| Time | Session | Speaker | Video |") as "Title, Speaker"
    lines, with the links of the other cells; then a marker where the table ends."""
    for table in TABLE.finditer(body.mask, body.body_start):
        header = _cells(table["header"])
        columns = {
            name: next((i for i, cell in enumerate(header) if pattern.search(cell)), None)
            for name, pattern in TABLE_COLUMNS.items()
        }
        if columns["title"] is None:
            continue  # a table, but not an agenda
        offset = table.start("rows")
        for row in table["rows"].splitlines(keepends=True):
            cells = _cells(body.text[offset : offset + len(row)])
            raw = _table_row_heading(cells, columns)
            if raw:
                end = offset + len(row.rstrip("\n"))
                yield Candidate(offset, end, raw, body.line_at(offset), None, in_table=True)
            offset += len(row)
        end = table.end()
        yield Candidate(end, end, "", body.line_at(end), None, ends_run=True)


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
