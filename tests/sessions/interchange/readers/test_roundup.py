"""The roundup parser: text in, dataclasses out (no database)."""

from datetime import date, time

import pytest

from sessions.interchange.document import (
    MediaItem,
    Note,
    Origin,
    SourceError,
    SpeakerItem,
    SponsorItem,
)
from sessions.interchange.readers.roundup import event_name, facts, parse, read
from sessions.interchange.readers.roundup.headings import parse_heading
from tests.conftest import FIXTURES

ROUNDUPS = FIXTURES / "roundups"
CIRRUS = "Cirrusworks"


def outline(roundup):
    """(day, position, kind, title, [(name, url, company)], [video keys], [slide keys])."""
    return [
        (
            s.day,
            s.position,
            s.kind,
            s.title,
            [(p.name, p.url, p.company) for p in s.speakers],
            [m.key for m in s.recordings],
            [m.key for m in s.slide_decks],
        )
        for s in roundup.sessions
    ]


# Headings -------------------------------------------------------------------------------------


def test_parse_heading_title_with_commas_keeps_them():
    heading = parse_heading(
        "Zero to Hero: A Private Cloud with XCP-ng, Xen Orchestra and CloudStack, "
        "[Olga Lind](https://www.linkedin.com/in/olga-lind/)"
    )
    assert heading.title == (
        "Zero to Hero: A Private Cloud with XCP-ng, Xen Orchestra and CloudStack"
    )
    assert heading.speakers == [SpeakerItem("Olga Lind", "https://www.linkedin.com/in/olga-lind/")]


def test_parse_heading_unlinked_names_with_particles_are_speakers():
    heading = parse_heading(
        "Panel Discussion: Question Time, Ada Byron, Wim van den Broek, Swen Brüseke"
    )
    assert (heading.title, heading.kind) == ("Question Time", "panel")
    assert [p.name for p in heading.speakers] == ["Ada Byron", "Wim van den Broek", "Swen Brüseke"]


def test_parse_heading_links_joined_by_and_are_speakers():
    heading = parse_heading(
        "Sustainability \u2013 Panel, [Ivy Park](https://www.linkedin.com/in/ivy), "
        "[Dan Holt](https://www.linkedin.com/in/dan) and [Al Iver](https://www.linkedin.com/in/al)"
    )
    assert (heading.title, heading.kind) == ("Sustainability", "panel")
    assert [p.name for p in heading.speakers] == ["Ivy Park", "Dan Holt", "Al Iver"]


def test_parse_heading_title_words_after_and_are_not_speakers():
    heading = parse_heading("Backroll, News and Demo, [Pia Chen](https://www.linkedin.com/in/pc/)")
    assert heading.title == "Backroll, News and Demo"
    assert [p.name for p in heading.speakers] == ["Pia Chen"]


def test_parse_heading_introduction_after_dash_is_not_a_speaker():
    heading = parse_heading(
        "Object Storage - An Introduction, [Vera Petrova](https://www.linkedin.com/in/vera)"
    )
    assert heading.title == "Object Storage - An Introduction"
    assert [p.name for p in heading.speakers] == ["Vera Petrova"]


@pytest.mark.parametrize(
    ("raw", "title", "speaker"),
    [
        ("Edge Zones, Jane Doe (Cirrusworks)", "Edge Zones", SpeakerItem("Jane Doe", "", CIRRUS)),
        ("Edge Zones - Jane Doe, Cirrusworks", "Edge Zones", SpeakerItem("Jane Doe", "", CIRRUS)),
        ("Edge Zones, Jane Doe from Nebulon", "Edge Zones", SpeakerItem("Jane Doe", "", "Nebulon")),
        (
            "Edge Zones - [Jane Doe](https://www.linkedin.com/in/jd/), "
            "CTO at [Nebulon](https://n.example/)",
            "Edge Zones",
            SpeakerItem("Jane Doe", "https://www.linkedin.com/in/jd/", "Nebulon"),
        ),
        (
            "Edge Zones, [Jane Doe](https://www.linkedin.com/in/jd/), [Nebulon](https://n.example/)",
            "Edge Zones",
            SpeakerItem("Jane Doe", "https://www.linkedin.com/in/jd/", "Nebulon"),
        ),
    ],
)  # fmt: skip
def test_parse_heading_company_is_stored_on_the_speaker(raw, title, speaker):
    heading = parse_heading(raw)
    assert (heading.title, heading.speakers) == (title, [speaker])


