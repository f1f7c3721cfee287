"""Embed codes as the providers hand them out, pasted into a post or into the admin.

SlideShare and Vimeo put a "Title from Author" attribution after their iframe, whose first link
is the deck's or video's page; Speaker Deck's embed code is a script naming the deck by
``data-id``. Each is one deck or video, titled from its attribution, never a second deck made
from the attribution's link nor stray "**Title** from **Author**" text in the description.
"""

import pytest

from sessions.interchange.readers.roundup import parse
from sessions.models import Recording, SlideDeck
from sessions.providers import embed_code_title, extract_src
from tests.factories import SessionFactory, SlideDeckFactory
from tests.sessions.interchange.test_hostile_files import post, run, session
from tests.sessions.test_admin import change_url, session_form

SLIDESHARE_PLAYER = '<iframe src="https://www.slideshare.net/slideshow/embed_code/key/hH2CO8kHcQaCQo" width="595" height="485" frameborder="0" allowfullscreen></iframe>'  # noqa: E501
SLIDESHARE_CODE = (
    SLIDESHARE_PLAYER + ' <div style="margin-bottom:5px"> <strong> '
    '<a href="https://www.slideshare.net/slideshow/scaling-cloudstack-at-acme/262315841" '
    'title="Scaling CloudStack at Acme &amp; Co" target="_blank">Scaling CloudStack at Acme '
    '&amp; Co</a> </strong> from <strong><a href="https://www.slideshare.net/ShapeBlue" '
    'target="_blank">ShapeBlue</a></strong> </div>'
)
# SlideShare's older embed code: protocol-relative page link, attribution on its own line.
SLIDESHARE_OLD_CODE = (
    '<iframe src="//www.slideshare.net/slideshow/embed_code/key/CeiT7H0R6N62rM" width="425" '
    'height="355"></iframe>\n<div style="margin-bottom:5px"><strong><a '
    'href="//www.slideshare.net/ShapeBlue/kvm-networking" title="KVM Networking" '
    'target="_blank">KVM Networking</a></strong> from <strong><a '
    'href="//www.slideshare.net/ShapeBlue" target="_blank">ShapeBlue</a></strong></div>'
)
VIMEO_CODE = (
    '<iframe src="https://player.vimeo.com/video/76979871?h=8272103f6e" width="640" '
    'height="360" allow="autoplay; fullscreen" allowfullscreen></iframe>\n'
    '<p><a href="https://vimeo.com/76979871">The New Vimeo Player</a> from '
    '<a href="https://vimeo.com/staff">Vimeo Staff</a> on <a href="https://vimeo.com">Vimeo</a>.</p>'
)
SPEAKERDECK_ID = "e5ddd3d0e0c946d8a8c0fd8cd1e4ddc7"
SPEAKERDECK_CODE = (
    f'<script defer class="speakerdeck-embed" data-id="{SPEAKERDECK_ID}" '
    'data-ratio="1.77777777777778" src="//speakerdeck.com/assets/embed.js"></script>'
)


def parse_one(body):
    text = post(session("Scaling CloudStack", text=body))
    return parse(text, filename="post.md").sessions[0]


def media(items):
    return [(item.provider, item.key, item.title) for item in items]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (SLIDESHARE_CODE, ("slideshare", "hH2CO8kHcQaCQo", "Scaling CloudStack at Acme & Co")),
        (SLIDESHARE_OLD_CODE, ("slideshare", "CeiT7H0R6N62rM", "KVM Networking")),
    ],
    ids=["current", "older"],
)
def test_slideshare_embed_code_is_one_deck_titled_from_its_attribution(code, expected):
    parsed = parse_one(f"About scaling.\n\n{code}\n")

    assert media(parsed.slide_decks) == [expected]
    assert parsed.description == "About scaling."


def test_vimeo_embed_code_is_one_video_titled_and_keeps_the_unlisted_hash():
    parsed = parse_one(
        f"About it.\n\n{VIMEO_CODE}\n\nWatch [on Vimeo](https://vimeo.com/76979871)."
    )

    assert media(parsed.recordings) == [("vimeo", "76979871/8272103f6e", "The New Vimeo Player")]
    assert "from Vimeo Staff" not in parsed.description


def test_speakerdeck_script_embed_is_a_deck_and_leaves_no_script():
    parsed = parse_one(f"About it.\n\n{SPEAKERDECK_CODE}\n")

    assert media(parsed.slide_decks) == [("speakerdeck", SPEAKERDECK_ID, "")]
    assert parsed.description == "About it."


