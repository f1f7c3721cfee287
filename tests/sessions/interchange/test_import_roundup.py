"""``manage.py import_roundup``: what the database holds after importing roundup posts."""

from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.html import escape

from conference.models import Event, Sponsor
from sessions.models import Recording, Session, SessionSpeaker, SlideDeck
from speakers.models import ProfileLink, Speaker
from tests.conftest import FIXTURES

ROUNDUPS = FIXTURES / "roundups"
REFERENCE_SPEAKER_COUNT = 44  # by hand: 50 names in headings; Wido x3, 4 others x2


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_roundup", *[str(arg) for arg in args], stdout=out, stderr=err)
    return out.getvalue()


def dump():
    """Every row the importer could touch, as dumpdata prints it."""
    out = StringIO()
    call_command("dumpdata", "conference", "talks", "speakers", "taggit", stdout=out)
    return out.getvalue()


def speaker_names(session):
    return [speaker.name for speaker in session.ordered_speakers]


def db_outline(event):
    """(day, position, kind, title, [speaker names], [video keys], [slide keys]) per session."""
    return [
        (
            s.day,
            s.position,
            s.kind,
            s.title,
            speaker_names(s),
            [r.provider_key for r in s.recordings.order_by("position")],
            [d.provider_key for d in s.slide_decks.order_by("position")],
        )
        for s in event.sessions.for_cards().order_by("day", "position")
    ]


# The reference post ---------------------------------------------------------------------------


def test_import_reference_sessions_per_day(reference_event):
    sessions = reference_event.sessions.all()
    assert sessions.count() == 36
    assert Counter(sessions.values_list("day", flat=True)) == {1: 16, 2: 20}
    assert [s.position for s in sessions.filter(day=1)] == list(range(16))
    assert [s.position for s in sessions.filter(day=2)] == list(range(20))
    assert sessions.filter(day=1).first().title == "State of the Union"
    assert sessions.filter(day=2).first().title == (
        "How to Re-use Old Hardware with CloudStack. Saving Money and the Environment"
    )
    assert sessions.filter(day=2).last().title == "Import Export Virtual Machine for KVM Hypervisor"


def test_import_reference_event_facts(reference_event):
    event = reference_event
    assert event.name == "CloudStack Collaboration Conference 2023"
    assert event.slug == "ccc2023-roundup"
    assert (event.start_date, event.end_date) == (date(2023, 11, 23), date(2023, 11, 24))
    assert (event.venue, event.city) == ("voco hotel, Porte de Clichy", "Paris")
    assert (event.attendee_count, event.country_count) == (350, 30)
    assert event.website == "https://www.cloudstackcollab.org/"
    assert event.photo_gallery_url == "https://photos.app.goo.gl/9Ke53cngVzTCS2wE7"
    assert event.is_published is True
    assert event.summary.startswith("The [CloudStack Collaboration Conference\n2023](")
    assert "banner.jpg" not in event.summary
    assert "Photo Gallery" not in event.summary
    assert "truncate" not in event.summary


def test_import_reference_sponsors_in_order(reference_event):
    sponsorships = reference_event.sponsorships.for_event_page()
    assert [(s.sponsor.name, s.sponsor.website) for s in sponsorships] == [
        ("ShapeBlue", "https://www.shapeblue.com/"),
        ("StorPool", "https://storpool.com/"),
        ("LINBIT", "https://linbit.com/"),
        ("DIMSI", "https://cloud.dimsi.io/#/"),
        ("Vates", "https://vates.tech/"),
        ("mitteldeutsche IT", "https://mitteldeutsche-it.de/"),
        ("Leaseweb", "https://www.leaseweb.com/"),
        ("proIO", "https://www.proio.com/"),
        ("Your.Online", "https://your.online/"),
    ]


