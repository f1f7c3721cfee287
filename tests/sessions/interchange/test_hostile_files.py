"""Hand-made hostile roundup files the fuzzer's mutations of the reference post do not produce.

The contract checked for each: ``manage.py import_roundup`` imports the file or fails with
``PATH:LINE: message`` lines (the line pointing at what is wrong), never a traceback; after a
failure ``dumpdata`` prints exactly what it printed before; a post that imports renders with no
way to run a script. Every case runs on SQLite and on PostgreSQL (which, unlike SQLite, refuses
too-long varchars and NUL characters at the database).
"""

import os
import re
import stat
import sys
import threading
import time
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conference.models import Event
from sessions.interchange.document import SourceError
from sessions.interchange.files import read_text
from sessions.interchange.readers.roundup import parse
from sessions.models import Session
from speakers.models import ProfileLink, Speaker

FRONT_MATTER = "---\ntitle: Hostile Conference 2023 Roundup\nslug: hostile\n---\n\n"
INTRO = "The Hostile Conference took place on 23-24th November 2023.\n\n"
DAY = "## Day 1 Sessions\n\n"
YOUTUBE = '<iframe src="https://www.youtube.com/embed/cCNCmJxxEPA"></iframe>\n\n'


def session(title, who="[Jane Doe](https://www.linkedin.com/in/janedoe/)", text="About it."):
    return f"### {title}, {who}\n\n{text}\n\n"


def post(*sessions, front_matter=FRONT_MATTER, intro=INTRO, day=DAY):
    return front_matter + intro + day + "".join(sessions)


def run(*paths, **options):
    call_command(
        "import_roundup", *[str(path) for path in paths], stdout=StringIO(), stderr=StringIO(),
        **options,
    )  # fmt: skip


def dump():
    """Every row of every table, as dumpdata prints it."""
    out = StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


def refusal(path):
    """Import ``path``; return its ``(line, message)`` problems, checking the contract."""
    before = dump()
    with pytest.raises(CommandError) as error:
        run(path)
    summary, *problems = str(error.value).split("\n")
    assert summary.endswith("not imported (imported: none):")
    found = []
    for problem in problems:
        match = re.fullmatch(rf"{re.escape(str(path))}:(\d+): (\S.*)", problem)
        assert match, problem
        found.append((int(match[1]), match[2]))
    assert dump() == before
    return found


@pytest.fixture
def write(tmp_path):
    def write(content, name="post.md"):
        path = tmp_path / name
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
        return path

    return write


# Not a roundup post at all ---------------------------------------------------------------------

REFERENCE_TEXT_PLACEHOLDER = "REFERENCE"

NOT_TEXT = {
    "utf-16-with-bom": ("\ufeff" + post(session("Talk"))).encode("utf-16-le"),
    "utf-16-be-with-bom": ("\ufeff" + post(session("Talk"))).encode("utf-16-be"),
    "utf-32-with-bom": post(session("Talk")).encode("utf-32"),
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF",
    "pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
    "gzip": b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
    "docx": b"PK\x03\x04\x14\x00\x06\x00",
}
NOT_TEXT_MESSAGES = {
    "utf-16-with-bom": "is UTF-16 text: save it as UTF-8",
    "utf-16-be-with-bom": "is UTF-16 text: save it as UTF-8",
    "utf-32-with-bom": "is UTF-32 text: save it as UTF-8",
    "png": "is a PNG image, not a roundup post",
    "jpeg": "is a JPEG image, not a roundup post",
    "pdf": "is a PDF document, not a roundup post",
    "gzip": "is a gzip archive, not a roundup post",
    "docx": "is a ZIP archive (a .docx or .odt document?), not a roundup post",
}