def test_an_attribution_naming_another_provider_is_left_as_text():
    """Only the embed's own provider's page makes an attribution: other text stays."""
    youtube = '<iframe src="https://www.youtube.com/embed/cCNCmJxxEPA"></iframe>'
    other = (
        '<p><a href="https://example.org/paper">The paper</a> from '
        '<a href="https://example.org/">Example Labs</a></p>'
    )

    parsed = parse_one(f"{youtube}\n{other}\n")

    assert media(parsed.recordings) == [("youtube", "cCNCmJxxEPA", "")]
    assert "[The paper](https://example.org/paper)" in parsed.description


def test_an_attribution_title_cannot_carry_markup_or_control_characters():
    code = SLIDESHARE_PLAYER + (
        '<div><strong><a href="https://www.slideshare.net/a/b">&lt;script&gt;x&#1;y</a></strong>'
        ' from <strong><a href="https://www.slideshare.net/a">A</a></strong></div>'
    )

    assert embed_code_title(code) == "<script>xy"  # plain text: escaped wherever it is shown


@pytest.mark.django_db
class TestImport:
    def test_titles_are_stored_and_a_title_set_in_the_admin_is_kept(self, write_post):
        path = write_post(post(session("Talk", text=f"{SLIDESHARE_CODE}\n\n{VIMEO_CODE}")))
        run(path)

        deck, video = SlideDeck.objects.get(), Recording.objects.get()
        assert (deck.title, video.title) == (
            "Scaling CloudStack at Acme & Co",
            "The New Vimeo Player",
        )

        deck.title = "Slides, as the organiser named them"
        deck.save()
        run(path)
        deck.refresh_from_db()
        assert deck.title == "Slides, as the organiser named them"
        assert SlideDeck.objects.count() == 1

    def test_a_deck_imported_without_a_title_gets_one_from_a_later_import(self, write_post):
        run(write_post(post(session("Talk", text=SLIDESHARE_PLAYER))))
        assert SlideDeck.objects.get().title == ""

        run(write_post(post(session("Talk", text=SLIDESHARE_CODE))))

        assert SlideDeck.objects.get().title == "Scaling CloudStack at Acme & Co"


@pytest.mark.django_db
class TestAdmin:
    def test_a_pasted_slideshare_embed_code_gives_the_deck_and_its_title(self, admin_client):
        talk = SessionFactory()

        response = admin_client.post(
            change_url(talk),
            session_form(talk, slide_decks=[{"url": SLIDESHARE_CODE, "position": 0}]),
        )

        assert response.status_code == 302, response.context and response.context["errors"]
        assert list(talk.slide_decks.values_list("provider_key", "title")) == [
            ("hH2CO8kHcQaCQo", "Scaling CloudStack at Acme & Co")
        ]

    def test_a_pasted_speakerdeck_script_gives_the_deck(self, admin_client):
        talk = SessionFactory()

        response = admin_client.post(
            change_url(talk),
            session_form(talk, slide_decks=[{"url": SPEAKERDECK_CODE, "position": 0}]),
        )

        assert response.status_code == 302, response.context and response.context["errors"]
        deck = talk.slide_decks.get()
        assert (deck.provider, deck.provider_key) == ("speakerdeck", SPEAKERDECK_ID)
        assert deck.embed_url == f"https://speakerdeck.com/player/{SPEAKERDECK_ID}"

    def test_a_title_typed_in_the_admin_wins_over_the_embed_code(self, admin_client):
        talk = SessionFactory()
        row = {"url": SLIDESHARE_CODE, "title": "Our slides", "position": 0}

        admin_client.post(change_url(talk), session_form(talk, slide_decks=[row]))

        assert talk.slide_decks.get().title == "Our slides"

    def test_a_script_that_is_not_speakerdecks_is_refused(self, admin_client):
        talk = SessionFactory()
        row = {"url": '<script src="https://evil.example/x.js"></script>', "position": 0}

        response = admin_client.post(change_url(talk), session_form(talk, slide_decks=[row]))

        assert response.status_code == 200
        assert "Paste a link or an &lt;iframe&gt; embed code" in response.content.decode()
        assert not SlideDeck.objects.exists()


def test_extract_src_reads_the_speakerdeck_player_from_its_script():
    assert extract_src(SPEAKERDECK_CODE) == f"https://speakerdeck.com/player/{SPEAKERDECK_ID}"


def test_public_session_page_names_the_deck_by_its_attribution_title(client, db):
    deck = SlideDeckFactory(url=SLIDESHARE_CODE, title="")

    response = client.get(deck.session.get_absolute_url())

    assert "Scaling CloudStack at Acme &amp; Co" in response.content.decode()