@pytest.mark.parametrize(
    ("raw", "title", "kind"),
    [
        ("Keynote Talk: Open Source is Alive, Ann Lee", "Open Source is Alive", "keynote"),
        ("Keynote: Open Source is Alive, Ann Lee", "Open Source is Alive", "keynote"),
        ("Backup with Nimbus \u2013 Workshop, Ann Lee", "Backup with Nimbus", "workshop"),
        ("Backup with Nimbus - Panel, Ann Lee, Bo Stein", "Backup with Nimbus", "panel"),
        ("Live Demo: Nimbus in Action, Ann Lee", "Live Demo: Nimbus in Action", "demo"),
        ("Managed User Data and Demo, Ann Lee", "Managed User Data and Demo", "talk"),
    ],
)  # fmt: skip
def test_parse_heading_kind_from_title(raw, title, kind):
    heading = parse_heading(raw)
    assert (heading.title, heading.kind) == (title, kind)


def test_parse_heading_html_markup_and_entities():
    heading = parse_heading(
        "Tips &amp; Tricks, "
        '<a href="https://www.linkedin.com/in/kai/">Kai <strong>Berg</strong></a>'
    )
    assert (heading.title, heading.speakers) == (
        "Tips & Tricks",
        [SpeakerItem("Kai Berg", "https://www.linkedin.com/in/kai/")],
    )


def test_parse_heading_time_prefix_becomes_start_time():
    heading = parse_heading("09:45 - 10:30 - Automation with Ansible, Rene Moss")
    assert (heading.title, heading.start_time) == ("Automation with Ansible", time(9, 45))


def test_parse_heading_media_link_is_taken_out_of_the_title():
    heading = parse_heading("Talk [(Video)](https://youtu.be/cCNCmJxxEPA), Jo Mayer")
    assert (heading.title, heading.media_urls) == ("Talk", ["https://youtu.be/cCNCmJxxEPA"])


def test_parse_heading_title_linked_to_a_page_is_not_a_speaker():
    heading = parse_heading("[Talk Title](https://talks.example.org/42), Jo Mayer")
    assert (heading.title, heading.speakers) == ("Talk Title", [SpeakerItem("Jo Mayer")])


@pytest.mark.parametrize("raw", ["Day 1 Sessions", "Next Stop: London, September 18th", "Sponsors"])
def test_parse_heading_without_people_has_no_speakers(raw):
    assert parse_heading(raw).speakers == []


# Facts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It took place on 23-24th November.", (date(2023, 11, 23), date(2023, 11, 24))),
        ("It took place on 14 November 2022.", (date(2022, 11, 14), date(2022, 11, 14))),
        ("It took place on November 23-24, 2023.", (date(2023, 11, 23), date(2023, 11, 24))),
        ("It took place on the 4th May.", (date(2023, 5, 4), date(2023, 5, 4))),
        ("Running from November 14th to November 16th 2022.",
         (date(2022, 11, 14), date(2022, 11, 16))),
        ("It took place on 30 November - 1 December.", (date(2023, 11, 30), date(2023, 12, 1))),
    ],
)  # fmt: skip
def test_find_dates_forms(text, expected):
    assert facts.find_dates(text, year=2023) == expected


