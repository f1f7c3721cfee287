"""The URL normaliser on tables of what organisers paste, accepted and rejected."""

import pytest
from django.core.exceptions import ValidationError

from sessions.embeds import embed_url, parse_slides, parse_video

VIDEO_ID = "cCNCmJxxEPA"
CANONICAL_VIDEO = f"https://www.youtube.com/watch?v={VIDEO_ID}"

ACCEPTED_VIDEOS = [
    f"https://www.youtube.com/watch?v={VIDEO_ID}",
    f"https://youtube.com/watch?v={VIDEO_ID}&t=4s",
    f"http://www.youtube.com/watch?feature=share&v={VIDEO_ID}",
    f"https://m.youtube.com/watch?v={VIDEO_ID}&list=PL123",
    f"https://youtu.be/{VIDEO_ID}",
    f"https://youtu.be/{VIDEO_ID}?si=4gDlygRMvxFkKtpf9&t=12",
    f"https://www.youtube.com/embed/{VIDEO_ID}",
    f"https://www.youtube.com/embed/{VIDEO_ID}?si=4gDlygRMvxFkKtpf9&amp;controls=0",
    f"https://www.youtube-nocookie.com/embed/{VIDEO_ID}?rel=0",
    f"https://youtube-nocookie.com/embed/{VIDEO_ID}",
    f"https://www.youtube.com/shorts/{VIDEO_ID}",
    f"https://www.youtube.com/live/{VIDEO_ID}?feature=shared",
    f"https://www.youtube.com/v/{VIDEO_ID}",
    f"//www.youtube.com/embed/{VIDEO_ID}",
    f"www.youtube.com/watch?v={VIDEO_ID}",
    f"  https://youtu.be/{VIDEO_ID}  \n",
    f'<iframe width="640" height="315" src="https://www.youtube.com/embed/{VIDEO_ID}'
    '?si=4gDlygRMvxFkKtpf9&amp;controls=0" title="YouTube video player" frameborder="0" '
    'allow="accelerometer; autoplay" allowfullscreen></iframe>',
    f"<iframe src='https://www.youtube-nocookie.com/embed/{VIDEO_ID}?a=1&b=2'></iframe>",
    f'<IFRAME SRC="https://youtu.be/{VIDEO_ID}">',
]


@pytest.mark.parametrize("pasted", ACCEPTED_VIDEOS)
def test_parse_video_accepts_common_youtube_forms(pasted):
    ref = parse_video(pasted)

    assert (ref.provider, ref.key, ref.url) == ("youtube", VIDEO_ID, CANONICAL_VIDEO)
    assert ref.embed_url == f"https://www.youtube-nocookie.com/embed/{VIDEO_ID}"


REJECTED_VIDEOS = [
    ("", "empty"),
    ("   ", "empty"),
    ("not a url at all", "not_a_url"),
    ("https://vimeo.com/123456789", "unsupported"),
    (f"https://youtube.com.evil.example/watch?v={VIDEO_ID}", "unsupported"),
    (f"https://evil.example/?u=https://www.youtube.com/watch?v={VIDEO_ID}", "unsupported"),
    (f"https://www.youtube.com@evil.example/watch?v={VIDEO_ID}", "host"),
    (f"https://www.y\u043eutube.com/watch?v={VIDEO_ID}", "unsupported"),
    (f"https://xn--ytube-xye.com/watch?v={VIDEO_ID}", "unsupported"),
    (f"https://user@www.youtube.com/watch?v={VIDEO_ID}", "host"),
    (f"https://www.youtube.com:8080/watch?v={VIDEO_ID}", "host"),
    (f"javascript:alert('{VIDEO_ID}')", "scheme"),
    (f"ftp://www.youtube.com/watch?v={VIDEO_ID}", "scheme"),
    ("https://www.youtube.com/watch?v=short", "youtube_id"),
    ("https://www.youtube.com/watch?v=cCNCmJxxEPA<script>", "youtube_id"),
    ("https://www.youtube.com/channel/UCabcdefghijk", "youtube_id"),
    ("https://www.youtube.com/@ApacheCloudStack", "youtube_id"),
    ("https://www.youtube.com/playlist?list=PLabc", "youtube_id"),
    ("https://youtu.be/", "youtube_id"),
    ("<iframe></iframe>", "no_src"),
    ("https://[x/watch?v=cCNCmJxxEPA", "malformed"),
    ("https://www.youtube.com:port/watch?v=cCNCmJxxEPA", "malformed"),
    ('<iframe src="https://player.vimeo.com/video/1"></iframe>', "unsupported"),
    ("<script>alert(1)</script>", "no_src"),
    ("https://www.youtube.com/watch?v=" + "a" * 5000, "too_long"),
]