@pytest.mark.parametrize("case", NOT_TEXT)
def test_import_binary_or_utf16_file_says_what_it_is(reference_event, write, case):
    assert refusal(write(NOT_TEXT[case])) == [(1, NOT_TEXT_MESSAGES[case])]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_read_named_pipe_refused_without_waiting_for_a_writer(tmp_path):
    """Opening a FIFO for reading blocks until someone writes: the importer must not hang."""
    fifo = tmp_path / "post.md"
    os.mkfifo(fifo)
    outcome = []

    def read():
        try:
            read_text(fifo)
        except SourceError as error:
            outcome.append((error.line, error.message))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=5)
    if reader.is_alive():  # unblock the reader so the test run can end
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a named pipe blocked")
    assert outcome == [(1, "is a pipe or a socket, not a roundup post")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_import_named_pipe_refused(reference_event, tmp_path):
    fifo = tmp_path / "post.md"
    os.mkfifo(fifo)
    assert refusal(fifo) == [(1, "is a pipe or a socket, not a roundup post")]


def test_import_symlink_loop_refused(reference_event, tmp_path):
    (tmp_path / "a.md").symlink_to(tmp_path / "b.md")
    (tmp_path / "b.md").symlink_to(tmp_path / "a.md")
    [(line, message)] = refusal(tmp_path / "a.md")
    assert line == 1
    assert message.startswith("cannot read the file: ")


def test_import_dangling_symlink_is_no_such_file(reference_event, tmp_path):
    (tmp_path / "post.md").symlink_to(tmp_path / "gone.md")
    assert refusal(tmp_path / "post.md") == [(1, "no such file")]


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="root reads files whatever their mode"
)
def test_import_unreadable_file_refused(reference_event, write):
    path = write(post(session("Talk")))
    path.chmod(0)
    try:
        [(line, message)] = refusal(path)
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert (line, message) == (1, "cannot read the file: Permission denied")


def test_import_path_with_spaces_and_unicode_imports(db, tmp_path):
    path = tmp_path / "my posts é 日本" / "ccc 2023 roundup ü.md"
    path.parent.mkdir()
    path.write_text(post(session("Talk")), encoding="utf-8")
    run(path)
    assert list(Event.objects.values_list("slug", flat=True)) == ["hostile"]


def test_import_dev_null_is_an_empty_file(reference_event):
    assert refusal("/dev/null") == [(1, "file is empty")]


# Front matter ----------------------------------------------------------------------------------

FRONT_MATTER_CASES = {
    "duplicate-title": (
        "---\ntitle: First Roundup\nslug: x\ntitle: Second Roundup\n---\n",
        4,
        "'title' is given twice in the front matter (first on line 2)",
    ),
    "duplicate-slug": (
        "---\ntitle: X\nslug: a\nslug: b\n---\n",
        4,
        "'slug' is given twice in the front matter (first on line 3)",
    ),
    "date-not-a-date": (
        "---\ntitle: X\ndate: 1\n---\n",
        3,
        "the date in the front matter is not a YYYY-MM-DD date: 1",
    ),
    "date-quoted-impossible": (
        "---\ntitle: X\ndate: '2023-13-45'\n---\n",
        3,
        "the date in the front matter is not a YYYY-MM-DD date: '2023-13-45'",
    ),
    "date-impossible": (
        "---\ntitle: X\nslug: x\ndate: 2023-13-45\n---\n",
        4,
        "invalid value in the front matter: month must be in 1..12",
    ),
    "date-year-zero": (
        "---\ntitle: X\nslug: x\ndate: 0000-01-01\n---\n",
        4,
        "invalid value in the front matter: year 0 is out of range",
    ),
    "number-of-5000-digits": (
        "---\ntitle: X\nslug: " + "9" * 5000 + "\n---\n",
        3,
        "invalid value in the front matter: a number with thousands of digits",
    ),
    "nested-too-deeply": (
        "---\ntitle: X\nslug: x\ntags: " + "[" * 5000 + "]" * 5000 + "\n---\n",
        4,
        "invalid value in the front matter: nested too deeply",
    ),
    "slug-without-ascii": (
        "---\ntitle: X\nslug: 日本語\n---\n",
        3,
        "the slug in the front matter has no letter or digit usable in a web address: "
        "'日本語' (use a-z, 0-9 and hyphens)",
    ),
    "slug-only-dots": (
        "---\ntitle: X\nslug: '...'\n---\n",
        3,
        "the slug in the front matter has no letter or digit usable in a web address: "
        "'...' (use a-z, 0-9 and hyphens)",
    ),
    "python-object-tag": (
        "---\ntitle: !!python/object/apply:os.system ['true']\n---\n",
        2,
        "invalid YAML in the front matter",
    ),
}