def test_import_reference_recordings_and_slide_decks(reference_event):
    recordings = Recording.objects.filter(session__event=reference_event)
    decks = SlideDeck.objects.filter(session__event=reference_event)
    assert recordings.count() == 36
    assert set(recordings.values_list("provider", flat=True)) == {"youtube"}
    assert decks.count() == 34
    assert set(decks.values_list("provider", flat=True)) == {"slideshare"}
    first = reference_event.sessions.get(slug="state-of-the-union")
    assert [(r.provider_key, r.url) for r in first.recordings.all()] == [
        ("cCNCmJxxEPA", "https://www.youtube.com/watch?v=cCNCmJxxEPA")
    ]
    assert [(d.provider_key, d.url) for d in first.slide_decks.all()] == [
        (
            "hH2CO8kHcQaCQo",
            "https://www.slideshare.net/slideshow/embed_code/key/hH2CO8kHcQaCQo",
        )
    ]
    last = reference_event.sessions.get(slug="import-export-virtual-machine-for-kvm-hypervisor")
    assert [r.provider_key for r in last.recordings.all()] == ["ZKKMW4aAprY"]
    assert [d.provider_key for d in last.slide_decks.all()] == ["fUIK05TiJtVJ5f"]
    without_slides = reference_event.sessions.filter(slide_decks__isnull=True)
    assert sorted(without_slides.values_list("title", flat=True)) == [
        "Apache CloudStack Question Time",
        "Project Sustainability and Vendor Contributions in an Apache Governance Model",
    ]


def test_import_reference_speakers_of_sessions(reference_event):
    sessions = {s.title: speaker_names(s) for s in reference_event.sessions.for_cards()}
    assert {title: sessions[title] for title in SAMPLE_SPEAKERS} == SAMPLE_SPEAKERS


SAMPLE_SPEAKERS = {
    "State of the Union": ["Rohit Yadav"],
    "Open Source is Not Dead": ["Charles Schulz"],
    "Apache CloudStack Question Time": [
        "Giles Sirett", "Wido den Hollander", "Stephan Bienek", "Swen Brüseke",
    ],
    "Zero to Cloud Hero: Crafting a Private Cloud from Scratch with XCP-ng, Xen Orchestra and "
    "CloudStack": ["Olivier Lambert"],
    "Developments to CloudStack\u2019s SDN ecosystem: Integration with VMWare NSX 4": [
        "Pearl Dsilva", "Alexandre Mattioli",
    ],
    "Backroll, News and Demo": ["Pierre Charton", "Matthias Dhellin", "Ousmane Diarra"],
    "Building a Software Makerspace with CloudStack to Drive Innovation by Improving Learning "
    "and Research Abilities at Universities": ["Jonas Willén", "Pierre Le Fèvre", "Emil Karlsson"],
    "Use Existing Assets to Build a Powerful In-house Cloud Solution": [
        "Magali Pervan", "Joffrey Luangsaysana", "Grégoire Lamodière",
    ],
    "Project Sustainability and Vendor Contributions in an Apache Governance Model": [
        "Ivet Petrova", "Daan Hoogland", "Alex Ivanov",
    ],
    "Enabling DPU Hardware Accelerators in XCP-ng Cloud Platform Environment": ["Andrei Semenov"],
    "CloudStack Object Storage - An Introduction": ["Vladimir Petrov"],
    "Confidence in CloudStack": ["Aron Wagner", "Nathan Gleason"],
    "CloudStack and GitOps at Enterprise Scale": ["Alex Dometrius", "Rene Glover"],
    "Setting Up Your First CloudStack Environment with Beginners Challenges": ["MD Rasel"],
}  # fmt: skip


def test_import_reference_distinct_speaker_count(reference_event):
    assert Speaker.objects.count() == REFERENCE_SPEAKER_COUNT
    in_event = Speaker.objects.filter(sessions__event=reference_event).distinct()
    assert in_event.count() == REFERENCE_SPEAKER_COUNT
    assert SessionSpeaker.objects.filter(session__event=reference_event).count() == 50


@pytest.mark.parametrize(
    ("name", "session_count", "links"),
    [
        ("Wido den Hollander", 3, ["https://www.linkedin.com/in/widodh/"]),
        ("Alexandre Mattioli", 2, ["https://www.linkedin.com/in/alexandremattiolibastos/"]),
        ("Alex Ivanov", 2, ["https://www.linkedin.com/in/alex-p-ivanov"]),
        ("Stephan Bienek", 2, ["https://www.linkedin.com/in/stephan-bienek-66aa69206/"]),
        ("Swen Brüseke", 2, ["https://www.linkedin.com/in/swen-br%C3%BCseke-391912193/"]),
        ("Giles Sirett", 1, []),
        ("Andrei Semenov", 1, []),
    ],
)
def test_import_reference_one_person_is_one_speaker(reference_event, name, session_count, links):
    speaker = Speaker.objects.get(name=name)
    assert speaker.sessions.count() == session_count
    assert list(speaker.links.values_list("url", flat=True)) == links


