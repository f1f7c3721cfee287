"""Links whose host is made to pass for another site's name are refused everywhere a link is
entered: the admin's link fields and the importer. International names that are what they say
(``müller.de``, ``москва.рф``, ``例え.jp``) are accepted.
"""

import pytest
from django.core.exceptions import ValidationError

from conference.validators import lookalike_host_problem, validate_web_address
from speakers.models import ProfileLink
from tests.admin_forms import (
    assert_refused,
    assert_saved,
    change,
    database_state,
    link_rows,
)
from tests.factories import EventFactory, SpeakerFactory, SponsorFactory
from tests.sessions.interchange.test_hostile_files import (
    DAY,
    FRONT_MATTER,
    INTRO,
    post,
    refusal,
    run,
    session,
)

HOSTILE_HOSTS = [
    pytest.param("pаypal.com", "mixes Cyrillic and Latin letters in “pаypal”", id="cyrillic-a"),
    pytest.param("www.lіnkedin.com", "mixes Cyrillic and Latin", id="cyrillic-i"),
    pytest.param("αρρle.com", "mixes Greek and Latin letters", id="greek-alpha-rho"),
    pytest.param("xn--pypal-4ve.com", "mixes Cyrillic and Latin", id="punycode-of-mixed"),
    pytest.param("аррӏе.com", "in Cyrillic letters that look like Latin", id="whole-cyrillic"),
    pytest.param("ѕсоре.example.org", "look like Latin", id="whole-cyrillic-subdomain"),
    pytest.param("example.com∕login.evil.example", "(division slash)", id="division-slash"),
    pytest.param("example.com⁄login.evil.example", "(fraction slash)", id="fraction-slash"),
    pytest.param("i❤.ws", "(heavy black heart)", id="symbol"),
    pytest.param("xn--zz.com", "not a valid international domain name", id="broken-punycode"),
]
HONEST_HOSTS = [
    "example.org",
    "www.example.co.uk",
    "müller.de",
    "bücher.example.",
    "москва.рф",
    "яндекс.ru",
    "сосо.ru",
    "例え.jp",
    "日本語テスト.jp",
    "한국어.kr",
    "ελληνικά.gr",
    "xn--mller-kva.de",
    "faceb00k.com",
    "127.0.0.1",
]


@pytest.mark.parametrize(("host", "message"), HOSTILE_HOSTS)
def test_lookalike_hosts_are_named_and_refused(host, message):
    assert message in lookalike_host_problem(host)
    with pytest.raises(ValidationError, match=r"Type the address again|cannot hold|not a valid"):
        validate_web_address(f"https://{host}/speakers/")


@pytest.mark.parametrize("host", HONEST_HOSTS)
def test_international_names_that_are_what_they_say_are_accepted(host):
    assert lookalike_host_problem(host) == ""
    validate_web_address(f"https://{host}/speakers/")


def test_an_ipv6_address_is_not_a_lookalike():
    validate_web_address("https://[::1]:8000/")


@pytest.mark.django_db
class TestAdmin:
    LOOKALIKE = "https://pаypal.com/"
    MESSAGE = "mixes Cyrillic and Latin letters"

    @pytest.mark.parametrize("field", ["website", "photo_gallery_url"])
    def test_event_link_fields_refuse_a_lookalike(self, organiser_client, field):
        event = EventFactory()
        before = database_state()

        response = change(organiser_client, event, **{field: [self.LOOKALIKE]})

        assert_refused(response, self.MESSAGE, before)

    def test_sponsor_website_refuses_a_lookalike(self, organiser_client):
        sponsor = SponsorFactory()
        before = database_state()

        response = change(organiser_client, sponsor, website=[self.LOOKALIKE])

        assert_refused(response, self.MESSAGE, before)

    def test_speaker_profile_link_refuses_a_lookalike(self, organiser_client):
        speaker = SpeakerFactory()
        before = database_state()

        response = change(
            organiser_client, speaker, **link_rows([{"url": self.LOOKALIKE, "kind": "website"}])
        )

        assert_refused(response, self.MESSAGE, before)

    def test_an_honest_international_name_is_saved(self, organiser_client):
        sponsor = SponsorFactory()

        response = change(organiser_client, sponsor, website=["https://müller.de/"])

        assert_saved(response)
        sponsor.refresh_from_db()
        assert sponsor.website == "https://müller.de/"


@pytest.mark.django_db
class TestImport:
    def test_a_speaker_lookalike_link_is_refused_at_its_line(self, write_post):
        path = write_post(post(session("Talk", "[Jane Doe](https://www.lіnkedin.com/in/jane/)")))

        problems = refusal(path)

        line = (FRONT_MATTER + INTRO + DAY).count("\n") + 1
        assert [number for number, _ in problems] == [line]
        assert "mixes Cyrillic and Latin" in problems[0][1]

    def test_a_sponsor_lookalike_link_is_refused(self, write_post):
        intro = INTRO + "Thanks to our sponsors [Acme](https://аcme.example/).\n\n"
        path = write_post(post(session("Talk"), intro=intro))

        problems = refusal(path)

        assert any("mixes Cyrillic and Latin" in message for _, message in problems), problems

    def test_an_honest_international_speaker_link_imports(self, write_post):
        run(write_post(post(session("Talk", "[Jürgen Müller](https://müller.de/)"))))

        assert ProfileLink.objects.get().url == "https://müller.de/"