@pytest.mark.parametrize("case", FRONT_MATTER_CASES)
def test_import_bad_front_matter_points_at_its_line(reference_event, write, case):
    front_matter, line, message = FRONT_MATTER_CASES[case]
    [(found_line, found_message)] = refusal(write(post(session("Talk"), front_matter=front_matter)))
    assert found_line == line
    assert found_message.startswith(message)


def test_import_yaml_alias_bomb_in_tags_is_harmless(db, write):
    """A billion laughs: aliases are shared references, and tags keep strings only."""
    levels = "".join(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 10))
    front_matter = (
        "---\ntitle: Bomb Roundup\nslug: bomb\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol]\n"
        + levels
        + "tags: *a9\nauthors: *a9\n---\n\n"
    )
    run(write(post(session("Talk"), front_matter=front_matter)))
    assert list(Event.objects.values_list("slug", flat=True)) == ["bomb"]


def test_import_weird_yaml_types_for_tags_and_authors_import(db, write):
    front_matter = (
        "---\ntitle: Odd Types Roundup\nslug: odd\ntags: [[a, b], {c: d}, 1.5, null, true]\n"
        "authors: {a: b}\n---\n\n"
    )
    run(write(post(session("Talk"), front_matter=front_matter)))
    assert list(Event.objects.values_list("name", flat=True)) == ["Odd Types"]


def test_import_slug_with_slashes_and_dots_is_slugified(db, write):
    front_matter = "---\ntitle: X Roundup\nslug: ../../etc/Passwd.Ä/ü\n---\n\n"
    run(write(post(session("Talk"), front_matter=front_matter)))
    assert list(Event.objects.values_list("slug", flat=True)) == ["etcpasswdau"]


# Day headings ----------------------------------------------------------------------------------

DAY_CASES = {
    "day-zero": ("## Day 0 Sessions\n\n", "'Day 0 Sessions'"),
    "day-minus-one": ("## Day -1 Sessions\n\n", "'Day -1 Sessions'"),
    "day-unicode-minus": ("## Day \u22121\n\n", "'Day \u22121'"),
    "day-101": ("## Day 101\n\n", "'Day 101'"),
    "day-huge": ("## Day 99999999999 Sessions\n\n", "'Day 99999999999 Sessions'"),
    "day-5000-digits": ("## Day " + "9" * 5000 + "\n\n", "'Day " + "9" * 55 + "\u2026'"),
}


@pytest.mark.parametrize("case", DAY_CASES)
def test_import_day_number_out_of_range_refused_at_its_heading(reference_event, write, case):
    """Without the check these sessions went silently to day 1 (or to the day above)."""
    day, label = DAY_CASES[case]
    path = write(post(session("First Talk"), day=DAY + session("Early Talk") + day))
    heading_line = post(day=DAY + session("Early Talk")).count("\n") + 1
    assert refusal(path) == [(heading_line, f"days are numbered from 1 to 100: {label}")]


def test_import_day_zero_in_a_title_is_not_a_day_heading(db, write):
    run(write(post(session("Day 0 Operations With Kubernetes"))))
    assert list(Session.objects.values_list("title", "day")) == [
        ("Day 0 Operations With Kubernetes", 1)
    ]


def test_import_sessions_before_any_day_heading_go_to_day_one(db, write):
    early = session("Early Talk", "[Ann Lee](https://www.linkedin.com/in/annlee/)")
    run(write(post(session("Late Talk"), day=early + "## Day 2 Sessions\n\n")))
    assert list(Session.objects.values_list("title", "day")) == [
        ("Early Talk", 1),
        ("Late Talk", 2),
    ]