def test_find_dates_without_year_or_hint_finds_nothing():
    assert facts.find_dates("It took place on 23-24th November.", year=None) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The conference took place in the voco hotel, in Porte de Clichy, Paris. It hosted",
            ("voco hotel, Porte de Clichy", "Paris", ""),
        ),
        ("It was held in Sofia, Bulgaria.", ("", "Sofia", "Bulgaria")),
        ("Hosted in person at the D1 Data Center in Greater Noida and more",
         ("D1 Data Center", "Greater Noida", "")),
        ("The event took place in November 2023.", None),
        ("The meetup took place in Pune, seeing users, experts and more.", ("", "Pune", "")),
        ("The group convened on May 8th in Graz, Austria, marking its return",
         ("", "Graz", "Austria")),
        ("Hosted at Harbour Hall North, the event delivered talks.",
         ("Harbour Hall North", "", "")),
    ],
)  # fmt: skip
def test_find_venue_forms(text, expected):
    assert facts.find_venue(text) == expected


def test_find_count_attendees_and_countries():
    text = "It hosted over 350 attendees from 30+ countries, with 47 speakers."
    assert facts.find_count(facts.ATTENDEES, text) == 350
    assert facts.find_count(facts.COUNTRY_COUNT, text) == 30


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Collaboration Conference 2023 Event Roundup", "Collaboration Conference 2023"),
        ("India User Group 2025 \u2013 Event Roundup", "India User Group 2025"),
        ("Open Orbit Summit 2023 Recap", "Open Orbit Summit 2023"),
        ("Nimbus Day", "Nimbus Day"),
        ("Explore the Sessions from the Nimbus Day 2025!", "Nimbus Day 2025"),
        ("Highlights of Nimbus Day 2024", "Nimbus Day 2024"),
    ],
)  # fmt: skip
def test_event_name_drops_roundup_words(title, name):
    assert event_name(title) == name


@pytest.mark.parametrize(
    ("filename", "slug"),
    [
        ("blog/2023-12-07-ccc2023-roundup/index.md", "ccc2023-roundup"),
        ("2024-03-12-nimbus-user-group.md", "nimbus-user-group"),
        ("/tmp/Some Post.md", "some-post"),
    ],
)
def test_parse_roundup_slug_from_file_name_without_front_matter_slug(filename, slug):
    roundup = parse("---\ntitle: Nimbus Day\n---\nHello.\n", filename=filename)
    assert roundup.source_key == slug


# Fixture posts --------------------------------------------------------------------------------


def test_parse_reference_post_outline(reference_roundup):
    roundup = read(reference_roundup)
    assert roundup.name == "CloudStack Collaboration Conference 2023"
    assert roundup.source_key == "ccc2023-roundup"
    assert [(s.day, s.position) for s in roundup.sessions][:2] == [(1, 0), (1, 1)]
    assert [s.origin.line for s in roundup.sessions][:3] == [37, 50, 64]
    assert roundup.unsupported_embeds == []
    assert "<iframe" not in roundup.summary
    assert "View Photo Gallery" not in roundup.summary
    assert "banner.jpg" not in roundup.summary
    assert roundup.summary.startswith("The [CloudStack Collaboration Conference\n2023]")
    assert roundup.summary.endswith("featuring the session slides and recordings.")


def test_parse_user_group_without_day_sections():
    roundup = read(ROUNDUPS / "2024-03-12-nimbus-user-group.md")
    assert (roundup.name, roundup.source_key) == (
        "Nimbus Cloud User Group 2024",
        "nimbus-user-group",
    )
    assert (roundup.start_date, roundup.end_date) == (date(2024, 3, 12), date(2024, 3, 12))
    assert (roundup.venue, roundup.city, roundup.country) == (
        "Lighthouse Conference Centre",
        "Rotterdam",
        "Netherlands",
    )
    assert (roundup.website, roundup.attendee_count) == ("https://usergroup.example.org/", 80)
    assert roundup.sponsors == [
        SponsorItem(
            "Cirrusworks",
            "https://cirrusworks.example.com/",
            Origin(line=16),
            source_key="cirrusworks",
        ),
        SponsorItem(
            "StratoByte",
            "https://stratobyte.example.net/",
            Origin(line=16),
            source_key="stratobyte",
        ),
        SponsorItem(
            "Nebulon", "https://nebulon.example.io/", Origin(line=16), source_key="nebulon"
        ),
    ]
    assert outline(roundup) == [
        (1, 0, "talk", "What's New in Nimbus 5",
         [("Marta Kowalczyk", "https://www.linkedin.com/in/marta-kowalczyk-00/", "Cirrusworks")],
         [], ["AbCdEfGh12345"]),
        (1, 1, "talk", "Storage High Availability", [("Tomasz Nowak", "", "StratoByte")],
         [], ["ZyXwVuTs98765"]),
        (1, 2, "talk", "Running Nimbus at a University",
         [("Ingrid Solberg", "https://github.com/isolberg", "")], [], []),
    ]  # fmt: skip
    assert [s.description for s in roundup.sessions] == [
        "Marta walked through the release.",
        "Tomasz showed failover between two sites.",
        "The abstract for this talk is not available.",
    ]
    assert roundup.summary == (
        "The [Nimbus Cloud User Group](https://usergroup.example.org/) met again this spring. "
        "The\nday took place on 12 March 2024 and was held at the Lighthouse Conference Centre,"
        "\nRotterdam, Netherlands."
    )


