"""Hostile input through the admin's event and sponsor forms, changelists, autocomplete, object
and delete pages: refused with a clear form error and nothing changed, or accepted when it is
legitimately fine; never a server error.

Each case posts what a browser would (the change form as opened, with one value replaced) and
compares the whole database before and after a refusal. The same cases run on SQLite and on
PostgreSQL, which is stricter (NUL characters, integer ranges, ``varchar`` lengths).
"""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from taggit.models import Tag

from conference.models import Event, Sponsor, Sponsorship
from sessions.models import Session
from speakers.models import Speaker
from tests.admin_forms import (
    BAD_IMAGES,
    CHOICE_ERROR,
    CONTROL_ERROR,
    LONG,
    NUL_ERROR,
    SLUG_ERROR,
    URL_ERROR,
    add,
    admin_url,
    assert_refused,
    assert_saved,
    change,
    database_state,
    gif_polyglot,
    open_form,
)
from tests.factories import (
    EventFactory,
    RecordingFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    SponsorFactory,
    SponsorshipFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def event():
    return EventFactory(name="CCC 2023", slug="ccc-2023", website="https://example.org/")


# Events ----------------------------------------------------------------------------------------

EVENT_CASES = [
    pytest.param({"name": "x" * 201}, "at most 200 characters", id="name-too-long"),
    pytest.param({"name": "CCC\x00 2023"}, NUL_ERROR, id="name-nul"),
    pytest.param({"name": "CCC\x0b2023"}, CONTROL_ERROR, id="name-vertical-tab"),
    pytest.param({"name": "CCC\x1b[31m"}, CONTROL_ERROR, id="name-escape"),
    pytest.param({"name": "   "}, "This field is required.", id="name-blank"),
    pytest.param({"venue": "v" * 201}, "at most 200 characters", id="venue-too-long"),
    pytest.param({"city": "c" * 101}, "at most 100 characters", id="city-too-long"),
    pytest.param({"country": "\x00"}, NUL_ERROR, id="country-nul"),
    pytest.param({"summary": "Hello\x00"}, NUL_ERROR, id="summary-nul"),
    pytest.param({"summary": "Bell\x07"}, CONTROL_ERROR, id="summary-bell"),
    pytest.param({"slug": "a/b"}, SLUG_ERROR, id="slug-slash"),
    pytest.param({"slug": "ünïcödé"}, SLUG_ERROR, id="slug-unicode"),
    pytest.param({"slug": "../../etc"}, SLUG_ERROR, id="slug-dots"),
    pytest.param({"slug": "s" * 201}, "at most 200 characters", id="slug-too-long"),
    pytest.param({"slug": "taken"}, "Event with this Slug already exists.", id="slug-taken"),
    pytest.param({"start_date": "0000-01-01"}, "Enter a valid date.", id="year-zero"),
    pytest.param({"start_date": "99999-01-01"}, "Enter a valid date.", id="year-99999"),
    pytest.param({"start_date": "2023-02-30"}, "Enter a valid date.", id="february-30"),
    pytest.param({"start_date": "9999-12-31"}, "before the year 3000", id="year-9999"),
    pytest.param({"end_date": "3000-01-01"}, "before the year 3000", id="end-year-3000"),
    pytest.param({"start_date": "0999-01-01"}, "year 1900 or later", id="year-999"),
    pytest.param({"start_date": "\x00"}, "Enter a valid date.", id="date-nul"),
    pytest.param(
        {"start_date": "2023-11-24", "end_date": "2023-11-23"},
        "The event cannot end before it starts.",
        id="ends-before-start",
    ),
    pytest.param({"attendee_count": "-1"}, "greater than or equal to 0", id="attendees-negative"),
    pytest.param({"attendee_count": str(2**31)}, "less than or equal to", id="attendees-2-31"),
    pytest.param({"attendee_count": str(10**30)}, "less than or equal to", id="attendees-1e30"),
    pytest.param({"attendee_count": "1e3"}, "Enter a whole number.", id="attendees-float"),
    pytest.param({"country_count": str(2**63)}, "less than or equal to", id="countries-2-63"),
    pytest.param({"website": "javascript:alert(1)"}, URL_ERROR, id="website-javascript"),
    pytest.param({"website": "JaVaScRiPt:alert(1)//x.org"}, URL_ERROR, id="website-js-case"),
    pytest.param({"website": "data:text/html,<script>1</script>"}, URL_ERROR, id="website-data"),
    pytest.param({"website": "vbscript:msgbox(1)"}, URL_ERROR, id="website-vbscript"),
    pytest.param({"website": "ftp://example.org/"}, URL_ERROR, id="website-ftp"),
    pytest.param({"website": "https://bank.example@evil.example/"}, URL_ERROR, id="userinfo"),
    pytest.param({"website": "https://exa mple.org/"}, URL_ERROR, id="website-space"),
    pytest.param({"website": "https://example.org/\n<x>"}, URL_ERROR, id="website-newline"),
    pytest.param({"website": "https://example.org/\x00"}, NUL_ERROR, id="website-nul"),
    pytest.param({"website": "https://[::1"}, URL_ERROR, id="website-broken-ipv6"),
    pytest.param({"website": "https://example.org:99999/"}, URL_ERROR, id="website-port"),
    pytest.param({"website": "https://" + LONG + ".org"}, "at most 500", id="website-10k"),
    pytest.param({"photo_gallery_url": "javascript:alert(1)"}, URL_ERROR, id="gallery-js"),
    pytest.param({"photo_gallery_url": "https://" + "a" * 600}, "at most 500", id="gallery-long"),
    pytest.param({"opened_at": "2023-13-45T99:99:99"}, "changed by someone else", id="opened-bad"),
    pytest.param({"opened_at": "\x00"}, "changed by someone else", id="opened-nul"),
    pytest.param({"opened_at": LONG}, "changed by someone else", id="opened-10k"),
    pytest.param({"opened_at": "2000-01-01T00:00:00"}, "changed by someone else", id="opened-old"),
]


@pytest.mark.parametrize(("fields", "message"), EVENT_CASES)
def test_event_change_form_refuses_hostile_value(organiser_client, event, fields, message):
    EventFactory(slug="taken")
    before = database_state()

    response = change(organiser_client, event, **fields)

    assert_refused(response, message, before)


@pytest.mark.parametrize(("fields", "message"), EVENT_CASES[:-4])
def test_event_add_form_refuses_hostile_value(organiser_client, fields, message):
    EventFactory(slug="taken")
    before = database_state()
    valid = {"name": "New event", "slug": "new-event"}

    response = add(organiser_client, Event, **{**valid, **fields})

    assert_refused(response, message, before)


@pytest.mark.parametrize(
    ("field", "posted", "stored"),
    [
        pytest.param("name", "<script>alert(1)</script>", "<script>alert(1)</script>", id="markup"),
        pytest.param("name", "Tab\tand\u202eRTL", "Tab\tand\u202eRTL", id="tab-and-bidi"),
        pytest.param("name", "  CCC 2023\x0b ", "CCC 2023", id="trailing-control-stripped"),
        pytest.param(
            "summary", "Line\r\nbreaks\tand tabs", "Line\r\nbreaks\tand tabs", id="summary"
        ),
        pytest.param("website", "example.org/path", "https://example.org/path", id="no-scheme"),
        pytest.param("website", "https://bücher.example/", "https://bücher.example/", id="idn"),
        pytest.param("attendee_count", "1000000", 1_000_000, id="million-attendees"),
        pytest.param("slug", "UPPER-case_1", "UPPER-case_1", id="slug-uppercase"),
    ],
)
def test_event_change_form_accepts_odd_but_legitimate_value(
    organiser_client, event, field, posted, stored
):
    response = change(organiser_client, event, **{field: posted})

    assert_saved(response)
    assert Event.objects.values_list(field, flat=True).get(pk=event.pk) == stored


def sponsorship_rows(rows):
    data = {
        "sponsorships-TOTAL_FORMS": [str(len(rows))],
        "sponsorships-INITIAL_FORMS": ["0"],
    }
    for index, row in enumerate(rows):
        data.update({f"sponsorships-{index}-{name}": [value] for name, value in row.items()})
    return data


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        pytest.param(
            [
                {"sponsor": "{a}", "tier": "20", "position": "0"},
                {"sponsor": "{a}", "tier": "20", "position": "1"},
            ],
            "Please correct the duplicate data",
            id="same-sponsor-and-tier-twice",
        ),
        pytest.param(
            [{"sponsor": "999999", "tier": "20", "position": "0"}],
            CHOICE_ERROR,
            id="unknown-sponsor",
        ),
        pytest.param(
            [{"sponsor": "abc", "tier": "20", "position": "0"}],
            CHOICE_ERROR,
            id="sponsor-not-a-number",
        ),
        pytest.param(
            [{"sponsor": str(2**70), "tier": "20", "position": "0"}],
            CHOICE_ERROR,
            id="sponsor-2-70",
        ),
        pytest.param(
            [{"sponsor": "{a}", "tier": "999", "position": "0"}], CHOICE_ERROR, id="unknown-tier"
        ),
        pytest.param(
            [{"sponsor": "{a}", "tier": "\x00", "position": "0"}], CHOICE_ERROR, id="tier-nul"
        ),
        pytest.param(
            [{"sponsor": "{a}", "tier": "20", "position": "-5"}],
            "greater than or equal to 0",
            id="position-negative",
        ),
        pytest.param(
            [{"sponsor": "{a}", "tier": "20", "position": str(2**40)}],
            "less than or equal to",
            id="position-2-40",
        ),
    ],
)
def test_event_sponsorship_inline_refuses_hostile_rows(organiser_client, event, rows, message):
    sponsor = SponsorFactory()
    rows = [{k: v.replace("{a}", str(sponsor.pk)) for k, v in row.items()} for row in rows]
    before = database_state()

    response = change(organiser_client, event, **sponsorship_rows(rows))

    assert_refused(response, message, before)