# Numbers and lengths ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("intro", "message"),
    [
        (
            "It hosted " + "9" * 5000 + " attendees.\n\n",
            "attendee count is not a believable number",
        ),
        (
            "People came from " + "9" * 30 + " countries.\n\n",
            "country count is not a believable number",
        ),
    ],
)
def test_import_absurd_counts_refused_at_their_line(reference_event, write, intro, message):
    """int() of 5,000 digits raised ValueError (a traceback) before the check."""
    assert refusal(write(post(session("Talk"), intro=INTRO + intro))) == [(8, message)]


def test_import_count_over_the_integer_column_refused_by_validation(reference_event, write):
    [(line, message)] = refusal(
        write(post(session("Talk"), intro=INTRO + "It hosted 99999999999 attendees.\n\n"))
    )
    assert line == 8
    assert message.startswith("event attendee_count: ")


LINKEDIN = "https://www.linkedin.com/in/janedoe/"
TOO_LONG = {
    # What PostgreSQL would refuse with DataError (SQLite stores it): validation names the line.
    "session-title": (session("T" * 400), 10, "session title: "),
    "session-title-of-words": (session(" ".join(["Word"] * 200)), 10, "session title: "),
    "speaker-name": (session("Talk", f"[Jane {'Doe' * 200}]({LINKEDIN})"), 10, "speaker 'Jane Doe"),
    "speaker-company": (
        session("Talk", f"[Jane Doe]({LINKEDIN}) ({'Acme' * 100})"),
        10,
        "speaker 'Jane Doe' company: ",
    ),
    "profile-url": (
        session("Talk", f"[Jane Doe]({LINKEDIN}{'x' * 600}/)"),
        10,
        "profile link of 'Jane Doe' url: ",
    ),
    "agenda-table-title": (
        "| Time | Session | Speaker |\n|---|---|---|\n| 09:00 | " + "x" * 500 + " | Ann Lee |\n",
        12,  # the row
        "session title: ",
    ),
}


@pytest.mark.parametrize("case", TOO_LONG)
def test_import_value_too_long_for_its_column_refused_at_its_line(reference_event, write, case):
    text, line, message = TOO_LONG[case]
    [(found_line, found)] = refusal(write(post(text)))
    assert found_line == line
    assert found.startswith(message)
    assert "at most" in found


@pytest.mark.parametrize(
    ("intro", "line", "message"),
    [
        (
            "Thanks to our sponsors [" + "Sponsor" * 50 + "](https://sponsor.example/).\n\n",
            8,
            "sponsor 'Sponsor",
        ),
        (
            "Thanks to our sponsors [Acme](https://sponsor.example/" + "a" * 500 + ").\n\n",
            8,
            "sponsor 'Acme' website: ",
        ),
        (
            "Visit the [Hostile Conference](https://h.example/" + "a" * 500 + ").\n\n",
            8,
            "event website: ",
        ),
    ],
)
def test_import_too_long_intro_value_refused_at_its_line(
    reference_event, write, intro, line, message
):
    [(found_line, found)] = refusal(write(post(session("Talk"), intro=INTRO + intro)))
    assert found_line == line
    assert found.startswith(message)


def test_import_event_title_too_long_refused_at_the_title_line(reference_event, write):
    front_matter = f"---\nslug: long\ntitle: {'Conference ' * 60}\n---\n\n"
    [(line, message)] = refusal(write(post(session("Talk"), front_matter=front_matter)))
    assert line == 3
    assert message.startswith("event name: ")


def test_import_very_long_slug_is_cut_to_the_column(db, write):
    front_matter = f"---\ntitle: Long Slug Roundup\nslug: {'s' * 400}\n---\n\n"
    run(write(post(session("T" * 290), front_matter=front_matter)))
    assert list(Event.objects.values_list("slug", flat=True)) == ["s" * 200]
    assert [len(slug) for slug in Session.objects.values_list("slug", flat=True)] == [190]


