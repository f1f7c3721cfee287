"""Sponsorships on the event form, ordered by dragging (django-admin-sortable2): shown by tier
as the event page shows them, a drag orders sponsors within their tier."""

import pytest

from conference.models import Sponsorship
from tests.admin_forms import admin_url, change, form_errors, open_form
from tests.factories import EventFactory, SponsorFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db

GOLD, PLATINUM = Sponsorship.Tier.GOLD, Sponsorship.Tier.PLATINUM


@pytest.fixture
def event(db):
    event = EventFactory()
    for position, (name, tier) in enumerate([("Acme", GOLD), ("Bolt", GOLD), ("Core", PLATINUM)]):
        SponsorshipFactory(event=event, sponsor__name=name, tier=tier, position=position)
    return event


def page_order(event):
    return [(s.sponsor.name, s.get_tier_display()) for s in event.sponsorships.for_event_page()]


def test_sponsorship_rows_are_shown_by_tier_with_a_hidden_position(organiser_client, event):
    data = open_form(organiser_client, admin_url(event, "change", event.pk))
    names = {str(s.sponsor_id): s.sponsor.name for s in event.sponsorships.all()}

    shown = [names[data[f"sponsorships-{index}-sponsor"][0]] for index in range(3)]

    assert shown == ["Core", "Acme", "Bolt"]
    page = organiser_client.get(admin_url(event, "change", event.pk)).content.decode()
    assert 'name="sponsorships-0-position" value="2" class="_reorder_"' in page


def test_a_sponsor_dragged_above_another_of_its_tier_is_saved_so(organiser_client, event):
    # Bolt dragged above Acme: the script numbers the rows 1, 2, 3 as they now stand.
    response = change(
        organiser_client,
        event,
        **{
            "sponsorships-0-position": ["1"],  # Core
            "sponsorships-2-position": ["2"],  # Bolt
            "sponsorships-1-position": ["3"],  # Acme
        },
    )

    assert response.status_code == 302, form_errors(response)
    assert page_order(event) == [("Core", "Platinum"), ("Bolt", "Gold"), ("Acme", "Gold")]


def test_a_sponsor_dropped_among_another_tier_stays_in_its_own(organiser_client, event):
    # Acme (Gold) dropped above Core (Platinum): its tier is the select, not the drag.
    response = change(
        organiser_client,
        event,
        **{
            "sponsorships-1-position": ["1"],  # Acme
            "sponsorships-0-position": ["2"],  # Core
            "sponsorships-2-position": ["3"],  # Bolt
        },
    )

    assert response.status_code == 302, form_errors(response)
    assert page_order(event) == [("Core", "Platinum"), ("Acme", "Gold"), ("Bolt", "Gold")]


def test_a_sponsorship_added_with_add_another_goes_last_in_its_tier(organiser_client, event):
    newcomer = SponsorFactory(name="Apex")
    url = admin_url(event, "change", event.pk)
    data = open_form(organiser_client, url)
    total = int(data["sponsorships-TOTAL_FORMS"][0])
    data["sponsorships-TOTAL_FORMS"] = [str(total + 1)]
    data.update(
        {
            f"sponsorships-{total}-sponsor": [str(newcomer.pk)],
            f"sponsorships-{total}-tier": [str(GOLD)],
            f"sponsorships-{total}-position": [""],
        }
    )

    response = organiser_client.post(url, data)

    assert response.status_code == 302, form_errors(response)
    assert page_order(event) == [
        ("Core", "Platinum"),
        ("Acme", "Gold"),
        ("Bolt", "Gold"),
        ("Apex", "Gold"),
    ]
