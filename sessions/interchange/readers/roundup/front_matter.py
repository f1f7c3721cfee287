"""The YAML front matter of a roundup post: its title (and so the event's name), slug and date.

Docusaurus posts open with ``---``, YAML, ``---``. Every key is read as the author meant it or
refused at its line: a key given twice, a value YAML cannot build, a title YAML would read as a
number, a slug without a usable character.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import yaml
from django.utils.text import slugify

from sessions.interchange.document import Origin

from .body import refusal, shorten

# "Explore the Sessions from the X 2025!", "Highlights of X": the event is what follows.
EVENT_NAME_LEAD = re.compile(
    r"^(?:explore|watch|discover|relive|revisit|catch\s+up\s+on|highlights|recap|roundup)\b"
    r"[^:]*?\b(?:from|of|at)\s+(?:the\s+)?(?=\S)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FrontMatter:
    """What the front matter says, and where the body after it starts."""

    title: str
    slug: str
    post_date: date | None
    body_start: int
    origins: dict  # "name", "slug" -> Origin


def read_front_matter(text, *, filename):
    """The front matter of ``text``; ``filename`` gives the slug when the front matter has none."""
    values, body_start, keys = _mapping(text)
    return FrontMatter(
        title=_title(values, keys, text),
        slug=_event_slug(values, filename, keys),
        post_date=_post_date(values.get("date"), keys),
        body_start=body_start,
        origins={
            "name": Origin(line=keys.get("title", 1)),
            "slug": Origin(line=keys.get("slug", 1)),
        },
    )


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


def _mapping(text):
    lines = text.split("\n")
    first = next(index for index, line in enumerate(lines) if line.strip())
    if lines[first].strip() != "---":
        raise refusal(
            first + 1, "no front matter: a roundup post starts with '---', its YAML, then '---'"
        )
    closing = next(
        (i for i in range(first + 1, len(lines)) if lines[i].rstrip() in ("---", "...")), None
    )
    if closing is None:
        raise refusal(first + 1, "the front matter is not closed (no second '---' line)")
    source = "\n".join(lines[first + 1 : closing])
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = first + 2 + (mark.line if mark else 0)
        problem = getattr(error, "problem", None) or "cannot be read"
        raise refusal(line, f"invalid YAML in the front matter: {problem}") from error
    except (ValueError, RecursionError) as error:  # "date: 2023-13-45", absurd nesting
        line = _bad_value_line(lines, first + 1, closing) or first + 2
        raise refusal(line, f"invalid value in the front matter: {_value_error(error)}") from error
    if not isinstance(data, dict):
        raise refusal(first + 2, "the front matter must be a YAML mapping (key: value lines)")
    keys = {}
    for index in range(first + 1, closing):
        match = re.match(r"^([A-Za-z_][\w-]*)\s*:", lines[index])
        if match and match[1] in keys:
            # YAML keeps the last value silently; the author meant one of them.
            raise refusal(
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


def _title(front_matter, keys, text):
    title = front_matter.get("title")
    line = keys.get("title", 1)
    if title is None or (isinstance(title, str) and not title.strip()):
        raise refusal(line, "the front matter has no title")
    if not isinstance(title, str):
        # YAML reads "title: 2023", "title: yes" or "title: .nan" as a number, a boolean or a
        # date; the author wrote words, so take them as written.
        title = _plain_scalar(text.split("\n")[line - 1]) if "title" in keys else None
        if not title:
            raise refusal(line, "the title in the front matter must be text")
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
        raise refusal(keys.get("slug", 1), "the slug in the front matter must be text")
    if given is not None and str(given).strip():
        slug = slugify(str(given))
        line = keys.get("slug", 1)
        if not slug:
            raise refusal(
                line,
                f"the slug in the front matter has no letter or digit usable in a web address: "
                f"{shorten(str(given))!r} (use a-z, 0-9 and hyphens)",
            )
    else:
        path = Path(filename)
        stem = path.parent.name if path.stem.lower() == "index" else path.stem
        slug = slugify(re.sub(r"^\d{4}-\d{2}-\d{2}-", "", stem))
        line = 1
    if not slug:
        raise refusal(line, "cannot make a slug for the event: give `slug:` in the front matter")
    return slug[:200]


def _post_date(value, keys):
    """The ``date:`` of the front matter; a value that is there but no date is an error."""
    if value is None or value == "":
        return None
    found = _as_date(value)
    if found is None:
        raise refusal(
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
