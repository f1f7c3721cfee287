"""The provider table: what organisers paste, accepted and rejected, and a provider added."""

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import get_template

from sessions.models import Recording
from sessions.providers import (
    PROVIDERS,
    MediaRef,
    SlidesProvider,
    VideoProvider,
    embed_url,
    parse_slides,
    parse_video,
    player_origins,
)
from sessions.templatetags.embeds import media_embed
from tests.factories import RecordingFactory, SessionFactory
from tests.sessions.clipshare import CLIPSHARE, TEMPLATE, register

PEERTUBE_INSTANCE = "videos.example.org"
UNSUPPORTED_VIDEO = (
    "This is not a supported video link. "
    "Supported: Video file, YouTube, Vimeo, PeerTube, media.ccc.de."
)


@pytest.fixture(autouse=True)
def peertube_instance(settings):
    """One PeerTube instance is trusted: videos from any other host running PeerTube are not."""
    settings.PEERTUBE_INSTANCES = [PEERTUBE_INSTANCE, "Tube.Example.NET"]


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
    assert embed_url(ref.provider, ref.key) == f"https://www.youtube-nocookie.com/embed/{VIDEO_ID}"


REJECTED_VIDEOS = [
    ("", "empty"),
    ("   ", "empty"),
    ("not a url at all", "not_a_url"),
    ("https://www.dailymotion.com/video/x8abcde", "unsupported"),
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
    ('<iframe src="https://www.dailymotion.com/embed/video/x8abcde"></iframe>', "unsupported"),
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
        parse_video("https://www.dailymotion.com/video/x8abcde")

    assert error.value.messages == [UNSUPPORTED_VIDEO]


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
    ("https://www.scribd.com/document/123456/some-talk", "unsupported"),
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
    assert embed_url("dailymotion", "x8abcde") == ""


VIMEO_ID = "76979871"
VIMEO_HASH = "8272103f6e"

ACCEPTED_VIMEO = [
    (f"https://vimeo.com/{VIMEO_ID}", VIMEO_ID),
    (f"https://www.vimeo.com/{VIMEO_ID}?share=copy", VIMEO_ID),
    (f"vimeo.com/{VIMEO_ID}", VIMEO_ID),
    (f"https://vimeo.com/channels/staffpicks/{VIMEO_ID}", VIMEO_ID),
    (f"https://player.vimeo.com/video/{VIMEO_ID}", VIMEO_ID),
    (f"https://player.vimeo.com/video/{VIMEO_ID}?badge=0&amp;autopause=0", VIMEO_ID),
    (
        f'<iframe src="https://player.vimeo.com/video/{VIMEO_ID}?h={VIMEO_HASH}" width="640" '
        'frameborder="0" allow="autoplay; fullscreen"></iframe>',
        f"{VIMEO_ID}/{VIMEO_HASH}",
    ),
    (f"https://vimeo.com/{VIMEO_ID}/{VIMEO_HASH}", f"{VIMEO_ID}/{VIMEO_HASH}"),
]


@pytest.mark.parametrize(("pasted", "key"), ACCEPTED_VIMEO)
def test_parse_video_accepts_vimeo_pages_and_players(pasted, key):
    ref = parse_video(pasted)

    assert (ref.provider, ref.key, ref.url) == ("vimeo", key, f"https://vimeo.com/{key}")


def test_vimeo_embed_url_is_the_player_without_tracking():
    plain, unlisted = (
        parse_video(f"https://vimeo.com/{VIMEO_ID}"),
        parse_video(f"https://vimeo.com/{VIMEO_ID}/{VIMEO_HASH}"),
    )

    assert embed_url(plain.provider, plain.key) == (
        f"https://player.vimeo.com/video/{VIMEO_ID}?dnt=1"
    )
    assert embed_url(unlisted.provider, unlisted.key) == (
        f"https://player.vimeo.com/video/{VIMEO_ID}?h={VIMEO_HASH}&dnt=1"
    )


PEERTUBE_UUID = "9c9de5e8-0a1e-484a-b099-e80766180a6d"
PEERTUBE_SHORT = "kkGMgK9ZtnKfYAgnEtQxbv"

ACCEPTED_PEERTUBE = [
    (f"https://{PEERTUBE_INSTANCE}/w/{PEERTUBE_SHORT}", PEERTUBE_INSTANCE, PEERTUBE_SHORT),
    (f"https://{PEERTUBE_INSTANCE}/w/{PEERTUBE_SHORT}?start=1m", PEERTUBE_INSTANCE, PEERTUBE_SHORT),
    (f"https://{PEERTUBE_INSTANCE}/videos/watch/{PEERTUBE_UUID}", PEERTUBE_INSTANCE, PEERTUBE_UUID),
    (f"https://{PEERTUBE_INSTANCE}/videos/embed/{PEERTUBE_UUID}", PEERTUBE_INSTANCE, PEERTUBE_UUID),
    (
        f'<iframe title="Talk" width="560" height="315" src="https://{PEERTUBE_INSTANCE}'
        f'/videos/embed/{PEERTUBE_SHORT}" frameborder="0" allowfullscreen="" '
        'sandbox="allow-same-origin allow-scripts allow-popups allow-forms"></iframe>',
        PEERTUBE_INSTANCE,
        PEERTUBE_SHORT,
    ),
    (f"https://tube.example.net/w/{PEERTUBE_SHORT}", "tube.example.net", PEERTUBE_SHORT),
]


@pytest.mark.parametrize(("pasted", "host", "video_id"), ACCEPTED_PEERTUBE)
def test_parse_video_accepts_peertube_videos_of_configured_instances(pasted, host, video_id):
    ref = parse_video(pasted)

    assert (ref.provider, ref.key, ref.url) == (
        "peertube",
        f"{host}/{video_id}",
        f"https://{host}/w/{video_id}",
    )
    assert embed_url(ref.provider, ref.key) == f"https://{host}/videos/embed/{video_id}"


REJECTED_PEERTUBE = [
    (f"https://other.example.org/w/{PEERTUBE_SHORT}", "unsupported"),
    (f"https://{PEERTUBE_INSTANCE}.evil.example/w/{PEERTUBE_SHORT}", "unsupported"),
    (f"https://{PEERTUBE_INSTANCE}/w/", "peertube_id"),
    (f"https://{PEERTUBE_INSTANCE}/w/p/{PEERTUBE_SHORT}", "peertube_id"),  # a playlist
    (f"https://{PEERTUBE_INSTANCE}/c/some_channel/videos", "peertube_id"),
    (f"https://{PEERTUBE_INSTANCE}/videos/watch/not-a-uuid", "peertube_id"),
    (f"https://{PEERTUBE_INSTANCE}/w/{PEERTUBE_SHORT}0OIl", "peertube_id"),
    (f"https://{PEERTUBE_INSTANCE}:8443/w/{PEERTUBE_SHORT}", "host"),
]

REJECTED_VIMEO = [
    ("https://vimeo.com/", "vimeo_id"),
    ("https://vimeo.com/channels/staffpicks", "vimeo_id"),
    ("https://vimeo.com/user12345/videos", "vimeo_id"),
    ("https://vimeo.com/showcase/123/video/456/extra", "vimeo_id"),
    (f"https://player.vimeo.com/video/{VIMEO_ID}?h=<script>", "vimeo_id"),
    (f"https://vimeo.com.evil.example/{VIMEO_ID}", "unsupported"),
    (f"https://player.vimeo.com:8080/video/{VIMEO_ID}", "host"),
]


@pytest.mark.parametrize(("pasted", "code"), REJECTED_VIMEO + REJECTED_PEERTUBE)
def test_parse_video_rejects_other_vimeo_and_peertube_links(pasted, code):
    with pytest.raises(ValidationError) as error:
        parse_video(pasted)

    assert error.value.code == code


def test_peertube_instance_dropped_from_settings_is_no_longer_embedded(settings):
    ref = parse_video(f"https://{PEERTUBE_INSTANCE}/w/{PEERTUBE_SHORT}")
    settings.PEERTUBE_INSTANCES = []

    assert embed_url(ref.provider, ref.key) == ""
    with pytest.raises(ValidationError):
        parse_video(ref.url)


SPEAKERDECK_PLAYER_ID = "0f3b1f8a9c2d4e5fa1b2c3d4e5f60718"

ACCEPTED_SPEAKERDECK = [
    (
        "https://speakerdeck.com/someone/some-talk",
        "someone/some-talk",
        "https://speakerdeck.com/someone/some-talk",
        "",
    ),
    (
        "https://speakerdeck.com/some_one/Talk-2023?slide=4",
        "some_one/Talk-2023",
        "https://speakerdeck.com/some_one/Talk-2023",
        "",
    ),
    (
        f"https://speakerdeck.com/player/{SPEAKERDECK_PLAYER_ID}",
        SPEAKERDECK_PLAYER_ID,
        f"https://speakerdeck.com/player/{SPEAKERDECK_PLAYER_ID}",
        f"https://speakerdeck.com/player/{SPEAKERDECK_PLAYER_ID}",
    ),
    (
        f'<iframe class="speakerdeck-iframe" frameborder="0" src="https://speakerdeck.com/player/'
        f'{SPEAKERDECK_PLAYER_ID}" title="Talk" allowfullscreen="true"></iframe>',
        SPEAKERDECK_PLAYER_ID,
        f"https://speakerdeck.com/player/{SPEAKERDECK_PLAYER_ID}",
        f"https://speakerdeck.com/player/{SPEAKERDECK_PLAYER_ID}",
    ),
]


@pytest.mark.parametrize(("pasted", "key", "url", "embed"), ACCEPTED_SPEAKERDECK)
def test_parse_slides_accepts_speakerdeck_decks_and_players(pasted, key, url, embed):
    ref = parse_slides(pasted)

    assert (ref.provider, ref.key, ref.url, embed_url(ref.provider, ref.key)) == (
        "speakerdeck",
        key,
        url,
        embed,
    )


REJECTED_SPEAKERDECK = [
    ("https://speakerdeck.com/", "speakerdeck_key"),
    ("https://speakerdeck.com/someone", "speakerdeck_key"),
    ("https://speakerdeck.com/search?q=cloudstack", "speakerdeck_key"),
    ("https://speakerdeck.com/c/technology", "speakerdeck_key"),
    ("https://speakerdeck.com/player/not-hex", "speakerdeck_key"),
    ("https://speakerdeck.com/someone/some talk", "speakerdeck_key"),
    ("https://speakerdeck.com.evil.example/someone/some-talk", "unsupported"),
]


@pytest.mark.parametrize(("pasted", "code"), REJECTED_SPEAKERDECK)
def test_parse_slides_rejects_other_speakerdeck_links(pasted, code):
    with pytest.raises(ValidationError) as error:
        parse_slides(pasted)

    assert error.value.code == code


# --- What the table gives the rest of the site ---------------------------------------------------


def test_every_provider_has_its_poster_template():
    assert {
        value: get_template(p.template).origin.template_name for value, p in PROVIDERS.items()
    } == {value: f"includes/_embed_{value}.html" for value in PROVIDERS}


def test_model_choices_are_the_table_in_order():
    assert (VideoProvider.choices, SlidesProvider.choices) == (
        [
            ("videofile", "Video file"),
            ("youtube", "YouTube"),
            ("vimeo", "Vimeo"),
            ("peertube", "PeerTube"),
            ("mediaccc", "media.ccc.de"),
        ],
        [
            ("pdflink", "PDF file"),
            ("slideshare", "SlideShare"),
            ("speakerdeck", "Speaker Deck"),
            ("pdf", "Uploaded PDF"),
        ],
    )


def test_roundup_posts_embed_youtube_and_slideshare_players_and_link_the_rest():
    assert [(value, p.post_embed_src("KEY"), p.in_posts) for value, p in PROVIDERS.items()] == [
        ("videofile", None, True),
        ("youtube", "https://www.youtube.com/embed/KEY", True),
        ("vimeo", None, True),
        ("peertube", None, True),
        ("mediaccc", None, True),
        ("pdflink", None, True),
        ("slideshare", "https://www.slideshare.net/slideshow/embed_code/key/KEY", True),
        ("speakerdeck", None, True),
        ("pdf", None, False),
    ]
    assert PROVIDERS["slideshare"].post_embed_src("someone/deck") is None


def test_csp_frame_src_is_every_providers_player_host(settings):
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]

    assert directives["frame-src"] == player_origins({"PEERTUBE_INSTANCES": []})