def test_parse_deep_headings_with_links_for_media_and_unlinked_speakers():
    roundup = read(ROUNDUPS / "deep-headings.md")
    assert (roundup.name, roundup.source_key) == ("Open Orbit Summit 2023", "orbit-summit-2023")
    assert (roundup.start_date, roundup.end_date) == (date(2023, 11, 23), date(2023, 11, 24))
    assert (roundup.city, roundup.country) == ("Lisbon", "Portugal")
    assert (roundup.attendee_count, roundup.country_count) == (120, 15)
    assert outline(roundup) == [
        (1, 0, "keynote", "The Road Ahead", [("Amara Okafor", "", "")], ["AAAAAAAAAAA"], []),
        (1, 1, "talk", "Scaling Tenants",
         [("Lena Fischer", "", ""), ("Rui Costa", "", ""), ("Sofia Almeida", "", "")],
         ["BBBBBBBBBBB"], ["orbitsummit/scaling-tenants"]),
        (2, 0, "panel", "Operators Roundtable",
         [("Amara Okafor", "", ""), ("Jan de Vries", "", "")], [], []),
        (2, 1, "workshop", "Hands-on Networking Workshop",
         [("Pieter van der Berg", "https://www.linkedin.com/in/pvdberg", "")], [], []),
    ]  # fmt: skip
    assert roundup.sessions[0].recordings == [
        MediaItem(
            "youtube", "AAAAAAAAAAA", "https://www.youtube.com/watch?v=AAAAAAAAAAA", Origin(line=18)
        )
    ]
    assert roundup.sessions[1].description == (
        "Three operators compared how they scale to thousands of tenants."
    )


def test_parse_legacy_html_post():
    roundup = read(ROUNDUPS / "legacy-html.md")
    assert (roundup.name, roundup.start_date) == ("Stratus Developer Day 2022", date(2022, 11, 14))
    assert (roundup.venue, roundup.city) == ("Old Harbour Hall", "Ghent")
    assert roundup.country == "Belgium"
    assert (roundup.website, roundup.attendee_count) == ("https://devday.stratus.example.org/", 60)
    assert [(s.name, s.url) for s in roundup.sponsors] == [
        ("HarbourHost", "https://harbourhost.example.com/"),
        ("Quay Labs", "https://quaylabs.example.com/"),
    ]
    assert outline(roundup) == [
        (1, 0, "talk", "Welcome & Project Update",
         [("Noor Haddad", "https://www.linkedin.com/in/noor-haddad/", "")], ["CCCCCCCCCCC"], []),
        (1, 1, "talk", "Debugging the Scheduler",
         [("Elias Berg", "https://www.linkedin.com/in/elias-berg/", ""),
          ("Kim Lund", "https://twitter.com/kimlund", "")],
         [], ["stratusdev/debugging-the-scheduler"]),
        (1, 2, "lightning", "Lightning Talks", [], [], []),
    ]  # fmt: skip
    assert [s.description for s in roundup.sessions] == [
        "Noor opened the day with **the project roadmap** and news from the community.",
        "A live debugging session.",
        "Five short talks from the community; no recording.",
    ]
    assert roundup.summary == (
        "The [**Stratus Developer Day**](https://devday.stratus.example.org/) took place on "
        "14 November 2022 in the Old Harbour Hall, Ghent, Belgium. More than 60 attendees joined."
    )