def test_import_reference_profile_links(reference_event):
    assert ProfileLink.objects.count() == REFERENCE_SPEAKER_COUNT - 2  # Giles, Andrei: no link
    kinds = Counter(ProfileLink.objects.values_list("kind", flat=True))
    assert kinds == {"linkedin": REFERENCE_SPEAKER_COUNT - 3, "github": 1}
    assert Speaker.objects.get(name="Rene Peinthor").links.get().url == "https://github.com/rp-"
    assert Speaker.objects.get(name="Swen Brüseke").slug == "swen-bruseke"


def test_import_reference_kinds(reference_event):
    kinds = dict(reference_event.sessions.values_list("title", "kind"))
    special = {title: kind for title, kind in kinds.items() if kind != "talk"}
    assert special == {
        "Open Source is Not Dead": "keynote",
        "Apache CloudStack Question Time": "panel",
        "Project Sustainability and Vendor Contributions in an Apache Governance Model": "panel",
        "Backup and Disaster Recovery with CloudStack and StorPool": "workshop",
        "Live Demo Showcase: Unveiling Dell PowerFlex\u2019s IaaS Capabilities with Apache "
        "CloudStack": "demo",
    }


def test_import_reference_descriptions_are_markdown_without_embeds(reference_event):
    descriptions = list(reference_event.sessions.values_list("description", flat=True))
    assert all(descriptions)
    assert [d for d in descriptions if "<" in d or "iframe" in d] == []
    panel = reference_event.sessions.get(title="Apache CloudStack Question Time")
    assert panel.description == (
        "Panel group \u2013 taking a range of submitted questions from the audience (across\n"
        "any subject)."
    )
    kvm = reference_event.sessions.get(title="KVM Security Groups Under the Hood")
    assert kvm.description.split("\n\n")[1] == (
        "In this talk, Wido dives into the specifics of the security groups on the KVM "
        "hypervisor for both IPv4 and IPv6."
    )


def test_import_reference_prints_summary_and_url(db, reference_roundup):
    output = run(reference_roundup)
    assert "-> /events/ccc2023-roundup/" in output
    assert "sessions: 36 created, 0 updated, 0 unchanged, 0 deleted" in output
    assert f"speakers: {REFERENCE_SPEAKER_COUNT} created, 0 updated" in output
    assert "sponsors: 9 created, 0 updated" in output
    assert "recordings: 36 (36 added, 0 removed); slide decks: 34 (34 added, 0 removed)" in output


def test_import_verbosity_two_lists_each_session(db, reference_roundup):
    output = run(reference_roundup, "-v", "2")
    assert "  created   day 1 #1 State of the Union (line 37)" in output
    assert "  created   day 2 #20 Import Export Virtual Machine for KVM Hypervisor (line 496)" in (
        output
    )


# Idempotency and revisions --------------------------------------------------------------------


def test_import_twice_changes_nothing(reference_event, reference_roundup):
    before = dump()
    output = run(reference_roundup)
    assert dump() == before
    assert "sessions: 0 created, 0 updated, 36 unchanged, 0 deleted" in output
    assert "speakers: 0 created, 0 updated" in output
    assert "sponsors: 0 created, 0 updated" in output
    assert "(0 added, 0 removed); slide decks: 34 (0 added, 0 removed)" in output