@pytest.mark.parametrize(("pasted", "code"), REJECTED_VIDEOS)
def test_parse_video_rejects_everything_else_with_a_message(pasted, code):
    with pytest.raises(ValidationError) as error:
        parse_video(pasted)

    assert error.value.code == code
    assert error.value.messages[0]


def test_parse_video_unsupported_message_names_the_supported_providers():
    with pytest.raises(ValidationError) as error:
        parse_video("https://vimeo.com/123456789")

    assert error.value.messages == ["This is not a supported video link. Supported: YouTube."]


SLIDESHARE_KEY = "hH2CO8kHcQaCQo"
CANONICAL_SLIDES = f"https://www.slideshare.net/slideshow/embed_code/key/{SLIDESHARE_KEY}"

ACCEPTED_SLIDES = [
    (CANONICAL_SLIDES, SLIDESHARE_KEY, CANONICAL_SLIDES),
    (
        f"https://www.slideshare.net/slideshow/embed_code/key/{SLIDESHARE_KEY}"
        "?hostedIn=slideshare&amp;page=upload",
        SLIDESHARE_KEY,
        CANONICAL_SLIDES,
    ),
    (f"//www.slideshare.net/slideshow/embed_code/key/{SLIDESHARE_KEY}", SLIDESHARE_KEY, None),
    (f"https://slideshare.net/slideshow/embed_code/key/{SLIDESHARE_KEY}/", SLIDESHARE_KEY, None),
    (
        f'<iframe src="https://www.slideshare.net/slideshow/embed_code/key/{SLIDESHARE_KEY}'
        '?hostedIn=slideshare&page=upload" width="640" height="480" frameborder="0" '
        'allowfullscreen="allowfullscreen"> </iframe>',
        SLIDESHARE_KEY,
        CANONICAL_SLIDES,
    ),
    (
        "https://www.slideshare.net/slideshow/embed_code/33275731",
        "33275731",
        "https://www.slideshare.net/slideshow/embed_code/33275731",
    ),
    (
        "https://www.slideshare.net/slideshow/whats-new-in-cloudstack-419/263817204",
        "263817204",
        "https://www.slideshare.net/slideshow/embed_code/263817204",
    ),
    (
        "https://www.slideshare.net/ShapeBlue/state-of-the-union-ccc2023",
        "ShapeBlue/state-of-the-union-ccc2023",
        "https://www.slideshare.net/ShapeBlue/state-of-the-union-ccc2023",
    ),
    (
        "https://de.slideshare.net/ShapeBlue/state-of-the-union-ccc2023?from_search=1",
        "ShapeBlue/state-of-the-union-ccc2023",
        "https://www.slideshare.net/ShapeBlue/state-of-the-union-ccc2023",
    ),
]


@pytest.mark.parametrize(("pasted", "key", "url"), ACCEPTED_SLIDES)
def test_parse_slides_accepts_embed_and_slideshow_urls(pasted, key, url):
    ref = parse_slides(pasted)

    assert (ref.provider, ref.key) == ("slideshare", key)
    assert ref.url == (url or CANONICAL_SLIDES)


REJECTED_SLIDES = [
    ("https://www.slideshare.net/", "slideshare_key"),
    ("https://www.slideshare.net/ShapeBlue", "slideshare_key"),
    ("https://www.slideshare.net/search?q=cloudstack", "slideshare_key"),
    ("https://www.slideshare.net/slideshow/embed_code/key/bad!key", "slideshare_key"),
    ("https://www.slideshare.net/slideshow/embed_code/notanumber", "slideshare_key"),
    (
        f"https://slideshare.net.evil.example/slideshow/embed_code/key/{SLIDESHARE_KEY}",
        "unsupported",
    ),
    (f"https://evilslideshare.net/slideshow/embed_code/key/{SLIDESHARE_KEY}", "unsupported"),
    ("https://speakerdeck.com/someone/some-talk", "unsupported"),
    (f"data:text/html,{SLIDESHARE_KEY}", "scheme"),
    ("https://www.youtube.com/watch?v=cCNCmJxxEPA", "unsupported"),
]


@pytest.mark.parametrize(("pasted", "code"), REJECTED_SLIDES)
def test_parse_slides_rejects_everything_else(pasted, code):
    with pytest.raises(ValidationError) as error:
        parse_slides(pasted)

    assert error.value.code == code


def test_embed_url_of_slideshare_keys_numeric_ids_and_pages():
    assert embed_url("slideshare", SLIDESHARE_KEY) == CANONICAL_SLIDES
    assert embed_url("slideshare", "33275731") == (
        "https://www.slideshare.net/slideshow/embed_code/33275731"
    )
    assert embed_url("slideshare", "ShapeBlue/some-deck") == ""
    assert embed_url("vimeo", "123") == ""