def test_parse_headings_with_companies_and_plain_sponsor_list():
    roundup = read(ROUNDUPS / "companies.md")
    assert (roundup.start_date, roundup.venue, roundup.city) == (
        date(2025, 5, 6),
        "Riverside Forum",
        "Leeds",
    )
    assert [(s.name, s.url) for s in roundup.sponsors] == [
        ("Cirrusworks", ""),
        ("StratoByte", ""),
        ("Nebulon", ""),
        ("Your.Cloud", ""),
    ]
    assert outline(roundup) == [
        (1, 0, "talk", "Edge Zones in Practice", [("Hannah Price", "", "Cirrusworks")],
         ["DDDDDDDDDDD"], []),
        (1, 1, "talk", "Observability Pipelines", [("Omar Haddad", "", "StratoByte")], [], []),
        (1, 2, "talk", "Backup Strategies", [("Chloe Martin", "", "Nebulon")], [], []),
        (1, 3, "talk", "Zero-Downtime Upgrades",
         [("Ravi Menon", "https://www.linkedin.com/in/ravi-menon-000/", "Your.Cloud")], [], []),
        (1, 4, "talk", "Tenant Billing",
         [("Lucia Rossi", "https://www.linkedin.com/in/lucia-rossi/", "Cirrusworks")], [], []),
    ]  # fmt: skip


def test_parse_bold_session_lines_inside_sessions_section():
    roundup = read(ROUNDUPS / "2023-05-04-altostratus-meetup.md")
    assert (roundup.source_key, roundup.start_date, roundup.city) == (
        "altostratus-meetup",
        date(2023, 5, 4),
        "Dublin",
    )
    assert outline(roundup) == [
        (1, 0, "talk", "Welcome", [("Grace Liu", "", "")], ["EEEEEEEEEEE"], []),
        (1, 1, "talk", "Tuning the Scheduler", [("Mateo Silva", "", "Nebulon")],
         ["FFFFFFFFFFF"], []),
    ]  # fmt: skip
    assert [s.description for s in roundup.sessions] == [
        "Grace opened the meetup.",
        "Mateo shared benchmarks from three clusters.",
    ]


def test_parse_unsupported_embed_is_reported_with_its_line():
    roundup = read(ROUNDUPS / "unsupported-embed.md")
    assert roundup.unsupported_embeds == [
        Note(Origin(line=20), "unsupported embed from dailymotion.com")
    ]
    assert [len(s.recordings) for s in roundup.sessions] == [1, 0]


def test_parse_non_session_headings_and_closing_text_stay_out_of_sessions():
    text = (
        "---\ntitle: Nimbus Day 2024\n---\nIntro.\n\n## Sessions\n\n"
        "### First Talk, [Ann Lee](https://www.linkedin.com/in/ann-lee/)\n\nAbout it.\n\n"
        "### Thank you\n\nThanks to everyone.\n\n## Photo gallery\n\n"
        "[See the photos](https://photos.example.org/album/1)\n"
    )
    roundup = parse(text, filename="nimbus.md")
    assert [(s.title, s.description) for s in roundup.sessions] == [("First Talk", "About it.")]
    assert roundup.photo_gallery_url == "https://photos.example.org/album/1"


def test_parse_heading_in_day_section_without_speakers_is_a_session():
    text = "---\ntitle: Nimbus Day 2024\n---\n\n## Day 2\n\n### Community Showcase\n\nDemos.\n"
    roundup = parse(text, filename="nimbus.md")
    assert outline(roundup) == [(2, 0, "talk", "Community Showcase", [], [], [])]