def test_event_sponsorship_inline_with_existing_sponsor_tier_is_refused(organiser_client, event):
    sponsorship = SponsorshipFactory(event=event, tier=Sponsorship.Tier.GOLD)
    url = admin_url(event, "change", event.pk)
    data = open_form(organiser_client, url)
    # A forged post that leaves the existing row out and adds it again.
    data.update(
        sponsorship_rows([{"sponsor": str(sponsorship.sponsor.pk), "tier": "20", "position": "0"}])
    )
    before = database_state()

    response = organiser_client.post(url, data)

    assert_refused(response, "This sponsor already has this tier at this event.", before)


# Sponsors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param({"name": "n" * 201}, "at most 200 characters", id="name-too-long"),
        pytest.param({"name": "A\x00"}, NUL_ERROR, id="name-nul"),
        pytest.param({"name": "A\x08B"}, CONTROL_ERROR, id="name-backspace"),
        pytest.param({"slug": "taken"}, "Sponsor with this Slug already exists.", id="slug-taken"),
        pytest.param({"slug": "<b>"}, SLUG_ERROR, id="slug-markup"),
        pytest.param({"website": "javascript:alert(1)"}, URL_ERROR, id="website-js"),
        pytest.param({"website": "https://x.org@evil.example"}, URL_ERROR, id="website-userinfo"),
        pytest.param({"website": "https://" + LONG}, "at most 500", id="website-10k"),
    ],
)
def test_sponsor_add_form_refuses_hostile_value(organiser_client, fields, message):
    SponsorFactory(slug="taken")
    before = database_state()

    response = add(organiser_client, Sponsor, **{"name": "Acme", "slug": "acme", **fields})

    assert_refused(response, message, before)


