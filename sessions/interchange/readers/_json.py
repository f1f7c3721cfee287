"""JSON from outside, parsed safely, and the JSON pointers (RFC 6901) its errors name.

The file's size is capped by :func:`~sessions.interchange.files.read_bytes`; the nesting is
checked here before :func:`json.loads` runs, whose parser recurses once per level (a file of
100,000 ``[`` would otherwise exhaust the stack). ``NaN`` and ``Infinity``, which JSON does not
have, are refused.
"""

import json
import re

from sessions.interchange.document import START, Origin, SourceError
from sessions.interchange.files import decode

MAX_DEPTH = 64  # the deepest schedule we know nests 8 levels
# Escapes go first, then strings are skipped whole (brackets inside them do not count): two
# linear passes, where one pattern matching escaped strings could rescan a file of ``\"``
# once per quote.
ESCAPE = re.compile(r"\\.", re.DOTALL)
TOKEN = re.compile(r'"[^"]*"|[\[\]{}]')


def load(data):
    """The value of the JSON document ``data`` (bytes, UTF-8 with or without a BOM)."""
    text = decode(data).removeprefix("\ufeff")
    if not text.strip():
        raise SourceError(START, "file is empty")
    check_depth(text)
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise SourceError(
            Origin(line=error.lineno), f"not valid JSON: {error.msg} (column {error.colno})"
        ) from error
    except (ValueError, RecursionError) as error:  # a number of over 4,300 digits, NaN...
        raise SourceError(START, f"not valid JSON: {error}") from error


def check_depth(text):
    """``SourceError`` when arrays and objects nest deeper than :data:`MAX_DEPTH`."""
    depth = 0
    text = ESCAPE.sub("", text)
    for match in TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, match.start()) + 1
                raise SourceError(
                    Origin(line=line),
                    f"arrays and objects nest more than {MAX_DEPTH} levels deep: this is not "
                    "a schedule",
                )
        elif token in "]}":
            depth -= 1


def _refuse_constant(name):
    raise ValueError(f"{name} is not a JSON number")


def pointer(*parts):
    """The JSON pointer of the path ``parts`` ("sessions", 3, "startsAt": /sessions/3/startsAt)."""
    escaped = (str(part).replace("~", "~0").replace("/", "~1") for part in parts)
    return "".join(f"/{part}" for part in escaped)


def at(*parts):
    """The :class:`Origin` of the path ``parts``."""
    return Origin(pointer=pointer(*parts))