# --- A provider added to the table -------------------------------------------------------------


@pytest.fixture
def clipshare(monkeypatch, settings, tmp_path):
    """ClipShare in the table, and its poster template in a template folder of its own."""
    clipshare_table = dict(PROVIDERS)
    register(clipshare_table)
    monkeypatch.setattr("sessions.providers.PROVIDERS", clipshare_table)
    (tmp_path / "includes").mkdir()
    (tmp_path / "includes" / "_embed_clipshare.html").write_text(TEMPLATE)
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return CLIPSHARE


def test_provider_added_to_the_table_is_recognised_in_links_and_embed_codes(clipshare):
    pasted = '<iframe src="https://clipshare.example/embed/c1ip"></iframe>'

    assert parse_video(pasted) == MediaRef("clipshare", "c1ip", "https://clipshare.example/v/c1ip")
    with pytest.raises(ValidationError) as error:
        parse_video("https://www.dailymotion.com/video/x8abcde")
    assert error.value.messages == [UNSUPPORTED_VIDEO.removesuffix(".") + ", ClipShare."]


@pytest.mark.django_db
def test_provider_added_to_the_table_is_stored_embedded_and_drawn_by_its_template(clipshare):
    recording = RecordingFactory(url="https://clipshare.example/v/c1ip", session__title="Talk")
    recording.full_clean()

    html = media_embed(recording, "Talk")

    assert (recording.provider, recording.provider_key, recording.embed_url) == (
        "clipshare",
        "c1ip",
        "https://player.clipshare.example/c1ip",
    )
    assert (
        'data-embed-src="https://player.clipshare.example/c1ip" data-embed-provider="clipshare" '
        'data-embed-hosts="player.clipshare.example" data-embed-title="Video: Talk"'
    ) in html
    assert '<span class="embed__provider">ClipShare</span>' in html
    assert (recording.thumbnail_url, clipshare.post_embed_src("c1ip")) == (
        "https://img.clipshare.example/c1ip.jpg",
        "https://player.clipshare.example/c1ip?post=1",
    )


# --- The models' url fields ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "messages"),
    [
        ("", ["This field cannot be blank.", "Enter a video link."]),
        (
            "https://evil.example/x",
            [UNSUPPORTED_VIDEO],
        ),
    ],
)
def test_recording_url_is_refused_once_by_its_validator_and_empty_by_clean(url, messages):
    recording = Recording(session=SessionFactory(), url=url)

    with pytest.raises(ValidationError) as error:
        recording.full_clean()

    assert error.value.message_dict == {"url": messages}


@pytest.mark.django_db
def test_recording_clean_and_save_store_the_same_provider_and_key():
    pasted = '<iframe src="https://www.youtube.com/embed/cCNCmJxxEPA?si=x"></iframe>'
    cleaned = Recording(session=SessionFactory(), url=pasted)
    cleaned.full_clean()
    saved = RecordingFactory(url=pasted)

    assert (
        (cleaned.url, cleaned.provider, cleaned.provider_key)
        == (
            saved.url,
            saved.provider,
            saved.provider_key,
        )
        == ("https://www.youtube.com/watch?v=cCNCmJxxEPA", "youtube", "cCNCmJxxEPA")
    )