@pytest.mark.parametrize(("name", "content", "message"), BAD_IMAGES)
@pytest.mark.parametrize(
    ("model", "field"), [(Event, "banner"), (Sponsor, "logo"), (Speaker, "photo")]
)
def test_image_upload_refuses_bad_file(organiser_client, model, field, name, content, message):
    obj = {Event: EventFactory, Sponsor: SponsorFactory, Speaker: SpeakerFactory}[model]()
    before = database_state()

    response = change(organiser_client, obj, **{field: SimpleUploadedFile(name, content)})

    assert_refused(response, message, before)


def test_gif_polyglot_is_stored_re_encoded_without_its_script(organiser_client, media_root):
    sponsor = SponsorFactory()

    response = change(organiser_client, sponsor, logo=SimpleUploadedFile("a.gif", gif_polyglot()))

    assert_saved(response)
    sponsor.refresh_from_db()
    stored = (media_root / sponsor.logo.name).read_bytes()
    assert (stored[:3], b"alert" in stored, sponsor.logo.name[-4:]) == (b"GIF", False, ".gif")


# Changelists, autocomplete, delete pages -------------------------------------------------------

CHANGELISTS = [Event, Sponsor, Sponsorship, Speaker, Session, Tag]
# What a changelist answers: its rows as without the parameter, or none; a redirect to itself
# without the filters holding a NUL character; Django's redirect with "?e=1" for a lookup it
# cannot apply; 400 for a forbidden "_to_field".
EVERY_ROW, NO_ROW, DROPPED, INVALID, BAD_REQUEST = "every row", "no row", "?", "?e=1", 400
HOSTILE_QUERIES = [  # the parameters, the answer of most changelists, the others' answers
    pytest.param({"q": "\x00"}, EVERY_ROW, {}, id="q-nul"),
    pytest.param({"q": "a\x00b' OR 1=1 --"}, EVERY_ROW, {}, id="q-nul-sql"),
    pytest.param({"q": LONG}, NO_ROW, {}, id="q-10k-one-word"),
    pytest.param({"q": " ".join(["ab"] * 3000)}, EVERY_ROW, {Speaker: NO_ROW}, id="q-3000-words"),
    pytest.param({"q": '"' * 999}, NO_ROW, {}, id="q-quotes"),
    pytest.param({"q": "%_\\"}, NO_ROW, {}, id="q-like-wildcards"),
    pytest.param({"o": "999"}, EVERY_ROW, {}, id="o-999"),
    pytest.param({"o": "-1.abc.\x00"}, DROPPED, {}, id="o-junk"),
    pytest.param({"p": "abc"}, EVERY_ROW, {}, id="page-junk"),
    pytest.param({"p": str(2**70)}, EVERY_ROW, {}, id="page-huge"),
    pytest.param(
        {"event__id__exact": "abc"},
        INVALID,
        {Sponsorship: EVERY_ROW, Session: EVERY_ROW},
        id="event-id-abc",
    ),
    pytest.param(
        {"event__id__exact": str(2**70)},
        INVALID,
        {Sponsorship: EVERY_ROW, Session: EVERY_ROW},
        id="event-id-2-70",
    ),
    pytest.param({"event__id__exact": "\x00"}, DROPPED, {}, id="event-id-nul"),
    pytest.param({"kind__exact": "\x00"}, DROPPED, {}, id="kind-nul"),
    pytest.param({"day__exact": str(2**70)}, INVALID, {Session: NO_ROW}, id="day-2-70"),
    pytest.param({"is_published__exact": "maybe"}, INVALID, {}, id="published-junk"),
    pytest.param({"tags__id__exact": "\x00"}, DROPPED, {}, id="tags-nul"),
    pytest.param({"has_video": "\x00"}, DROPPED, {}, id="has-video-nul"),
    pytest.param({"country": "\x00"}, DROPPED, {}, id="country-nul"),
    pytest.param({"tier__exact": str(2**70)}, INVALID, {Sponsorship: NO_ROW}, id="tier-2-70"),
    pytest.param({"sessions__event__id__exact": "\x00"}, DROPPED, {}, id="speaker-event-nul"),
    pytest.param({"password__startswith": "a"}, INVALID, {}, id="disallowed-lookup"),
    pytest.param({"_to_field": "password"}, BAD_REQUEST, {}, id="to-field"),
    pytest.param({"e": "1"}, EVERY_ROW, {}, id="error-flag"),
]