def test_import_revised_post_updates_the_same_event(reference_event, reference_roundup, tmp_path):
    pks = dict(reference_event.sessions.values_list("slug", "pk"))
    text = reference_roundup.read_text(encoding="utf-8")
    drbd_start = text.index("### DRBD Deep Dive")
    drbd_end = text.index("### Setting Up Your First CloudStack")
    text = text[:drbd_start] + text[drbd_end:]
    text = text.replace("### State of the Union,", "### State of the Union 2023,")
    text = text.replace(
        "[Nathan Gleason](https://www.linkedin.com/in/nathangleason)",
        "[Nathan Gleason](https://www.linkedin.com/in/nathangleason), "
        "[Zoe Example](https://www.linkedin.com/in/zoe-example/)",
    )
    revised = tmp_path / "ccc2023-roundup-revised.md"
    revised.write_text(text, encoding="utf-8")

    output = run(revised)

    event = Event.objects.get()
    assert event.pk == reference_event.pk
    sessions = event.sessions.all()
    assert sessions.count() == 35
    assert Counter(sessions.values_list("day", flat=True)) == {1: 16, 2: 19}
    assert not sessions.filter(slug__in=["drbd-deep-dive", "state-of-the-union"]).exists()
    renamed = sessions.get(slug="state-of-the-union-2023")
    assert (renamed.title, renamed.day, renamed.position) == ("State of the Union 2023", 1, 0)
    assert renamed.pk not in pks.values()
    kept = {slug: pk for slug, pk in sessions.values_list("slug", "pk") if slug in pks}
    assert kept == {slug: pk for slug, pk in pks.items() if slug in kept}
    assert len(kept) == 34
    confidence = sessions.get(slug="confidence-in-cloudstack")
    assert speaker_names(confidence) == ["Aron Wagner", "Nathan Gleason", "Zoe Example"]
    assert [s.position for s in sessions.filter(day=2)] == list(range(19))
    assert Recording.objects.count() == 35
    assert SlideDeck.objects.count() == 33
    assert Speaker.objects.count() == REFERENCE_SPEAKER_COUNT + 1  # Philipp Reisner stays
    assert "sessions: 1 created, 16 updated, 18 unchanged, 2 deleted" in output
    assert "speakers: 1 created, 0 updated" in output


def test_import_speaker_shared_across_events(reference_event, tmp_path):
    other = tmp_path / "2024-02-01-nimbus-night.md"
    other.write_text(
        "---\ntitle: Nimbus Night 2024\n---\n\nNimbus Night 2024 took place on 1 February 2024."
        "\n\n## Day 1\n\n### Ceph Tips, [WIDO den Hollander](https://social.example/@wido)\n\nTips.\n\n"
        "### Routing, [Alex Ivanov](http://linkedin.com/in/alex-p-ivanov/)\n\nRoutes.\n\n"
        "### Storage, [Swen Bruseke](https://www.linkedin.com/in/swen-brüseke-391912193)\n\nDisks.\n",
        encoding="utf-8",
    )
    output = run(other)
    assert Speaker.objects.count() == REFERENCE_SPEAKER_COUNT
    assert ProfileLink.objects.count() == REFERENCE_SPEAKER_COUNT - 2 + 1  # + Wido's second
    wido = Speaker.objects.get(name="Wido den Hollander")
    assert wido.sessions.count() == 4
    assert list(wido.links.values_list("url", flat=True)) == [
        "https://www.linkedin.com/in/widodh/",
        "https://social.example/@wido",
    ]
    assert Speaker.objects.get(name="Alex Ivanov").sessions.count() == 3
    assert Speaker.objects.get(name="Swen Brüseke").sessions.count() == 3
    assert "speakers: 0 created, 1 updated (3 in this post)" in output