def test_parse_sub_headings_stay_inside_their_session():
    text = (
        "---\ntitle: Nimbus Day 2024\n---\n\n## Day 1\n\n"
        "### Storage Deep Dive, [Ann Lee](https://www.linkedin.com/in/ann-lee/)\n\n"
        "#### Abstract\n\nAll about disks.\n\n#### Slides\n\n"
        "[Slides](https://www.slideshare.net/annlee/storage-deep-dive)\n\n"
        "### Networking, Bo Stein\n\nAll about packets.\n\n"
        "#### Thank you\n\nSee you next year.\n"
    )
    roundup = parse(text, filename="nimbus.md")
    assert outline(roundup) == [
        (1, 0, "talk", "Storage Deep Dive",
         [("Ann Lee", "https://www.linkedin.com/in/ann-lee/", "")], [],
         ["annlee/storage-deep-dive"]),
        (1, 1, "talk", "Networking", [("Bo Stein", "", "")], [], []),
    ]  # fmt: skip
    assert [s.description for s in roundup.sessions] == [
        "#### Abstract\n\nAll about disks.",
        "All about packets.",
    ]


def test_parse_duplicate_session_titles_get_numbered_slugs():
    heading = "### Lightning Round, Ann Lee\n\nText.\n\n"
    text = "---\ntitle: Nimbus Day 2024\n---\n\n" + heading * 3
    roundup = parse(text, filename="nimbus.md")
    assert [s.source_key for s in roundup.sessions] == [
        "lightning-round",
        "lightning-round-2",
        "lightning-round-3",
    ]


def test_parse_headings_inside_code_fences_are_ignored():
    text = "---\ntitle: Nimbus Day 2024\n---\n\n```\n### Not a Talk, Ann Lee\n```\n"
    assert parse(text, filename="nimbus.md").sessions == []


def test_parse_legacy_bold_lines_are_sessions_with_their_media():
    """Posts migrated from the old blog engine: "<span><strong><a>Title</a> - Name</strong>"."""
    roundup = read(ROUNDUPS / "roller-bold-lines.md")
    slides = "cumulus/keynote-ten-years-of-clouds"
    assert outline(roundup) == [
        (1, 0, "keynote", "Ten Years of Clouds - Looking Back", [("Maren Holt", "", "")],
         ["AAAAAAAAAA1"], [slides, "KeyTenYears01"]),
        (1, 1, "talk", "Storage Tiers Explained", [("Tomas Virk", "", "")],
         ["AAAAAAAAAA2"], ["cumulus/storage-tiers"]),
        (1, 2, "talk", "Edge Sites", [("Lea Sorensen", "", ""), ("Ivo Marek", "", "")],
         ["AAAAAAAAAA3"], ["cumulus/edge-sites"]),
        (2, 0, "talk", "Billing Without Tears", [("Oskar Lind", "", "")], ["AAAAAAAAAA4"], []),
    ]  # fmt: skip


def test_parse_legacy_bold_lines_descriptions_have_no_html_left():
    roundup = read(ROUNDUPS / "roller-bold-lines.md")
    assert [s.description for s in roundup.sessions] == [
        "Maren looks back on ten years of the project.\n\n**About Maren Holt:**\n\n"
        "Maren chairs the project.",
        "Tomas explains storage tiers.",
        "Running small sites at the edge.\n\n**About the speakers:**\n\n"
        "Lea and Ivo run edge sites.",
        "Pending slides.\n\n**About Oskar Lind:**\n\nOskar builds billing systems.",
    ]


def test_parse_legacy_sponsor_links_lose_the_list_punctuation():
    roundup = read(ROUNDUPS / "roller-bold-lines.md")
    assert [(s.name, s.url) for s in roundup.sponsors] == [
        ("Skyforge", "https://skyforge.example.com/"),
        ("Driftnet", "https://driftnet.example.com/"),
        ("Nimbusworks", "https://nimbusworks.example.com/"),
    ]
    assert (roundup.start_date, roundup.end_date) == (date(2021, 6, 9), date(2021, 6, 10))