# Odd characters --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Bad\x01\x07\x1b[31mTitle\x7f",
        "Escape &#27;[31m Entity",
        "NUL &#0; and &#x0; entity",
        "Surrogate &#xD800; and &#1114112; and &#99999999999;",
    ],
    ids=["raw-controls", "escape-entity", "nul-entity", "impossible-code-points"],
)
def test_import_control_characters_in_title_import_clean_or_are_refused(
    reference_event, write, title
):
    """PostgreSQL refuses NUL in text; controls break terminals and XML feeds."""
    path = write(post(session(title)))
    before = dump()
    try:
        run(path)
    except CommandError as error:
        assert re.fullmatch(rf"{re.escape(str(path))}:10: \S.*", str(error).split("\n")[1])
        assert dump() == before
        return
    [stored] = Session.objects.filter(event__slug="hostile").values_list("title", flat=True)
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", stored), stored


def test_import_right_to_left_override_in_names_imports(db, write):
    run(write(post(session("\u202eevil\u202c Talk", f"[\u202eJane Doe]({LINKEDIN})"))))
    assert Session.objects.count() == 1


# Slugs of sessions -----------------------------------------------------------------------------


def test_import_titles_with_the_same_slug_get_distinct_slugs(db, write):
    """ "Hello, World!" after "Hello World" became "hello-world-2", which a later session titled
    "hello-world-2" also got: the import failed on the unique (event, slug) constraint."""
    path = write(
        post(
            session("Hello World"),
            session("Hello, World!", "[Ann Lee](https://www.linkedin.com/in/annlee/)"),
            session("hello-world-2", "[Bob Ray](https://www.linkedin.com/in/bobray/)"),
            session("Hello World", "[Cy Twombly](https://www.linkedin.com/in/cy/)"),
        )
    )
    run(path)
    assert list(Session.objects.order_by("position").values_list("slug", flat=True)) == [
        "hello-world",
        "hello-world-2",
        "hello-world-2-2",
        "hello-world-3",
    ]
    run(path)  # a second import finds every session again by its slug
    assert Session.objects.count() == 4


def test_import_titles_without_letters_get_session_slugs(db, write):
    path = write(
        post(
            session("\U0001f389\U0001f389"),
            session("!!!", "[Ann Lee](https://www.linkedin.com/in/annlee/)"),
            session("Session", "[Bob Ray](https://www.linkedin.com/in/bobray/)"),
        )
    )
    run(path)
    assert list(Session.objects.order_by("position").values_list("slug", flat=True)) == [
        "session",
        "session-2",
        "session-3",
    ]


# Speakers --------------------------------------------------------------------------------------


def test_import_names_differing_by_case_and_accents_are_one_speaker(db, write):
    run(
        write(
            post(
                session("A", "José Núñez"),
                session("B", "jose nunez"),
                session("C", "JOSÉ NÚÑEZ"),
            )
        )
    )
    assert list(Speaker.objects.values_list("name", flat=True)) == ["José Núñez"]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "javascript://www.linkedin.com/in/x/%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
    ],
)
def test_import_script_speaker_url_never_becomes_a_link(db, write, client, url):
    run(write(post(session("Talk", f"[Jane Doe]({url})"))))
    assert ProfileLink.objects.count() == 0
    assert_page_safe(client, Event.objects.get().get_absolute_url())


def test_import_one_profile_url_for_two_names_is_one_speaker(db, write):
    run(
        write(
            post(
                session("Talk", f"[Jane Doe]({LINKEDIN})"),
                session("Talk Two", f"[John Smith]({LINKEDIN})"),
            )
        )
    )
    assert list(Speaker.objects.values_list("name", flat=True)) == ["Jane Doe"]