def changelist_answer(response):
    """(status, redirect, names of the rows listed) of a changelist response."""
    listed = response.status_code == 200
    rows = sorted(str(obj) for obj in response.context["cl"].result_list) if listed else None
    return response.status_code, response.get("Location"), rows


@pytest.mark.parametrize(("params", "answer", "answers"), HOSTILE_QUERIES)
@pytest.mark.parametrize("model", CHANGELISTS, ids=lambda model: model.__name__)
def test_changelist_with_hostile_query_lists_or_redirects(
    organiser_client, model, params, answer, answers
):
    SessionSpeakerFactory(session__event__country="France")
    url = admin_url(model, "changelist")
    answer = answers.get(model, answer)
    expected = {
        EVERY_ROW: (200, None, sorted(str(obj) for obj in model.objects.all())),
        NO_ROW: (200, None, []),
        DROPPED: (302, url + DROPPED, None),
        INVALID: (302, url + INVALID, None),
        BAD_REQUEST: (400, None, None),
    }[answer]

    response = organiser_client.get(url, params)

    assert changelist_answer(response) == expected


@pytest.mark.parametrize(
    "term", ["\x00", "a\x00b", LONG, " ".join(["ab"] * 3000), "%", "<script>alert(1)</script>"]
)
@pytest.mark.parametrize(
    ("app_label", "model_name", "field_name"),
    [
        ("conference", "sponsorship", "sponsor"),
        ("conference", "sponsorship", "event"),
        ("talks", "sessionspeaker", "speaker"),
    ],
)
def test_autocomplete_with_hostile_term_answers_json(
    organiser_client, app_label, model_name, field_name, term
):
    SponsorshipFactory()
    SpeakerFactory(name="<script>alert(1)</script>")
    params = {
        "app_label": app_label,
        "model_name": model_name,
        "field_name": field_name,
        "term": term,
    }

    response = organiser_client.get(reverse("admin:autocomplete"), params)

    assert (response.status_code, response["Content-Type"]) == (200, "application/json")


