"""Hostile imports: thousands of roundup posts mutated from the reference post.

Hypothesis truncates the reference post at random points, duplicates and drops headings,
breaks iframes, adds huge lines, odd Unicode (right-to-left marks, zero-width characters,
neighbours of the surrogate range, NUL), garbage front matter and random byte flips. The
properties:

- the parser returns a roundup or raises ``SourceError`` with a line inside the file and a
  one-line message (many examples: parsing alone is fast);
- ``manage.py import_roundup`` either imports or raises ``CommandError`` whose lines are all
  ``PATH:LINE: message``, and after a failure every row of every table is what it was before
  (each example runs the whole command against a database holding the reference event,
  imported once for the module, and is rolled back afterwards, so every example starts from
  that same database);
- a file over the size cap is refused before it is read.

The seed is fixed, so every run tries the same documents. ``FUZZ_EXAMPLES`` (parser) and
``FUZZ_IMPORT_EXAMPLES`` (command, shared out over ``IMPORT_SHARDS`` tests with seeds
``FUZZ_SEED``, ``FUZZ_SEED + 1``...) ask for more, ``FUZZ_SEED`` for other documents.
"""

import os
import re
import time
from functools import cache
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import HealthCheck, event, given, seed, settings
from hypothesis import strategies as st

from sessions.interchange.document import SourceError
from sessions.interchange.files import MAX_BYTES
from sessions.interchange.readers.roundup import read
from tests.conftest import REFERENCE_ROUNDUP
from tests.database_rows import every_row

PARSE_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2000"))
IMPORT_EXAMPLES = int(os.environ.get("FUZZ_IMPORT_EXAMPLES", "2000"))
# The import examples run as this many tests of equal shares, each seeded FUZZ_SEED + its index.
IMPORT_SHARDS = 4
FUZZ_SEED = int(os.environ.get("FUZZ_SEED", "20231123"))
FUZZ_SETTINGS = {
    "deadline": None,  # a huge line may take a while; a hang still fails the run
    "database": None,  # the seed decides the examples: nothing is kept between runs
    # Function-scoped fixtures (the autouse cache reset, reference_rows) run once per test,
    # not per example: each example writes its own file and rolls back its own changes.
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
}

