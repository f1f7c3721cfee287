import pytest


@pytest.fixture
def write_post(tmp_path):
    """Write a roundup post's text to a file; return its path."""

    def write_post(content):
        path = tmp_path / "post.md"
        path.write_text(content, encoding="utf-8")
        return path

    return write_post
