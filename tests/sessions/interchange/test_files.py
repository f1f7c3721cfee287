"""Reading a file from outside: size cap, binary files, decoding."""

import pytest

from sessions.interchange.document import SourceError
from sessions.interchange.files import MAX_BYTES, read_text


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (b"---\ntitle: X\n---\n\x00\x01\x02", 4, "NUL bytes"),
        (b"---\ntitle: caf\xe9\n---\n", 2, "not UTF-8"),
    ],
)
def test_read_text_binary_raises_with_line(tmp_path, content, line, message):
    path = tmp_path / "post.md"
    path.write_bytes(content)
    with pytest.raises(SourceError) as excinfo:
        read_text(path)
    assert (excinfo.value.line, message in excinfo.value.message) == (line, True)


def test_read_text_refuses_missing_directory_and_large_files(tmp_path):
    big = tmp_path / "big.md"
    big.write_bytes(b"a" * (MAX_BYTES + 1))
    for path, message in (
        (tmp_path / "missing.md", "no such file"),
        (tmp_path, "is a directory"),
        (big, "larger than 5 MB"),
    ):
        with pytest.raises(SourceError) as excinfo:
            read_text(path)
        assert (excinfo.value.line, message in excinfo.value.message) == (1, True)