HEADING_LINE = re.compile(r"^#{1,6}\s")
IFRAME = re.compile(r"<iframe\b[^\n]*", re.IGNORECASE)
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
ODD_CHARACTERS = (
    "\u202e\u202d\u200f\u200e\u2066\u2067\u2069"  # bidirectional overrides and isolates
    "\u200b\u200c\u200d\u2060\ufeff"  # zero-width characters, BOM
    "\ud7ff\ue000\ufffd\ufffe\uffff\U0010ffff"  # next to the surrogate range, non-characters
    "\ud800\udfff"  # lone surrogates (written as their invalid UTF-8 bytes)
    "\x01\x08\x0b\x0c\x1b\x7f\x85\u2028\u2029\r\t"  # controls, odd line breaks
    "\u0301\u0336\U0001f469\U0001f4bb\u0627\u05d0\u4e2d\u0130\u00df"  # combining, emoji, RTL
)
HUGE_LINE_UNITS = ["x", "# ", "### ", "[", "](", "**", "`", "<", "<iframe ", "|", "\\", "é"]
# Runs of blanks are quadratic in the parser (see test_parser_long_blank_line_fast): the
# generated ones stay short enough for the run to end; that test covers the long ones.
BLANK_RUN_MAX = 2_000
SLOW_LINE_SECONDS = 1
GARBAGE_FRONT_MATTER = [
    "",
    "title: [1, 2]\n",
    "title:\n  nested: {a: 1}\n",
    "title: !!python/object/apply:os.system ['echo owned']\n",
    "title: 'unterminated\n",
    "\ttitle: tab indented\n",
    "title: x\nslug: ../../etc/passwd\n",
    "title: x\nslug: ''\n",
    "title: x\nslug: [a]\n",
    "title: x\ndate: 2023-02-30\n",
    "title: x\ndate: 99999-01-01\n",
    "title: x\ntitle: y\n",
    "- a list\n- not a mapping\n",
    "title: 12345\n",
    "title: null\n",
    "title: 2023-01-01\n",
    "title: " + "A" * 10_000 + "\n",
    "title: x\nslug: " + "é" * 300 + "\n",
    "title: \u202eevil\u202c roundup\n",
    "%YAML 1.1\n---\ntitle: x\n",
    "? [a, b]\n: c\ntitle: x\n",
    "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\ntitle: x\ntags: *c\nauthors: *c\n",
    "title: x\ntags: {a: b}\nauthors: 7\n",
    "title: <script>window.__xss=1</script>\n",
]
BROKEN_IFRAMES = [
    '<iframe src="https://www.youtube.com/embed/',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe src=""></iframe>',
    '<iframe src="//evil.example/embed/x"></iframe>',
    '<iframe src="https://player.unknown.example/video/1"></iframe>',
    '<iframe src="https://www.youtube.com/embed/../../x"></iframe>',
    '<iframe src="https://www.youtube.com/embed/' + "A" * 5_000 + '"></iframe>',
    "<iframe src=https://www.youtube.com/embed/cCNCmJxxEPA></iframe>",
    '<iframe src="https://www.youtube.com/embed/a" src="https://evil.example/"></iframe>',
    '<iframe src="<iframe src="https://www.youtube.com/embed/x">">',
    '<iframe src="https://www.slideshare.net/slideshow/embed_code/key/"></iframe>',
    '<iframe src="https://www.youtube.com/embed/\u202eAPxECCmJxxEPA"></iframe>',
    "<iframe>",
    "</iframe>",
]
INVALID_UTF8 = [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf", b"\x80"]


@cache
def reference_text():
    return REFERENCE_ROUNDUP.read_text(encoding="utf-8")


def _position(draw, sequence):
    return draw(st.integers(0, len(sequence)))


def truncate(draw, text):
    return text[: _position(draw, text)]


def duplicate_heading(draw, text):
    lines = text.split("\n")
    headings = [index for index, line in enumerate(lines) if HEADING_LINE.match(line)]
    if not headings:
        return text
    start = draw(st.sampled_from(headings))
    end = next((index for index in headings if index > start), len(lines))
    copied = lines[start:end] if draw(st.booleans()) else [lines[start]]
    at = _position(draw, lines)
    return "\n".join(lines[:at] + copied + lines[at:])


def drop_heading(draw, text):
    lines = text.split("\n")
    headings = [index for index, line in enumerate(lines) if HEADING_LINE.match(line)]
    if not headings:
        return text
    del lines[draw(st.sampled_from(headings))]
    return "\n".join(lines)


def relevel_heading(draw, text):
    lines = text.split("\n")
    headings = [index for index, line in enumerate(lines) if HEADING_LINE.match(line)]
    if not headings:
        return text
    index = draw(st.sampled_from(headings))
    hashes = draw(st.sampled_from(["", "#", "##", "####", "#######", "# #"]))
    separator = draw(st.sampled_from([" ", "", "\t"]))
    lines[index] = hashes + separator + lines[index].lstrip("#").lstrip()
    return "\n".join(lines)


def break_iframe(draw, text):
    iframes = list(IFRAME.finditer(text))
    if not iframes:
        return text
    iframe = draw(st.sampled_from(iframes))
    if draw(st.booleans()):
        replacement = iframe.group()[: _position(draw, iframe.group())]
    else:
        replacement = draw(st.sampled_from(BROKEN_IFRAMES))
    return text[: iframe.start()] + replacement + text[iframe.end() :]


def huge_line(draw, text):
    if draw(st.booleans()):
        unit = draw(st.sampled_from(HUGE_LINE_UNITS))
        line = unit * draw(st.integers(1_000, 300_000 // len(unit)))
    else:
        line = draw(st.sampled_from([" ", "\t", " \t"])) * draw(st.integers(1, BLANK_RUN_MAX))
    lines = text.split("\n")
    at = _position(draw, lines)
    return "\n".join([*lines[:at], line, *lines[at:]])


def odd_unicode(draw, text):
    inserted = draw(st.text(alphabet=ODD_CHARACTERS, min_size=1, max_size=30))
    at = _position(draw, text)
    return text[:at] + inserted + text[at:]


def random_text(draw, text):
    inserted = draw(st.text(max_size=200))
    at = _position(draw, text)
    return text[:at] + inserted + text[at:]


def front_matter_garbage(draw, text):
    front_matter = FRONT_MATTER.search(text)
    body = text[front_matter.end() :] if front_matter else text
    choice = draw(st.sampled_from(["garbage", "random", "unclosed", "none"]))
    if choice == "none":
        return body
    if choice == "unclosed" and front_matter:
        return front_matter.group().removesuffix("---\n") + body
    if choice == "random":
        garbage = draw(st.text(max_size=300))
    else:
        garbage = draw(st.sampled_from(GARBAGE_FRONT_MATTER))
    return f"---\n{garbage}\n---\n{body}"


def line_endings(draw, text):
    return text.replace("\n", draw(st.sampled_from(["\r\n", "\r", "\n\n", "\n \n"])))


TEXT_MUTATIONS = [
    truncate,
    duplicate_heading,
    drop_heading,
    relevel_heading,
    break_iframe,
    huge_line,
    odd_unicode,
    random_text,
    front_matter_garbage,
    line_endings,
]


def flip_bytes(draw, data):
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        if data:
            # Mostly below 0x80: an ASCII byte stays ASCII, so the flip reaches the parser.
            data[draw(st.integers(0, len(data) - 1))] ^= draw(st.integers(1, 127))
    return bytes(data)


def invalid_utf8(draw, data):
    at = _position(draw, data)
    return data[:at] + draw(st.sampled_from([*INVALID_UTF8, b"\x00"])) + data[at:]


def other_encoding(draw, data):
    text = data.decode("utf-8", "replace")
    return text.encode(draw(st.sampled_from(["utf-16", "utf-32", "latin-1"])), "replace")


BYTE_MUTATIONS = [flip_bytes, invalid_utf8, other_encoding]


@st.composite
def hostile_posts(draw):
    """The reference post after one to four text mutations, then maybe byte mutations."""
    text = reference_text()
    for mutate in draw(st.lists(st.sampled_from(TEXT_MUTATIONS), min_size=1, max_size=4)):
        text = mutate(draw, text)
    data = text.encode("utf-8", "surrogatepass")
    # One post in four: most byte damage stops at the decoding, before the interesting parts.
    if draw(st.integers(0, 3)) == 0:
        for mutate in draw(st.lists(st.sampled_from(BYTE_MUTATIONS), min_size=1, max_size=2)):
            data = mutate(draw, data)
    return data


def line_count(data):
    return len(re.split(rb"\r\n|\r|\n", data))


@pytest.fixture(scope="module")
def post_path(tmp_path_factory):
    """Where each example is written (module-scoped: Hypothesis reruns the test body)."""
    return tmp_path_factory.mktemp("fuzz") / "post.md"


@seed(FUZZ_SEED)
@settings(max_examples=PARSE_EXAMPLES, **FUZZ_SETTINGS)
@given(data=hostile_posts())
def test_parser_hostile_post_parses_or_reports_a_line(post_path, data):
    post_path.write_bytes(data)
    try:
        roundup = read(post_path)
    except SourceError as error:
        event(f"refused: {error.message[:40]}")
        assert 1 <= error.line <= line_count(data), (error.line, error.message)
        assert error.message.strip()
        assert "\n" not in error.message
    else:
        event("parsed")
        assert roundup.source_key


@pytest.mark.parametrize("blank", [" ", "\t"])
def test_parser_long_blank_line_fast(tmp_path, blank):
    """A line of 20,000 blanks parses in well under a second, as any other long line does."""
    lines = reference_text().split("\n")
    path = tmp_path / "blank.md"
    path.write_text("\n".join([*lines[:300], blank * 20_000, *lines[300:]]), encoding="utf-8")
    started = time.monotonic()
    read(path)
    assert time.monotonic() - started < SLOW_LINE_SECONDS


def assert_failure_report(message, path):
    summary, *problems = message.split("\n")
    assert summary == "1 of 1 file(s) not imported (imported: none):"
    assert problems
    for problem in problems:
        assert re.fullmatch(rf"{re.escape(str(path))}:\d+: \S.*", problem), problem


@pytest.fixture
def reference_rows(reference_event):
    """The database every example starts from: the reference event, imported (once for the
    module: see ``reference_import`` in tests/conftest.py)."""
    return every_row()


def import_fuzz_shard(shard):
    """One of ``IMPORT_SHARDS`` equal shares of the import examples, each from its own seed, so
    that test workers run them side by side."""

    @seed(FUZZ_SEED + shard)
    @settings(max_examples=max(1, IMPORT_EXAMPLES // IMPORT_SHARDS), **FUZZ_SETTINGS)
    @given(data=hostile_posts())
    def test(reference_rows, post_path, data):
        post_path.write_bytes(data)
        with transaction.atomic():
            try:
                call_command("import_roundup", str(post_path), stdout=StringIO(), stderr=StringIO())
            except CommandError as error:
                event("refused")
                assert_failure_report(str(error), post_path)
                assert every_row() == reference_rows
            else:
                event("imported")
            # Start the next example from the reference event alone, imported or not.
            transaction.set_rollback(True)

    test.__name__ = f"test_import_hostile_post_imports_or_changes_nothing_{shard + 1}"
    return test


for _shard in range(IMPORT_SHARDS):
    _test = import_fuzz_shard(_shard)
    globals()[_test.__name__] = _test


@pytest.mark.parametrize("size", [MAX_BYTES + 1, 64 * 2**20])
def test_import_file_over_size_cap_refused_before_reading(reference_event, tmp_path, size):
    path = tmp_path / "huge.md"
    with path.open("wb") as sparse:
        sparse.truncate(size)  # a hole of NUL bytes: read, it would be "not a text file"
    before = every_row()
    started = time.monotonic()
    with pytest.raises(CommandError) as error:
        call_command("import_roundup", str(path), stdout=StringIO(), stderr=StringIO())
    assert time.monotonic() - started < 2
    assert str(error.value).split("\n")[1:] == [f"{path}:1: file is larger than 5 MB"]
    assert every_row() == before


def test_import_text_just_over_size_cap_refused(reference_event, tmp_path):
    path = tmp_path / "long.md"
    text = reference_text().encode()
    path.write_bytes((text * (MAX_BYTES // len(text) + 1))[: MAX_BYTES + 1])
    before = every_row()
    with pytest.raises(CommandError) as error:
        call_command("import_roundup", str(path), stdout=StringIO(), stderr=StringIO())
    assert str(error.value).split("\n")[1:] == [f"{path}:1: file is larger than 5 MB"]
    assert every_row() == before


def test_import_endless_device_refused_at_size_cap(reference_event):
    """/dev/zero reports no size: the cap still holds on the bytes read."""
    before = every_row()
    with pytest.raises(CommandError) as error:
        call_command("import_roundup", "/dev/zero", stdout=StringIO(), stderr=StringIO())
    assert str(error.value).split("\n")[1:] == ["/dev/zero:1: file is larger than 5 MB"]
    assert every_row() == before
