"""The event, sponsor and sponsorship admin."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.urls import reverse

from conference.models import Event, Sponsorship
from tests.admin_forms import shown_on
from tests.factories import (
    EventFactory,
    SessionFactory,
    SponsorFactory,
    SponsorshipFactory,
)

EVENT_CHANGELIST = reverse("admin:conference_event_changelist")

pytestmark = pytest.mark.django_db


def event_form(event, *, sponsorships=(), **fields):
    """What the event change form posts, with new sponsorship rows."""
    data = {
        "name": event.name,
        "slug": event.slug,
        "summary": event.summary,
        "start_date": event.start_date or "",
        "end_date": event.end_date or "",
        "venue": event.venue,
        "city": event.city,
        "country": event.country,
        "website": event.website,
        "photo_gallery_url": event.photo_gallery_url,
        "attendee_count": "",
        "country_count": "",
        "is_published": "on" if event.is_published else "",
        "sponsorships-TOTAL_FORMS": str(len(sponsorships)),
        "sponsorships-INITIAL_FORMS": "0",
        "sponsorships-MIN_NUM_FORMS": "0",
        "sponsorships-MAX_NUM_FORMS": "1000",
        **{f"{prefix}-{name}": value for prefix in ("rooms", "tracks") for name, value in EMPTY},
        **fields,
    }
    for index, row in enumerate(sponsorships):
        data.update({f"sponsorships-{index}-{name}": value for name, value in row.items()})
    return data


# The management form of an inline without rows (the event's rooms and tracks).
EMPTY = [("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"), ("MIN_NUM_FORMS", "0")]
EMPTY += [("MAX_NUM_FORMS", "1000")]

EVENT_FIELDS = ["name", "slug", "summary", "banner", "start_date", "end_date", "time_zone"]
EVENT_FIELDS += ["venue", "city"]
EVENT_FIELDS += ["country", "website", "photo_gallery_url", "attendee_count", "country_count"]
EVENT_FIELDS += ["is_published"]
ADMIN_FORMS = {  # model: (actions, fields of the add form, inlines, fields the change form adds)
    "event": (
        ["delete_selected", "publish", "unpublish"],
        EVENT_FIELDS,
        ["sponsorships", "rooms", "tracks"],
        1,
    ),
    "sponsor": (["delete_selected"], ["name", "slug", "website", "logo"], [], 1),
    "sponsorship": (["delete_selected"], ["event", "sponsor", "tier", "position"], [], 0),
}


@pytest.mark.parametrize("model", ["event", "sponsor", "sponsorship"])
@pytest.mark.parametrize("page", ["changelist", "add", "change"])
def test_conference_admin_pages_show_rows_or_form_to_superuser(admin_client, model, page):
    sponsorship = SponsorshipFactory()
    SessionFactory(event=sponsorship.event)
    obj = {"event": sponsorship.event, "sponsor": sponsorship.sponsor, "sponsorship": sponsorship}
    args = [obj[model].pk] if page == "change" else []
    actions, fields, inlines, change_only = ADMIN_FORMS[model]
    form = {"object": None, "fields": fields, "inlines": inlines}
    expected = {
        "changelist": {"rows": [str(obj[model])], "actions": actions, "can_add": True},
        "add": {**form, "can_change": True, "can_delete": True},
        "change": {
            **form,
            "object": str(obj[model]),
            "fields": fields + ["opened_at"] * change_only,  # the concurrent-edit guard
            "can_change": True,
            "can_delete": True,
        },
    }[page]

    response = admin_client.get(reverse(f"admin:conference_{model}_{page}", args=args))

    assert shown_on(response) == expected


def test_event_changelist_shows_dates_city_and_session_count(admin_client):
    event = EventFactory(name="CCC 2023", city="Paris")
    SessionFactory.create_batch(2, event=event)
    SessionFactory(event=event, is_published=False)

    response = admin_client.get(EVENT_CHANGELIST)

    [row] = response.context["cl"].result_list
    admin = response.context["cl"].model_admin
    assert (admin.dates(row), admin.session_count(row)) == ("23\N{EN DASH}24 November 2023", 3)
    assert "Paris" in response.text


def test_event_changelist_search_finds_event_by_city(admin_client):
    EventFactory(name="CCC 2023", city="Paris")
    EventFactory(name="CCC 2024", city="Madrid")

    response = admin_client.get(EVENT_CHANGELIST, {"q": "madrid"})

    assert [event.name for event in response.context["cl"].result_list] == ["CCC 2024"]


@pytest.mark.parametrize("size", [3, 30])
def test_event_changelist_queries_do_not_grow_with_events(
    admin_client, django_assert_max_num_queries, size
):
    for event in EventFactory.create_batch(size):
        SessionFactory.create_batch(2, event=event)

    with django_assert_max_num_queries(6):
        response = admin_client.get(EVENT_CHANGELIST)

    assert len(response.context["cl"].result_list) == size


@pytest.mark.parametrize(("action", "published"), [("publish", True), ("unpublish", False)])
def test_event_publish_actions_flip_only_selected_events(admin_client, action, published):
    selected = EventFactory(is_published=not published)
    untouched = EventFactory(is_published=not published)

    response = admin_client.post(
        EVENT_CHANGELIST, {"action": action, "_selected_action": [selected.pk]}
    )

    flags = dict(Event.objects.values_list("pk", "is_published"))
    assert flags == {selected.pk: published, untouched.pk: not published}
    verb = "published" if published else "unpublished"
    assert [m.message for m in get_messages(response.wsgi_request)] == [f"1 event {verb}."]
    assert list(LogEntry.objects.values_list("object_id", "change_message")) == [
        (str(selected.pk), f"Marked as {verb}.")
    ]


def test_event_publish_action_reports_nothing_changed(admin_client):
    event = EventFactory(is_published=True)

    response = admin_client.post(
        EVENT_CHANGELIST, {"action": "publish", "_selected_action": [event.pk]}
    )

    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "Nothing changed: the selection was already published."
    ]


def test_event_change_form_saves_sponsorships_with_tier_and_position(admin_client):
    event = EventFactory()
    gold, platinum = SponsorFactory(name="Gold Co"), SponsorFactory(name="Platinum Co")

    response = admin_client.post(
        reverse("admin:conference_event_change", args=[event.pk]),
        event_form(
            event,
            sponsorships=[
                {"sponsor": gold.pk, "tier": Sponsorship.Tier.GOLD, "position": 0},
                {"sponsor": platinum.pk, "tier": Sponsorship.Tier.PLATINUM, "position": 0},
            ],
        ),
    )

    assert response.status_code == 302
    assert [(s.sponsor.name, s.tier) for s in event.sponsorships.for_event_page()] == [
        ("Platinum Co", Sponsorship.Tier.PLATINUM),
        ("Gold Co", Sponsorship.Tier.GOLD),
    ]


def test_event_change_form_rejects_same_sponsor_twice_in_a_tier(admin_client):
    event = EventFactory()
    sponsor = SponsorFactory()
    row = {"sponsor": sponsor.pk, "tier": Sponsorship.Tier.GOLD, "position": 0}

    response = admin_client.post(
        reverse("admin:conference_event_change", args=[event.pk]),
        event_form(event, sponsorships=[row, {**row, "position": 1}]),
    )

    assert response.status_code == 200
    assert "Please correct the duplicate data" in response.text
    assert Sponsorship.objects.count() == 0


def test_event_change_form_rejects_end_before_start(admin_client):
    event = EventFactory(name="Before")

    response = admin_client.post(
        reverse("admin:conference_event_change", args=[event.pk]),
        event_form(event, name="After", start_date="2023-11-24", end_date="2023-11-23"),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    event.refresh_from_db()
    assert event.name == "Before"


def test_sponsor_autocomplete_for_sponsorship_inline_finds_sponsor(admin_client):
    SponsorFactory(name="ShapeBlue")
    SponsorFactory(name="LINBIT")

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "conference",
            "model_name": "sponsorship",
            "field_name": "sponsor",
            "term": "shape",
        },
    )

    assert [item["text"] for item in response.json()["results"]] == ["ShapeBlue"]


def test_sponsor_view_on_site_links_its_website(admin_client):
    sponsor = SponsorFactory(website="https://www.shapeblue.com/")

    response = admin_client.get(reverse("admin:conference_sponsor_change", args=[sponsor.pk]))

    assert '<a href="https://www.shapeblue.com/" class="viewsitelink">' in response.text


def test_sponsor_without_website_has_no_view_on_site(admin_client):
    sponsor = SponsorFactory(website="")

    response = admin_client.get(reverse("admin:conference_sponsor_change", args=[sponsor.pk]))

    assert response.context["has_absolute_url"] is False


def test_event_view_on_site_opens_its_roundup(admin_client):
    event = EventFactory()

    response = admin_client.get(reverse("admin:conference_event_change", args=[event.pk]))

    view_on_site = reverse(
        "admin:view_on_site", args=[response.context["content_type_id"], event.pk]
    )
    assert admin_client.get(view_on_site).url == f"http://testserver{event.get_absolute_url()}"