def test_import_keeps_uploaded_pdf_decks_after_the_posts_decks(
    reference_event, reference_roundup, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    session = reference_event.sessions.get(slug="state-of-the-union")
    session.slide_decks.update(position=5)
    SlideDeck.objects.create(
        session=session, pdf=SimpleUploadedFile("deck.pdf", b"%PDF-1.4"), position=0
    )
    run(reference_roundup)
    decks = list(session.slide_decks.order_by("position").values_list("provider", "position"))
    assert decks == [("slideshare", 0), ("pdf", 1)]


# Options --------------------------------------------------------------------------------------


def test_import_draft_leaves_everything_unpublished(db, reference_roundup):
    run(reference_roundup, "--draft")
    event = Event.objects.get()
    assert event.is_published is False
    assert event.sessions.count() == 36
    assert event.sessions.filter(is_published=True).count() == 0


def test_import_without_draft_publishes_a_draft_event(db, reference_roundup):
    run(reference_roundup, "--draft")
    run(reference_roundup)
    assert Event.objects.get().is_published is True
    assert Session.objects.filter(is_published=False).count() == 0


def test_import_dry_run_writes_nothing(db, reference_roundup):
    output = run(reference_roundup, "--dry-run")
    assert "Would import" in output
    assert "sessions: 36 created" in output
    assert "dry run: nothing was written" in output
    assert (Event.objects.count(), Session.objects.count(), Speaker.objects.count()) == (0, 0, 0)
    assert (Sponsor.objects.count(), Recording.objects.count(), SlideDeck.objects.count()) == (
        0,
        0,
        0,
    )


def test_import_dry_run_on_imported_event_changes_nothing(reference_event, reference_roundup):
    before = dump()
    run(reference_roundup, "--dry-run", "--draft")
    assert dump() == before


def test_import_unsupported_embed_is_refused_with_its_line(reference_event):
    path = ROUNDUPS / "unsupported-embed.md"
    before = dump()
    with pytest.raises(CommandError) as excinfo:
        run(path)
    assert (
        f"{path}:20: unsupported embed from dailymotion.com "
        "(use --skip-unsupported to import without it)"
    ) in str(excinfo.value)
    assert dump() == before


def test_import_skip_unsupported_imports_and_lists_the_embed(db):
    path = ROUNDUPS / "unsupported-embed.md"
    output = run(path, "--skip-unsupported")
    assert f"{path}:20: skipped unsupported embed from dailymotion.com" in output
    event = Event.objects.get(slug="nimbus-night-2024")
    assert db_outline(event) == [
        (1, 0, "talk", "Supported Talk", ["Ana Lima"], ["GGGGGGGGGGG"], []),
        (1, 1, "talk", "Talk on Another Host", ["Ben Okoro"], [], []),
    ]


# Malformed input ------------------------------------------------------------------------------

MALFORMED = {
    "nul-bytes": (b"---\ntitle: X\n---\n\nText\x00\x01\n", 5, "NUL bytes"),
    "not-utf8": (b"---\ntitle: Caf\xe9 Day\n---\n", 2, "not UTF-8"),
    "empty": (b"", 1, "file is empty"),
    "no-front-matter": (b"# CCC 2023 Roundup\n\nText.\n", 1, "no front matter"),
    "unclosed-front-matter": (b"---\ntitle: X\n\n## Day 1\n", 1, "not closed"),
    "invalid-yaml": (b"---\ntitle: X\nslug: [oops\n---\n", 3, "invalid YAML"),
    "not-a-mapping": (b"---\n- title\n- slug\n---\n", 2, "must be a YAML mapping"),
    "no-title": (b"---\nslug: ccc2023-roundup\n---\n\nText.\n", 1, "has no title"),
    "heading-without-title": (
        b"---\ntitle: X\n---\n\n## Day 1\n\n### , [Ann Lee](https://www.linkedin.com/in/al/)\n",
        7,
        "session heading has no title",
    ),
    "heading-with-only-a-speaker": (
        b"---\ntitle: X\n---\n\n### [Ann Lee](https://www.linkedin.com/in/al/)\n",
        5,
        "session heading has no title",
    ),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_import_malformed_file_exits_with_line_and_changes_nothing(reference_event, tmp_path, case):
    content, line, message = MALFORMED[case]
    path = tmp_path / f"{case}.md"
    path.write_bytes(content)
    before = dump()
    with pytest.raises(CommandError) as excinfo:
        run(path)
    assert f"{path}:{line}: " in str(excinfo.value)
    assert message in str(excinfo.value)
    assert dump() == before


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.md", "no such file"),
        ("", "is a directory"),
        ("big.md", "file is larger than 5 MB"),
    ],
)
def test_import_unreadable_path_exits_and_changes_nothing(reference_event, tmp_path, name, message):
    path = tmp_path / name if name else tmp_path
    if name == "big.md":
        path.write_bytes(b"---\ntitle: X\n---\n" + b"a" * (5 * 1024 * 1024))
    before = dump()
    with pytest.raises(CommandError) as excinfo:
        run(path)
    assert f"{path}:1: {message}" in str(excinfo.value)
    assert dump() == before


def test_import_invalid_value_rolls_back_the_whole_file(
    reference_event, reference_roundup, tmp_path
):
    """The event is updated first; a bad session further down must undo that too."""
    text = reference_roundup.read_text(encoding="utf-8")
    text = text.replace("Event Roundup", "Event Roundup (revised)")
    text = text.replace("### DRBD Deep Dive,", "### DRBD Deep Dive" + " and more" * 40 + ",")
    path = tmp_path / "ccc2023-roundup.md"
    path.write_text(text, encoding="utf-8")
    before = dump()
    with pytest.raises(CommandError) as excinfo:
        run(path)
    assert f"{path}:285: session title: Ensure this value has at most 300 characters" in str(
        excinfo.value
    )
    assert dump() == before