def test_import_three_hundred_speakers_on_one_session(db, write):
    people = ", ".join(
        f"[Person Number{chr(65 + i % 26)}{chr(65 + i // 26)}](https://www.linkedin.com/in/p{i}/)"
        for i in range(300)
    )
    run(write(post(session("Talk", people))))
    assert Session.objects.get().speakers.count() == 300


# Several files, re-imports ---------------------------------------------------------------------


def test_import_same_file_twice_on_one_command_line(db, write):
    path = write(post(session("Talk")))
    run(path, path)
    assert list(Session.objects.values_list("title", flat=True)) == ["Talk"]


def test_import_two_files_with_the_same_slug_in_one_command_refuses_the_second(db, write):
    first = write(post(session("First Talk")), name="first.md")
    second = write(post(session("Second Talk")), name="second.md")
    with pytest.raises(CommandError) as error:
        run(first, second)
    assert f"{second}:3: slug 'hostile' is also the slug of {first}, imported just before" in (
        str(error.value)
    )
    assert list(Session.objects.values_list("title", flat=True)) == ["First Talk"]


def test_import_post_without_sessions_over_an_event_with_sessions_refused(db, write):
    path = write(post(session("Talk"), session("Other")))
    run(path)
    before = dump()
    path.write_text(post(), encoding="utf-8")

    with pytest.raises(CommandError) as error:
        run(path)

    assert f"{path}:1: the post lists no sessions: importing it would delete all 2 sessions" in (
        str(error.value)
    )
    assert dump() == before


def test_import_changed_post_updates_in_place(db, write):
    path = write(
        post(session("Talk"), session("Other", "[Ann Lee](https://www.linkedin.com/in/annlee/)"))
    )
    run(path)
    path.write_text(post(session("Talk", text="Revised.")), encoding="utf-8")
    run(path)
    assert list(Session.objects.values_list("title", "description")) == [("Talk", "Revised.")]


def test_import_failed_reimport_keeps_the_previous_import(db, write):
    path = write(post(session("Talk")))
    run(path)
    path.write_text(post(session("Talk"), session("T" * 400)), encoding="utf-8")
    before = dump()
    with pytest.raises(CommandError):
        run(path)
    assert dump() == before


def test_import_windows_and_old_mac_line_endings(db, write):
    text = post(session("Talk", text="Line one.\nLine two."))
    for name, newline in (("crlf.md", "\r\n"), ("cr.md", "\r")):
        run(write(text.replace("\n", newline), name=name))
        assert list(Session.objects.values_list("title", "description")) == [
            ("Talk", "Line one.\nLine two.")
        ]


# Rendering -------------------------------------------------------------------------------------