@pytest.mark.parametrize(
    "params",
    [
        {"app_label": "auth", "model_name": "user", "field_name": "groups", "term": "a"},
        {"app_label": "\x00", "model_name": "x", "field_name": "y", "term": "a"},
    ],
)
def test_autocomplete_with_hostile_target_is_refused(organiser_client, params):
    response = organiser_client.get(reverse("admin:autocomplete"), params)

    assert response.status_code == 403


@pytest.mark.parametrize("pk", ["abc", str(2**70), "%00", "-1", "1.5"])
@pytest.mark.parametrize("page", ["change", "delete", "history"])
@pytest.mark.parametrize("model", [Event, Sponsor, Speaker, Session])
def test_admin_object_page_with_hostile_id_redirects_to_index(organiser_client, model, page, pk):
    response = organiser_client.get(admin_url(model, "changelist") + f"{pk}/{page}/")

    assert (response.status_code, response["Location"]) == (302, reverse("admin:index"))


def test_delete_page_of_sponsor_in_use_refuses_and_keeps_it(organiser_client):
    sponsorship = SponsorshipFactory()
    sponsor = sponsorship.sponsor
    url = admin_url(sponsor, "delete", sponsor.pk)

    page = organiser_client.get(url)
    posted = organiser_client.post(url, {"post": "yes"})

    assert (page.status_code, posted.status_code) == (200, 200)
    assert "would require deleting the following protected" in html.unescape(page.text)
    assert Sponsor.objects.filter(pk=sponsor.pk).exists()