def test_parse_legacy_bold_paragraph_agenda_keeps_times_and_bold_paragraphs_apart():
    """ "<p><strong>09:45 - 10:30 - Title, </strong>Speaker</p>" then one bold line per bio."""
    roundup = read(ROUNDUPS / "roller-agenda-paragraphs.md")
    assert outline(roundup) == [
        (1, 0, "talk", "Welcome + News", [("Gil Sorensen", "", "Nimbus")], ["DDDDDDDDDD1"], []),
        (1, 1, "talk", "Nimbus with Ansible", [("Reto Moser", "", "")], ["DDDDDDDDDD2"],
         ["nimbus/ansible-talk"]),
        (1, 2, "talk", "Operating a Public Cloud Business", [("Sunil Bhatt", "", "IndiCloud")],
         ["DDDDDDDDDD3"], []),
    ]  # fmt: skip
    assert [s.start_time for s in roundup.sessions] == [time(9, 30), time(9, 45), time(10, 40)]
    assert roundup.sessions[2].description == (
        "Learnings.\n\n**17:45 - 19:00 - Networking and Beers**\n\n"
        "**LEARN MORE ABOUT THE SPEAKERS:**\n\n**Gil Sorensen**\n\nGil is a committer."
    )


def test_parse_agenda_table_rows_are_sessions_with_the_links_of_their_row():
    roundup = read(ROUNDUPS / "agenda-table.md")
    assert outline(roundup) == [
        (1, 0, "talk", "Doors Open + Welcome", [("Anil Rao", "", "")], [], []),
        (1, 1, "talk", "Cirrus 101: Your First Private Cloud",
         [("Rekha Yadav", "", "")], ["EEEEEEEEEE1"], ["cirrus/cirrus-101"]),
        (1, 2, "talk", "Object Storage in Cirrus", [("Kiran Shah", "", ""), ("Vimal Jain", "", "")],
         ["EEEEEEEEEE2"], []),
    ]  # fmt: skip
    assert [s.start_time for s in roundup.sessions] == [time(9, 30), time(10, 0), time(11, 30)]
    assert [s.description for s in roundup.sessions] == ["", "", ""]  # not "| Tea Break |"


def test_parse_speaker_line_under_a_heading_names_its_speakers():
    roundup = read(ROUNDUPS / "speaker-lines.md")
    assert outline(roundup) == [
        (1, 0, "talk", "Scaling the Control Plane",
         [("Mira Vos", "https://www.linkedin.com/in/mira-vos/", "Stackyard")], ["FFFFFFFFFF1"], []),
        (1, 1, "talk", "Storage Deep Dive", [("Pau Ferrer", "", ""), ("Lin Zhao", "", "")], [],
         ["altus/storage-deep-dive"]),
        (1, 2, "talk", "Edge Routing",
         [("Tom Berg", "https://www.linkedin.com/in/tom-berg/", ""),
          ("Ida Holm", "https://www.linkedin.com/in/ida-holm/", "")], [], []),
    ]  # fmt: skip
    assert [s.description for s in roundup.sessions] == [
        "We scaled it.",
        "**Speaker Bio:** Pau writes storage drivers.",
        "Routing at the edge.",
    ]


def test_parse_bold_title_linking_its_video_is_a_session_even_without_speakers():
    roundup = read(ROUNDUPS / "linked-bold-titles.md")
    assert outline(roundup) == [
        (1, 0, "talk", "Opening Words", [("Hanna Berg", "", "")], ["BBBBBBBBBB1"], []),
        (1, 1, "talk", "Backups and Beyond : what is next",
         [("Jon Mills", "", ""), ("Rui de La Costa", "", ""), ("Amadou", "", "Tidewave")],
         ["BBBBBBBBBB2"], []),
        (1, 2, "talk", "Community Q&A", [], ["BBBBBBBBBB3"], []),
    ]  # fmt: skip
    assert roundup.sessions[2].description == "Open questions from the room."


def test_parse_heading_oxford_comma_and_short_acronyms_stay_in_the_title():
    heading = parse_heading(
        "Faster Clouds with Object Storage, DRS, VM Scheduling, and DRaaS, "
        "[Ana Lima](https://www.linkedin.com/in/ana-lima/) & [Ben Okoro](https://x.com/benokoro)"
    )
    assert heading.title == "Faster Clouds with Object Storage, DRS, VM Scheduling, and DRaaS"
    assert [speaker.name for speaker in heading.speakers] == ["Ana Lima", "Ben Okoro"]


