"""The neutral document: origins, the one error type, media identity, the readers' registry."""

from sessions.interchange.document import MediaItem, Origin, SourceError
from sessions.interchange.readers import READERS, roundup


def test_origin_reads_as_a_line_an_xpath_or_a_json_pointer():
    assert [
        str(Origin(line=37)),
        str(Origin(xpath="/schedule/day[2]/room/event[3]")),
        str(Origin(pointer="/schedule/conference/days/1")),
        str(Origin()),
    ] == [
        "line 37",
        "/schedule/day[2]/room/event[3]",
        "/schedule/conference/days/1",
        "the start of the file",
    ]


def test_source_error_says_where_and_what():
    error = SourceError(Origin(line=12), "session heading has no title")
    assert (str(error), error.line, error.message) == (
        "line 12: session heading has no title",
        12,
        "session heading has no title",
    )
    assert SourceError(Origin(pointer="/title"), "no title").line == 1


def test_vimeo_page_and_unlisted_player_are_one_video_keeping_the_hash():
    page = MediaItem("vimeo", "76979871", "https://vimeo.com/76979871", Origin(line=3))
    player = MediaItem("vimeo", "76979871/abc123", "https://vimeo.com/76979871/abc123", Origin(9))
    assert (page.is_same(player), page.merged(player)) == (
        True,
        MediaItem("vimeo", "76979871/abc123", "https://vimeo.com/76979871/abc123", Origin(line=3)),
    )


def test_readers_are_named_by_format():
    # Each reader's own tests check its entry; this one the roundup's.
    assert READERS["roundup"] is roundup.read