@pytest.mark.parametrize("model", [Event, Speaker, Session])
def test_delete_page_lists_what_goes_with_it(organiser_client, model):
    link = SessionSpeakerFactory()
    RecordingFactory(session=link.session)
    obj = {Event: link.session.event, Speaker: link.speaker, Session: link.session}[model]

    response = organiser_client.get(admin_url(obj, "delete", obj.pk))

    assert response.status_code == 200
    assert "Are you sure" in response.text


@pytest.mark.parametrize(
    ("model", "params", "kept"),
    [
        (Event, {"country": "\x00", "q": "ccc"}, "?q=ccc"),
        (Session, {"kind__exact": "talk\x00", "day__exact": "1"}, "?day__exact=1"),
        (Speaker, {"sessions__event__id__exact": "1\x00"}, "?"),
    ],
)
def test_changelist_filter_with_nul_redirects_without_that_filter(
    organiser_client, model, params, kept
):
    response = organiser_client.get(admin_url(model, "changelist"), params)

    assert (response.status_code, response["Location"]) == (
        302,
        admin_url(model, "changelist") + kept,
    )


def test_changelist_search_with_thousands_of_words_uses_the_first_ones(organiser_client):
    EventFactory(name="CCC 2023", city="Paris")
    EventFactory(name="CCC 2024", city="Madrid")

    response = organiser_client.get(
        admin_url(Event, "changelist"), {"q": "madrid " + "ccc " * 3000}
    )

    assert [event.name for event in response.context["cl"].result_list] == ["CCC 2024"]


@pytest.mark.parametrize("selected", [["abc"], [str(2**70)], ["\x00"], ["1", "1e3"]])
@pytest.mark.parametrize("action", ["publish", "unpublish", "delete_selected"])
@pytest.mark.parametrize("model", [Event, Session, Speaker, Sponsor])
def test_changelist_action_on_hostile_selection_changes_nothing(
    organiser_client, model, action, selected
):
    SessionSpeakerFactory(session__is_published=False)
    SponsorFactory()
    before = database_state()
    url = admin_url(model, "changelist")

    response = organiser_client.post(
        url, {"action": action, "_selected_action": selected, "index": "0"}
    )

    assert (response.status_code, response["Location"]) == (302, url)
    assert database_state() == before


@pytest.mark.parametrize(
    ("model", "params"),
    [
        (Session, {"event": "abc", "day": "\x00", "tags": "x" * 500}),
        (Session, {"event": str(2**70), "starts_at": "99:99"}),
        (Sponsorship, {"sponsor": "abc", "event": str(2**70)}),
        (Sponsorship, {"sponsor": "\x00", "tier": "<script>"}),
        (Event, {"start_date": "99999-01-01", "attendee_count": "1e99"}),
        (Speaker, {"name": "<script>alert(1)</script>", "_popup": "1", "_to_field": "id"}),
    ],
)
def test_add_form_with_hostile_initial_values_in_url_renders(organiser_client, model, params):
    response = organiser_client.get(admin_url(model, "add"), params)

    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://example.org:99999/", "port after the host must be a number up to 65535"),
        ("https://bank.example@evil.example/", "without a user name"),
    ],
)
def test_web_address_validator_refuses_what_forms_do_not_see(url, message):
    """The importer saves through ``full_clean()``: the model's validator is all it has."""
    from django.core.exceptions import ValidationError

    from conference.validators import validate_web_address

    with pytest.raises(ValidationError, match=message):
        validate_web_address(url)