def test_import_several_files_reports_the_failed_one(db, tmp_path):
    good = ROUNDUPS / "deep-headings.md"
    bad = tmp_path / "bad.md"
    bad.write_text("no front matter here\n", encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        run(bad, good)
    message = str(excinfo.value)
    assert f"{bad}:1: no front matter" in message
    assert message.startswith(f"1 of 2 file(s) not imported (imported: {good}):\n")
    assert list(Event.objects.values_list("slug", flat=True)) == ["orbit-summit-2023"]


# Variant posts --------------------------------------------------------------------------------


def test_import_user_group_without_day_sections(db):
    run(ROUNDUPS / "2024-03-12-nimbus-user-group.md")
    event = Event.objects.get(slug="nimbus-user-group")
    assert (event.name, event.start_date, event.end_date) == (
        "Nimbus Cloud User Group 2024",
        date(2024, 3, 12),
        date(2024, 3, 12),
    )
    assert event.location == "Lighthouse Conference Centre, Rotterdam, Netherlands"
    assert db_outline(event) == [
        (1, 0, "talk", "What's New in Nimbus 5", ["Marta Kowalczyk"], [], ["AbCdEfGh12345"]),
        (1, 1, "talk", "Storage High Availability", ["Tomasz Nowak"], [], ["ZyXwVuTs98765"]),
        (1, 2, "talk", "Running Nimbus at a University", ["Ingrid Solberg"], [], []),
    ]
    assert dict(Speaker.objects.values_list("name", "company")) == {
        "Marta Kowalczyk": "Cirrusworks",
        "Tomasz Nowak": "StratoByte",
        "Ingrid Solberg": "",
    }
    assert [s.sponsor.name for s in event.sponsorships.for_event_page()] == [
        "Cirrusworks",
        "StratoByte",
        "Nebulon",
    ]
    assert "Thank" not in "".join(event.sessions.values_list("description", flat=True))


def test_import_index_md_folder_form_takes_the_folder_name(db, tmp_path):
    folder = tmp_path / "2024-03-12-nimbus-user-group-spring"
    folder.mkdir()
    source = ROUNDUPS / "2024-03-12-nimbus-user-group.md"
    (folder / "index.md").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    run(folder / "index.md")
    assert list(Event.objects.values_list("slug", flat=True)) == ["nimbus-user-group-spring"]


def test_import_deep_headings_with_media_links(db):
    run(ROUNDUPS / "deep-headings.md")
    event = Event.objects.get(slug="orbit-summit-2023")
    assert (event.start_date, event.end_date, event.city, event.country) == (
        date(2023, 11, 23),
        date(2023, 11, 24),
        "Lisbon",
        "Portugal",
    )
    assert db_outline(event) == [
        (1, 0, "keynote", "The Road Ahead", ["Amara Okafor"], ["AAAAAAAAAAA"], []),
        (1, 1, "talk", "Scaling Tenants", ["Lena Fischer", "Rui Costa", "Sofia Almeida"],
         ["BBBBBBBBBBB"], ["orbitsummit/scaling-tenants"]),
        (2, 0, "panel", "Operators Roundtable", ["Amara Okafor", "Jan de Vries"], [], []),
        (2, 1, "workshop", "Hands-on Networking Workshop", ["Pieter van der Berg"], [], []),
    ]  # fmt: skip
    assert Speaker.objects.count() == 6
    assert SlideDeck.objects.get().url == "https://www.slideshare.net/orbitsummit/scaling-tenants"


def test_import_legacy_html_post(db):
    run(ROUNDUPS / "legacy-html.md")
    event = Event.objects.get(slug="stratus-dev-day-2022")
    assert (event.start_date, event.location, event.attendee_count) == (
        date(2022, 11, 14),
        "Old Harbour Hall, Ghent, Belgium",
        60,
    )
    assert db_outline(event) == [
        (1, 0, "talk", "Welcome & Project Update", ["Noor Haddad"], ["CCCCCCCCCCC"], []),
        (1, 1, "talk", "Debugging the Scheduler", ["Elias Berg", "Kim Lund"], [],
         ["stratusdev/debugging-the-scheduler"]),
        (1, 2, "lightning", "Lightning Talks", [], [], []),
    ]  # fmt: skip
    assert [s.sponsor.name for s in event.sponsorships.for_event_page()] == [
        "HarbourHost",
        "Quay Labs",
    ]
    assert dict(ProfileLink.objects.values_list("url", "kind")) == {
        "https://www.linkedin.com/in/noor-haddad/": "linkedin",
        "https://www.linkedin.com/in/elias-berg/": "linkedin",
        "https://twitter.com/kimlund": "twitter",
    }
    descriptions = "".join(event.sessions.values_list("description", flat=True))
    assert "<" not in descriptions and "iframe" not in descriptions


def test_import_headings_with_companies(db):
    run(ROUNDUPS / "companies.md")
    event = Event.objects.get(slug="cumulus-day-2025")
    assert db_outline(event) == [
        (1, 0, "talk", "Edge Zones in Practice", ["Hannah Price"], ["DDDDDDDDDDD"], []),
        (1, 1, "talk", "Observability Pipelines", ["Omar Haddad"], [], []),
        (1, 2, "talk", "Backup Strategies", ["Chloe Martin"], [], []),
        (1, 3, "talk", "Zero-Downtime Upgrades", ["Ravi Menon"], [], []),
        (1, 4, "talk", "Tenant Billing", ["Lucia Rossi"], [], []),
    ]
    assert dict(Speaker.objects.values_list("name", "company")) == {
        "Hannah Price": "Cirrusworks",
        "Omar Haddad": "StratoByte",
        "Chloe Martin": "Nebulon",
        "Ravi Menon": "Your.Cloud",
        "Lucia Rossi": "Cirrusworks",
    }
    assert [(s.sponsor.name, s.sponsor.website) for s in event.sponsorships.for_event_page()] == [
        ("Cirrusworks", ""),
        ("StratoByte", ""),
        ("Nebulon", ""),
        ("Your.Cloud", ""),
    ]


def test_import_bold_session_lines(db):
    run(ROUNDUPS / "2023-05-04-altostratus-meetup.md")
    event = Event.objects.get(slug="altostratus-meetup")
    assert db_outline(event) == [
        (1, 0, "talk", "Welcome", ["Grace Liu"], ["EEEEEEEEEEE"], []),
        (1, 1, "talk", "Tuning the Scheduler", ["Mateo Silva"], ["FFFFFFFFFFF"], []),
    ]
    assert list(event.sessions.values_list("description", flat=True)) == [
        "Grace opened the meetup.",
        "Mateo shared benchmarks from three clusters.",
    ]


def test_import_variants_twice_changes_nothing(db):
    paths = sorted(ROUNDUPS.glob("*.md"))
    run(*paths, "--skip-unsupported")
    before = dump()
    run(*paths, "--skip-unsupported")
    assert dump() == before
    assert Event.objects.count() == len(paths)


@pytest.mark.parametrize(
    ("name", "slug", "sessions", "videos", "decks"),
    [
        ("roller-bold-lines.md", "cumulus-summit-2021-roundup", 4, 4, 4),
        ("linked-bold-titles.md", "stratus-users-2023-roundup", 3, 3, 0),
        ("bio-profile-links.md", "cirrus-india-2023-roundup", 3, 1, 2),
        ("roller-agenda-paragraphs.md", "nimbus-virtual-2022", 3, 3, 1),
        ("agenda-table.md", "cirrus-pune-2024", 3, 2, 1),
    ],
)
def test_import_variant_shows_everything_on_the_event_page_and_reimports_unchanged(
    db, client, name, slug, sessions, videos, decks
):
    path = ROUNDUPS / name
    run(path)
    event = Event.objects.get(slug=slug)
    page = client.get(event.get_absolute_url()).content.decode()
    outline = db_outline(event)
    assert (len(outline), sum(len(o[5]) for o in outline), sum(len(o[6]) for o in outline)) == (
        sessions,
        videos,
        decks,
    )
    shown = [
        text
        for _day, _position, _kind, title, names, video_keys, deck_keys in outline
        for text in [title, *names, *video_keys, *[key.rsplit("/", 1)[-1] for key in deck_keys]]
    ]
    assert [text for text in shown if escape(text) not in page] == []
    before = dump()
    output = run(path)
    assert dump() == before
    assert f"sessions: 0 created, 0 updated, {sessions} unchanged, 0 deleted" in output