def test_parse_heading_lone_first_name_after_and_is_a_speaker():
    heading = parse_heading("Backups, Jon Mills and Amadou, Tidewave")
    assert (heading.title, heading.speakers) == (
        "Backups",
        [SpeakerItem("Jon Mills"), SpeakerItem("Amadou", company="Tidewave")],
    )
    assert parse_heading("Research and Development").speakers == []


def test_parse_bio_profile_links_name_the_heading_speakers():
    """ "### Title, Ravindran" + "[Ravindran](profile)" in the bio: a person, with a profile."""
    roundup = read(ROUNDUPS / "bio-profile-links.md")
    assert outline(roundup) == [
        (1, 0, "talk", "Opening and Community Update",
         [("Arjun Mehta", "https://www.linkedin.com/in/arjun-mehta-cirrus/", "")],
         [], ["CirrusWelcome1", "cirrus/welcome-and-state"]),
        (1, 1, "talk", "Running Cirrus on Ceph",
         [("Ravindran", "https://www.linkedin.com/in/ravindran-p-1234/", "")],
         ["CCCCCCCCCC1"], []),
        (1, 2, "talk", "Community Forum: Open Questions", [], [], []),
    ]  # fmt: skip
    assert "Open in SlideShare" not in roundup.sessions[0].description
    assert roundup.sessions[2].description == "Questions from the audience to the maintainers."
    # Without a bio link one word after a comma may as well be a company: not taken as a person.
    assert parse_heading("Running Ceph, Ravindran").speakers == []


# Malformed input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "file is empty"),
        ("  \n\n", 1, "file is empty"),
        ("# Just a heading\n", 1, "no front matter"),
        ("\n\n---\ntitle: X\n\nBody\n", 3, "front matter is not closed"),
        ("---\ntitle: X\nslug: [oops\n---\n", 3, "invalid YAML"),
        ("---\ntitle: X\ntags: a: b\nslug: y\n---\n", 3, "invalid YAML"),
        ("---\n- a\n- b\n---\n", 2, "must be a YAML mapping"),
        ("---\nslug: x\n---\nBody\n", 1, "has no title"),
        ("---\nslug: x\ntitle: ''\n---\nBody\n", 3, "has no title"),
        ("---\ntitle: [a, b]\n---\nBody\n", 2, "must be text"),
        ("---\ntitle: X\nslug: [a, b]\n---\nBody\n", 3, "slug in the front matter must be text"),
        ("---\ntitle: X\ndate: 2023-13-45\n---\nBody\n", 3, "invalid value"),
        ("---\ntitle: X\nx: " + "[" * 5000 + "]" * 5000 + "\n---\n", 3, "invalid value"),
        ("---\ntitle: X\n---\n\n### , [Ann Lee](https://www.linkedin.com/in/al/)\n", 5, "no title"),
        ("---\ntitle: X\n---\n\n### [Ann Lee](https://www.linkedin.com/in/al/)\n", 5, "no title"),
    ],
)  # fmt: skip
def test_parse_roundup_malformed_raises_with_line(text, line, message):
    with pytest.raises(SourceError) as excinfo:
        parse(text, filename="post.md")
    assert excinfo.value.line == line
    assert message in excinfo.value.message


@pytest.mark.parametrize(
    ("front_matter", "title"),
    [
        ("title: .nan", ".nan"),
        ("title: .inf", ".inf"),
        ("title: 2023", "2023"),
        ("title: 1.10  # a version", "1.10"),
        ("title: yes", "yes"),
        ("title: 2023-11-23", "2023-11-23"),
        ("title: !!float 3", "3"),
        ("title: '1.10'", "1.10"),
    ],
)
def test_a_title_yaml_reads_as_a_number_or_date_is_taken_as_written(front_matter, title):
    text = f"---\n{front_matter}\nslug: s\n---\n\n## Day 1 Sessions\n\n### Talk, [A B](https://b.example/)\n"

    roundup = parse(text, filename="post.md")

    assert (roundup.title, roundup.name) == (title, title)
