"""The provider table: what organisers paste, accepted and rejected, and a provider added."""

import pytest
from django.core.exceptions import ValidationError

from conference.fragments import ENGINE, fragment_engine
from sessions.models import Recording
from sessions.providers import (
    PROVIDERS,
    MediaRef,
    SlidesProvider,
    VideoProvider,
    embed_url,
    parse_alternate_sources,
    parse_slides,
    parse_video,
    player_origins,
    video_file_host,
    video_file_origins,
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
        value: fragment_engine().get_template(p.template).origin.template_name
        for value, p in PROVIDERS.items()
    } == {value: f"_embed_{value}.html" for value in PROVIDERS}


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
    (tmp_path / "_embed_clipshare.html").write_text(TEMPLATE)
    settings.TEMPLATES = [
        {**engine, "DIRS": [tmp_path, *engine["DIRS"]]} if engine.get("NAME") == ENGINE else engine
        for engine in settings.TEMPLATES
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


# --- media.ccc.de ------------------------------------------------------------------------------

MEDIA_CCC_SLUG = "38c3-12345-die_sicherheit_von_firmware"
MEDIA_CCC_PAGE = f"https://media.ccc.de/v/{MEDIA_CCC_SLUG}"

ACCEPTED_MEDIA_CCC = [
    MEDIA_CCC_PAGE,
    f"{MEDIA_CCC_PAGE}/",
    f"{MEDIA_CCC_PAGE}#t=1234",
    f"{MEDIA_CCC_PAGE}?lang=de#t=12",
    f"http://media.ccc.de/v/{MEDIA_CCC_SLUG}",
    f"media.ccc.de/v/{MEDIA_CCC_SLUG}",
    f"{MEDIA_CCC_PAGE}/oembed",
    f'<iframe width="1024" height="576" src="{MEDIA_CCC_PAGE}/oembed" frameborder="0" '
    "allowfullscreen></iframe>",
]


@pytest.mark.parametrize("pasted", ACCEPTED_MEDIA_CCC)
def test_parse_video_accepts_media_ccc_talk_pages_and_players(pasted):
    ref = parse_video(pasted)

    assert ref == MediaRef("mediaccc", MEDIA_CCC_SLUG, MEDIA_CCC_PAGE)
    assert embed_url(ref.provider, ref.key) == f"{MEDIA_CCC_PAGE}/oembed"


REJECTED_MEDIA_CCC = [
    ("https://media.ccc.de/c/38c3", "media_ccc_slug"),
    ("https://media.ccc.de/v/", "media_ccc_slug"),
    ("https://media.ccc.de/", "media_ccc_slug"),
    (f"{MEDIA_CCC_PAGE}/related", "media_ccc_slug"),
    ("https://media.ccc.de/v/-leading-dash", "media_ccc_slug"),
    ("https://media.ccc.de/v/a<script>", "media_ccc_slug"),
    (f"https://media.ccc.de.evil.example/v/{MEDIA_CCC_SLUG}", "unsupported"),
    (f"https://www.media.ccc.de.example/v/{MEDIA_CCC_SLUG}", "unsupported"),
]


@pytest.mark.parametrize(("pasted", "code"), REJECTED_MEDIA_CCC)
def test_parse_video_rejects_media_ccc_pages_that_are_not_one_talk(pasted, code):
    with pytest.raises(ValidationError) as error:
        parse_video(pasted)

    assert error.value.code == code


def test_media_ccc_message_says_what_a_talk_link_looks_like():
    with pytest.raises(ValidationError) as error:
        parse_video("https://media.ccc.de/c/38c3")

    assert error.value.messages == [
        "This media.ccc.de link does not name a single talk (expected /v/<talk>)."
    ]


# --- Video files on VIDEO_FILE_HOSTS -----------------------------------------------------------

FOSDEM = "video.fosdem.org"
FOSDEM_MP4 = f"https://{FOSDEM}/2024/ua2118/fosdem-2024-3242-firmware.mp4"
FOSDEM_WEBM = f"https://{FOSDEM}/2024/ua2118/fosdem-2024-3242-firmware.webm"


@pytest.fixture
def video_file_hosts(settings):
    """Two hosts are listed (one in capitals, with a trailing dot): files elsewhere are not."""
    settings.VIDEO_FILE_HOSTS = [FOSDEM, "CDN.Example.NET."]


ACCEPTED_VIDEO_FILES = [
    (FOSDEM_MP4, FOSDEM_MP4.removeprefix("https://"), FOSDEM_MP4),
    (FOSDEM_WEBM, FOSDEM_WEBM.removeprefix("https://"), FOSDEM_WEBM),
    (FOSDEM_MP4.replace("https:", "http:"), FOSDEM_MP4.removeprefix("https://"), FOSDEM_MP4),
    (f"{FOSDEM_MP4}#t=60", FOSDEM_MP4.removeprefix("https://"), FOSDEM_MP4),
    (
        "https://cdn.example.net/h264-hd/Talk%20One.M4V?token=abc",
        "cdn.example.net/h264-hd/Talk%20One.M4V?token=abc",
        "https://cdn.example.net/h264-hd/Talk%20One.M4V?token=abc",
    ),
    (
        "https://CDN.example.net/ogg/talk one é.ogv",
        "cdn.example.net/ogg/talk%20one%20%C3%A9.ogv",
        "https://cdn.example.net/ogg/talk%20one%20%C3%A9.ogv",
    ),
]


@pytest.mark.parametrize(("pasted", "key", "url"), ACCEPTED_VIDEO_FILES)
def test_parse_video_accepts_video_files_on_listed_hosts(video_file_hosts, pasted, key, url):
    ref = parse_video(pasted)

    assert ref == MediaRef("videofile", key, url)
    assert embed_url(ref.provider, ref.key) == url


def test_video_file_on_a_host_not_listed_is_refused_naming_the_setting(video_file_hosts):
    with pytest.raises(ValidationError) as error:
        parse_video("https://Video.Example.org/2024/talk.webm")

    assert (error.value.code, error.value.messages) == (
        "video_file_host",
        ["Video files on video.example.org are not played here: add the host to VIDEO_FILE_HOSTS."],
    )


REJECTED_VIDEO_FILES = [
    # A listed host's name inside another host is another host.
    (f"https://{FOSDEM}.evil.example/talk.mp4", "video_file_host"),
    (f"https://evil.example/{FOSDEM}/talk.mp4", "video_file_host"),
    # Even a provider's host: its download links play only where the host is listed.
    ("https://player.vimeo.com/external/123456.hd.mp4", "video_file_host"),
    # Matroska and AVI: most browsers cannot play them, so they are no recording.
    (f"https://{FOSDEM}/2024/talk.mkv", "unsupported"),
    (f"https://{FOSDEM}/2024/talk.avi", "unsupported"),
    (f"https://{FOSDEM}/2024/talk.mp4.html", "unsupported"),
    (f"https://{FOSDEM}/2024/", "unsupported"),
    (f"https://{FOSDEM}:8443/talk.mp4", "host"),
    (f"ftp://{FOSDEM}/talk.mp4", "scheme"),
    (f"https://{FOSDEM}/{'a' * 200}.mp4", "too_long"),
]


@pytest.mark.parametrize(("pasted", "code"), REJECTED_VIDEO_FILES)
def test_parse_video_rejects_other_video_file_links(video_file_hosts, pasted, code):
    with pytest.raises(ValidationError) as error:
        parse_video(pasted)

    assert error.value.code == code
    assert error.value.messages[0]


def test_no_video_file_is_played_while_the_setting_is_empty(settings):
    settings.VIDEO_FILE_HOSTS = []

    with pytest.raises(ValidationError) as error:
        parse_video(FOSDEM_MP4)

    assert error.value.code == "video_file_host"


@pytest.mark.parametrize(
    ("url", "host"),
    [
        (FOSDEM_MP4, FOSDEM),
        ("https://Video.Example.ORG/a/b/talk.WEBM?x=1", "video.example.org"),
        ("http://unlisted.example/talk.ogv#t=3", "unlisted.example"),
        (f'<iframe src="{FOSDEM_WEBM}"></iframe>', FOSDEM),
        ("https://unlisted.example/talk.mkv", None),
        ("https://unlisted.example/talk", None),
        (MEDIA_CCC_PAGE, None),
        ("https://[x/talk.mp4", None),
        ("ftp://unlisted.example/talk.mp4", None),
        ("not a link.mp4", None),
        ("", None),
    ],
)
def test_video_file_host_names_the_host_of_any_video_file_listed_or_not(
    video_file_hosts, url, host
):
    assert video_file_host(url) == host


def test_alternate_sources_are_canonical_without_the_recording_itself(video_file_hosts):
    ref = parse_video(FOSDEM_MP4)

    assert parse_alternate_sources(
        ref, [FOSDEM_WEBM.replace("https:", "http:"), FOSDEM_MP4, FOSDEM_WEBM]
    ) == [FOSDEM_WEBM]


@pytest.mark.parametrize(
    ("primary", "alternates", "message"),
    [
        (
            FOSDEM_MP4,
            ["https://elsewhere.example/talk.webm"],
            "https://elsewhere.example/talk.webm: Video files on elsewhere.example are not "
            "played here: add the host to VIDEO_FILE_HOSTS.",
        ),
        (
            FOSDEM_MP4,
            [MEDIA_CCC_PAGE],
            f"{MEDIA_CCC_PAGE} is not a video file (.mp4, .m4v, .webm, .ogv).",
        ),
        (
            MEDIA_CCC_PAGE,
            [FOSDEM_WEBM],
            "Only a video file has further sources (the same video in another format): "
            "media.ccc.de plays its own.",
        ),
        (
            FOSDEM_MP4,
            [FOSDEM_WEBM.replace(".webm", f"-{n}.webm") for n in range(5)],
            "At most 4 further sources of one video.",
        ),
        (FOSDEM_MP4, "not a list", "Give further sources as a list of links."),
        (FOSDEM_MP4, [1], "Give further sources as a list of links."),
    ],
)
def test_alternate_sources_follow_the_same_host_rules(
    video_file_hosts, primary, alternates, message
):
    with pytest.raises(ValidationError) as error:
        parse_alternate_sources(parse_video(primary), alternates)

    assert error.value.messages == [message]


def test_csp_origins_put_video_file_hosts_in_media_src_and_players_in_frame_src():
    config = {"VIDEO_FILE_HOSTS": ["Video.Fosdem.org", "cdn.example."], "PEERTUBE_INSTANCES": []}

    assert (video_file_origins(config), player_origins(config)) == (
        ["https://video.fosdem.org", "https://cdn.example"],
        [
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
            "https://media.ccc.de",
            "https://www.slideshare.net",
            "https://speakerdeck.com",
        ],
    )
    assert video_file_origins({"VIDEO_FILE_HOSTS": []}) == []


# --- PDF links ---------------------------------------------------------------------------------

ACCEPTED_PDF_LINKS = [
    (
        "https://fosdem.org/2024/schedule/event/firmware/attachments/slides/6021/export/slides.pdf",
        "fosdem.org/2024/schedule/event/firmware/attachments/slides/6021/export/slides.pdf",
        "https://fosdem.org/2024/schedule/event/firmware/attachments/slides/6021/export/slides.pdf",
    ),
    (
        "http://files.example.net/Decks/Talk%201.PDF?download=1#page=3",
        "files.example.net/Decks/Talk%201.PDF?download=1",
        "http://files.example.net/Decks/Talk%201.PDF?download=1",
    ),
    (
        "https://files.example.net/decks/my talk.pdf",
        "files.example.net/decks/my%20talk.pdf",
        "https://files.example.net/decks/my%20talk.pdf",
    ),
]


@pytest.mark.parametrize(("pasted", "key", "url"), ACCEPTED_PDF_LINKS)
def test_parse_slides_accepts_a_pdf_link_on_any_host_as_a_deck_never_embedded(pasted, key, url):
    ref = parse_slides(pasted)

    assert ref == MediaRef("pdflink", key, url)
    assert embed_url(ref.provider, ref.key) == ""


@pytest.mark.parametrize(
    ("pasted", "code"),
    [
        ("https://files.example.net/decks/slides.pdf.html", "unsupported"),
        ("https://files.example.net/decks/slides.odp", "unsupported"),
        ("javascript:alert(1)//x.pdf", "scheme"),
        ("https://user@files.example.net/slides.pdf", "host"),
        (f"https://files.example.net/{'a' * 200}.pdf", "too_long"),
    ],
)
def test_parse_slides_rejects_what_is_not_a_pdf_link(pasted, code):
    with pytest.raises(ValidationError) as error:
        parse_slides(pasted)

    assert error.value.code == code


def test_unsupported_slides_message_names_pdf_links():
    with pytest.raises(ValidationError) as error:
        parse_slides("https://docs.example.net/presentation/d/abc")

    assert error.value.messages == [
        "This is not a supported slides link. Supported: PDF file, SlideShare, Speaker Deck."
    ]
