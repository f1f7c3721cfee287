"""Property-based fuzzing of the whole schedule import: mutated frab XML, frab JSON, CSV and
Sessionize files go through :class:`~sessions.interchange.imports.ImportBatch` (what
``import_schedule`` runs) into a database that already holds the file's event.

The contract checked for each example: the file imports, or the batch raises
:class:`~sessions.interchange.imports.FileNotImported` with located problems and every row of
every table is what it was before: never another exception, never a partial write. The file's
event is imported once per test; each example is rolled back to it.

CI-sized: a fixed seed and ``FUZZ_SCHEDULE_EXAMPLES`` examples per format (30 by default:
under a minute for the four here).
"""

import os
import re
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, seed, settings
from hypothesis import strategies as st

from sessions.interchange.imports import FileNotImported, ImportBatch
from tests.database_rows import every_row

SCHEDULES = Path(__file__).resolve().parents[2] / "fixtures" / "schedules"
EXAMPLES = int(os.environ.get("FUZZ_SCHEDULE_EXAMPLES", "30"))
FUZZ_SEED = int(os.environ.get("FUZZ_SEED", "20261202"))
FUZZ_SETTINGS = {
    "deadline": None,
    "database": None,  # the seed decides the examples: nothing is kept between runs
    "max_examples": EXAMPLES,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
}
# fixture: (format, event slug and name given as --event/--name, or None)
FILES = {
    "ccc.xml": ("frab-xml", None),
    "schedule.json": ("frab-json", None),
    "schedule-comma.csv": ("csv", ("csvconf", "CSV Conf")),
    "sessionize-all.json": ("sessionize", ("devday", "Dev Day 2024")),
}
HOSTILE_VALUES = [
    "", "0", "-1", "99999", "1e400", "NaN", "null", "true", "[]", "{}", "25:61", "00:00",
    "2099-02-30", "9999-12-31T23:59:59+14:00", "P1000000D", "\u202e", "\x00", "\x01",
    "javascript:alert(1)", "https://", "A" * 5_000, "é" * 400, "<x>", "&amp;", "\\", "\"", ",",
    "\n", "\r\n", "\t",
]  # fmt: skip
TOKEN = re.compile(r"\d+|[A-Za-z][A-Za-z0-9_-]*|\"[^\"\n]*\"")


def _position(draw, text):
    return draw(st.integers(0, len(text)))


def replace_token(draw, text):
    """A number, word or quoted string replaced by a hostile value."""
    tokens = list(TOKEN.finditer(text))
    if not tokens:
        return text
    match = draw(st.sampled_from(tokens))
    value = draw(st.sampled_from(HOSTILE_VALUES))
    quoted = match.group().startswith('"') and draw(st.booleans())
    value = f'"{value}"' if quoted else value
    return text[: match.start()] + value + text[match.end() :]


def truncate(draw, text):
    return text[: _position(draw, text)]


def drop_line(draw, text):
    lines = text.split("\n")
    del lines[draw(st.integers(0, len(lines) - 1))]
    return "\n".join(lines)


def duplicate_line(draw, text):
    lines = text.split("\n")
    at = draw(st.integers(0, len(lines) - 1))
    return "\n".join([*lines[: at + 1], lines[at], *lines[at + 1 :]])


def swap_lines(draw, text):
    lines = text.split("\n")
    first, second = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
    lines[first], lines[second] = lines[second], lines[first]
    return "\n".join(lines)


def insert_text(draw, text):
    at = _position(draw, text)
    return text[:at] + draw(st.sampled_from(HOSTILE_VALUES)) + text[at:]


MUTATIONS = [replace_token, replace_token, truncate, drop_line, duplicate_line, swap_lines]
MUTATIONS += [insert_text]


def flip_bytes(draw, data):
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        if data:
            data[draw(st.integers(0, len(data) - 1))] ^= draw(st.integers(1, 127))
    return bytes(data)


@st.composite
def mutated(draw, name):
    """The fixture ``name`` after one to four text mutations, one in five also byte flipped."""
    text = (SCHEDULES / name).read_text(encoding="utf-8")
    for mutate in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=4)):
        text = mutate(draw, text)
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 4)) == 0:
        data = flip_bytes(draw, data)
    return data


def batch_for(name):
    format_name, event = FILES[name]
    slug, title = event or (None, None)
    return ImportBatch(format=format_name, event_slug=slug, event_name=title)


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("schedule-fuzz")


@pytest.fixture
def event_rows(request, db):
    """The test's fixture file imported (its event, before any mutation); every row after it."""
    name = request.function.schedule_name
    batch_for(name).import_file(SCHEDULES / name)
    return every_row()


def fuzz_test(name):
    """The fuzz test of one fixture: its event imported first, then each mutation of it."""

    @seed(FUZZ_SEED)
    @settings(**FUZZ_SETTINGS)
    @given(data=mutated(name))
    def test(event_rows, fuzz_dir, data):
        path = fuzz_dir / name
        with transaction.atomic():
            path.write_bytes(data)
            try:
                batch_for(name).import_file(path)
            except FileNotImported as error:
                event("refused")
                assert error.problems
                for origin, message in error.problems:
                    assert message.strip(), (origin, message)
                assert every_row() == event_rows
            else:
                event("imported")
            transaction.set_rollback(True)  # the next example starts from the imported event

    test.schedule_name = name
    test.__name__ = f"test_mutated_{FILES[name][0].replace('-', '_')}_imports_or_changes_nothing"
    return test


for _name in FILES:
    _test = fuzz_test(_name)
    globals()[_test.__name__] = _test
