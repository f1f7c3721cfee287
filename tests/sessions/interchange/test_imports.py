"""The import policy of a batch of files, as the command and the admin share it."""

import pytest

from sessions.interchange.document import Origin
from sessions.interchange.imports import FileNotImported, ImportBatch, located
from tests.sessions.interchange.test_hostile_files import post, session

DAILYMOTION = '<iframe src="https://www.dailymotion.com/embed/video/x7tgad0"></iframe>\n\n'


@pytest.mark.django_db
def test_batch_refuses_a_second_file_claiming_the_same_slug(tmp_path):
    first, second = tmp_path / "first.md", tmp_path / "second.md"
    first.write_text(post(session("First Talk")), encoding="utf-8")
    second.write_text(post(session("Other Talk")), encoding="utf-8")
    batch = ImportBatch()
    batch.import_file(first)

    with pytest.raises(FileNotImported) as refused:
        batch.import_file(second)

    message = (
        f"slug 'hostile' is also the slug of {first}, imported just before: "
        "give one of them another slug"
    )
    assert refused.value.problems == [(Origin(line=3), message)]


@pytest.mark.django_db
def test_batch_skipping_unsupported_embeds_lists_them_as_notices(tmp_path):
    path = tmp_path / "post.md"
    path.write_text(post(session("First Talk", text="About it.\n\n" + DAILYMOTION)), "utf-8")

    result = ImportBatch(skip_unsupported=True).import_file(path)

    assert [located(path, *notice) for notice in result.notices] == [
        f"{path}:14: skipped unsupported embed from dailymotion.com"
    ]
    assert result.report.sessions_created == 1