class ScriptFinder(HTMLParser):
    """Collects what could run a script: inline or foreign scripts, handlers, script URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            script_url = value and re.match(r"\s*(?:javascript|vbscript|data):", value, re.I)
            if script_url and not (tag == "img" and value.startswith("data:image/")):
                self.found.append(f"<{tag} {name}={value[:40]!r}>")
        if tag == "script":
            is_data = values.get("type") == "application/ld+json"
            if not is_data and not (values.get("src") or "").startswith("/static/"):
                self.found.append(f"<script {values}>")
        if tag in ("object", "embed", "base") or (tag == "iframe" and values.get("src")):
            self.found.append(f"<{tag}>")


def assert_page_safe(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    finder = ScriptFinder()
    finder.feed(html)
    assert finder.found == []
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        assert "<" not in block


XSS = [
    "<script>alert(1)</script><img src=x onerror=alert(2)>",
    'Talk <a href="javascript:alert(3)">click</a>',
    "x](javascript:alert(1))",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "</script><script>alert(1)</script>",
]
XSS_DESCRIPTION = (
    "<script>alert(4)</script>\n\n[click](javascript:alert(5))\n\n<img src=x onerror=alert(6)>\n\n"
    '<a href="javascript:alert(7)">x</a>\n\n<svg onload=alert(8)>\n\n'
    "<iframe srcdoc='<script>alert(9)</script>'></iframe>\n\n"
    '[x](<javascript:alert(10)>)\n\n<a href="jav&#x09;ascript:alert(11)">y</a>'
)


def test_import_script_in_titles_and_descriptions_renders_inert(db, write, client):
    speakers = ["Ann Lee", "Bob Ray", "Cy Twombly", "Di Fox", "Ed Wood"]
    sessions = [
        session(title, f"[{name}](https://www.linkedin.com/in/{name.split()[0].lower()}/)")
        for title, name in zip(XSS, speakers, strict=True)
    ]
    sessions.append(session("Described", text=XSS_DESCRIPTION))
    intro = "<script>alert('intro')</script>[x](javascript:alert(1)) " + INTRO
    run(write(post(*sessions, intro=intro)), skip_unsupported=True)  # the srcdoc iframe
    event = Event.objects.get()
    assert event.sessions.count() == 6
    assert_page_safe(client, event.get_absolute_url())
    for item in event.sessions.all():
        assert_page_safe(client, item.get_absolute_url())
    for speaker in Speaker.objects.all():
        assert_page_safe(client, speaker.get_absolute_url())


def test_import_deeply_nested_description_renders(db, write, client):
    description = (
        "> " * 5000 + "deep\n\n"
        + "".join("  " * depth + "- item\n" for depth in range(2000))
        + "\n" + "[" * 5000 + "\n\n" + "*" * 20000 + "x" + "*" * 20000 + "\n\n" + "<div>" * 20000
    )  # fmt: skip
    run(write(post(session("Deep", text=description))))
    event = Event.objects.get()
    assert_page_safe(client, event.get_absolute_url())
    assert_page_safe(client, event.sessions.get().get_absolute_url())


def test_import_thousands_of_sessions(db, write):
    """5,000 took 89 s on SQLite (the load step, not the parser): 500 keeps the suite quick."""
    sessions = [f"### Talk number {index}, Ann Lee\n\nText.\n\n" for index in range(500)]
    run(write(post(*sessions)))
    assert Session.objects.count() == 500
    assert Speaker.objects.count() == 1


# Time ------------------------------------------------------------------------------------------


def parse_cpu_seconds(text, runs=2):
    """The least processor time (not wall-clock time: a loaded machine waits, it does not
    compute more) of parsing ``text``."""
    best = None
    for _ in range(runs):
        started = time.process_time()
        parse(text, filename="post.md")
        spent = time.process_time() - started
        best = spent if best is None else min(best, spent)
    return best


@pytest.mark.parametrize(
    "unit",
    [
        "<p><strong>x</strong>",  # cubic: 1,000 of them took over 40 s
        "<!--",  # quadratic: each unclosed comment scanned to the end of the post
        "<h3>",
        "<h3>x",
        "<iframe ",
        '<a href="x">y',
        "<a href='",
        "<a ",
        "<img ",
        "<p ",  # Python's HTMLParser: quadratic on unclosed start tags (before 3.13.4)
        "<div ",
        "<p><!--",
        "<p><a href=x",
    ],
)
def test_parse_thousands_of_unclosed_tags_in_linear_time(unit):
    """Ten times the input costs about ten times the work: a quadratic parser costs a hundred
    times. Both sizes are measured on the same machine at the same moment, so the ratio does
    not depend on its load."""
    small = parse_cpu_seconds(post(session("Talk")) + unit * 4_000)
    large = parse_cpu_seconds(post(session("Talk")) + unit * 40_000)
    assert large < 30 * max(small, 0.001)


def test_import_path_with_nul_character_refused(reference_event, tmp_path):
    """Only call_command can pass one (argv cannot): os.open raised ValueError."""
    path = f"{tmp_path}/post\x00.md"
    assert refusal(path) == [(1, "the path contains a NUL character")]


def test_import_path_name_too_long_refused(reference_event, tmp_path):
    [(line, message)] = refusal(tmp_path / ("x" * 300 + ".md"))
    assert (line, message) == (1, "cannot read the file: File name too long")
