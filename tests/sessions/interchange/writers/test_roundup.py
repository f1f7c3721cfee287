"""The roundup writer, through ``manage.py export_roundup`` and the staff download: a post the
importer reads back as it was."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template.loader import render_to_string
from django.urls import reverse
from taggit.models import Tag

from conference.models import Event, Sponsor, Sponsorship
from sessions.interchange.readers.roundup import parse as parse_roundup
from sessions.models import Recording, Session, SlideDeck
from speakers.models import ProfileLink, Speaker
from tests.factories import (
    EventFactory,
    ProfileLinkFactory,
    RecordingFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SlideDeckFactory,
    SpeakerFactory,
    SponsorFactory,
    SponsorshipFactory,
    UserFactory,
)

REFERENCE_SLUG = "ccc2023-roundup"
DASH = "\N{EN DASH}"


def export(slug, *args):
    out = StringIO()
    call_command("export_roundup", slug, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def import_text(text, tmp_path, name="post.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    call_command("import_roundup", str(path), stdout=StringIO(), stderr=StringIO())


def empty_database():
    """Delete every row an import writes (events cascade to sessions, media, sponsorships)."""
    Event.objects.all().delete()
    Sponsor.objects.all().delete()
    Speaker.objects.all().delete()
    Tag.objects.all().delete()
    models = (Event, Sponsor, Sponsorship, Speaker, ProfileLink, Session, Recording, SlideDeck)
    assert [model.objects.count() for model in models] == [0] * len(models)


def outline_from_database(event):
    """Per session: (day, kind, title, start time, speakers with link, video ids, deck keys)."""
    return [
        (
            session.day,
            session.kind,
            session.title,
            session.local_starts_at.time() if session.starts_at else None,
            [
                (speaker.name, next((link.url for link in speaker.links.all()), ""))
                for speaker in session.ordered_speakers
            ],
            [recording.provider_key for recording in session.recordings.all()],
            [deck.provider_key for deck in session.slide_decks.all()],
        )
        for session in event.sessions.for_cards()
        .prefetch_related("session_speakers__speaker__links")
        .order_by("day", "position")
    ]


def outline_from_post(text):
    return [
        (
            session.day,
            session.kind,
            session.title,
            session.start_time,
            [(speaker.name, speaker.url) for speaker in session.speakers],
            [media.key for media in session.recordings],
            [media.key for media in session.slide_decks],
        )
        for session in parse_roundup(text, filename="export.md").sessions
    ]


@pytest.fixture
def programme(db):
    """An event entered by hand: every kind, times, unlinked speakers, media shown as links."""
    event = EventFactory(
        name="Nimbus Summit 2024",
        slug="nimbus-summit-2024",
        summary="A day of talks about clouds.\n\nSee you next year!",
        start_date=datetime.date(2024, 3, 12),
        end_date=datetime.date(2024, 3, 13),
        venue="Congress Centre",
        city="Lisbon",
        country="Portugal",
        website="https://nimbus.example.org/",
        photo_gallery_url="https://photos.example.org/album?id=1&lang=en",
        attendee_count=120,
        country_count=12,
    )
    SponsorshipFactory(event=event, sponsor=SponsorFactory(name="ShapeBlue"))
    SponsorshipFactory(
        event=event, sponsor=SponsorFactory(name="Acme Storage", website=""), position=5
    )
    ada = SpeakerFactory(name="Ada Lovelace")
    ProfileLinkFactory(speaker=ada, url="https://www.linkedin.com/in/ada-lovelace/")
    grace = SpeakerFactory(name="Grace Hopper")
    kinds = [
        (1, Session.Kind.KEYNOTE, "Open Source is Not Dead"),
        (1, Session.Kind.PANEL, "Question Time: Ask the PMC"),
        (1, Session.Kind.WORKSHOP, "Backup and Disaster Recovery"),
        (2, Session.Kind.DEMO, "Deploying a Zone in Five Minutes"),
        (2, Session.Kind.LIGHTNING, "Ten Tips in Five Minutes"),
        (2, Session.Kind.TUTORIAL, "Writing Your First Plugin"),
        (2, Session.Kind.KEYNOTE, "Opening Keynote"),
        (2, Session.Kind.TALK, "Q&A with the <Community>"),
    ]
    for position, (day, kind, title) in enumerate(kinds):
        session = SessionFactory(
            event=event,
            day=day,
            position=position,
            kind=kind,
            title=title,
            description=f"About *{title}*.\n\nSecond paragraph, with a [link](https://example.org/).",
            start_time=datetime.time(9 + position, 30) if day == 1 else None,
        )
        SessionSpeakerFactory(session=session, speaker=ada, position=0)
        if position % 2:
            SessionSpeakerFactory(session=session, speaker=grace, position=1)
    first = event.sessions.get(title="Open Source is Not Dead")
    RecordingFactory(session=first, url="https://youtu.be/cCNCmJxxEPA", position=0)
    SlideDeckFactory(session=first, position=0)
    SlideDeckFactory(
        session=first, url="https://www.slideshare.net/ShapeBlue/some-deck-title", position=1
    )
    panel = event.sessions.get(kind=Session.Kind.PANEL)
    RecordingFactory(session=panel, url="https://vimeo.com/76979871", position=0)
    SlideDeckFactory(
        session=panel, url="https://speakerdeck.com/jacobian/the-django-book", position=0
    )
    SessionFactory(event=event, day=1, position=20, title="A Draft", is_published=False)
    return event


# The command ----------------------------------------------------------------------------------


def test_export_roundup_unknown_slug_is_an_error(db):
    with pytest.raises(CommandError, match="no event with slug 'nope'"):
        export("nope")


def test_export_roundup_output_writes_the_file(programme, tmp_path):
    target = tmp_path / "post.md"
    assert export(programme.slug, "--output", str(target)) == ""
    assert target.read_text(encoding="utf-8") == export(programme.slug)


def test_export_roundup_reference_front_matter_and_layout(reference_event):
    text = export(REFERENCE_SLUG)
    assert text.startswith(
        "---\nlayout: post\n"
        "title: CloudStack Collaboration Conference 2023 Event Roundup\n"
        "slug: ccc2023-roundup\ndate: 2023-11-24\ntags: [roundup]\n---\n\n"
        "The [CloudStack Collaboration Conference\n2023](https://www.cloudstackcollab.org/)"
    )
    assert (
        '<a class="button button--primary button--lg" '
        'href="https://photos.app.goo.gl/9Ke53cngVzTCS2wE7" target="_blank">'
        "View Photo Gallery</a><br/>\n\n<!-- truncate -->\n\n## Day 1 Sessions\n\n"
        "### State of the Union, [Rohit Yadav](https://www.linkedin.com/in/rohityadavcloud/)\n"
    ) in text
    assert (
        '<iframe width="640" height="315" src="https://www.youtube.com/embed/cCNCmJxxEPA" '
        'title="YouTube video player" frameborder="0" allow="accelerometer; autoplay; '
        'clipboard-write; encrypted-media; gyroscope; picture-in-picture; web-share" '
        "allowfullscreen></iframe>\n\n"
        '<iframe src="https://www.slideshare.net/slideshow/embed_code/key/hH2CO8kHcQaCQo" '
        'width="640" height="480" frameborder="0" marginwidth="0" marginheight="0" '
        'scrolling="no" allowfullscreen="allowfullscreen"></iframe>\n'
    ) in text
    assert [line for line in text.splitlines() if line.startswith("## ")] == [
        "## Day 1 Sessions",
        "## Day 2 Sessions",
    ]
    assert text.endswith("</iframe>\n")


def test_export_roundup_reference_keeps_every_session_link_video_and_deck(reference_event):
    text = export(REFERENCE_SLUG)
    in_database = outline_from_database(reference_event)
    in_post = outline_from_post(text)
    assert in_post == in_database
    assert len(in_post) == 36

    def flat(outline, index):
        return {item for session in outline for item in session[index]}

    assert {s[2] for s in in_post} == set(reference_event.sessions.values_list("title", flat=True))
    assert {url for _name, url in flat(in_post, 4) if url} == set(
        ProfileLink.objects.values_list("url", flat=True)
    )
    assert flat(in_post, 5) == set(Recording.objects.values_list("provider_key", flat=True))
    assert flat(in_post, 6) == set(SlideDeck.objects.values_list("provider_key", flat=True))
    assert (len(flat(in_post, 5)), len(flat(in_post, 6))) == (36, 34)


def test_export_roundup_reference_round_trip_is_byte_identical(reference_event, tmp_path):
    first = export(REFERENCE_SLUG)
    outline = outline_from_database(reference_event)
    empty_database()
    import_text(first, tmp_path)
    event = Event.objects.get(slug=REFERENCE_SLUG)
    assert export(REFERENCE_SLUG) == first
    assert outline_from_database(event) == outline


def test_export_roundup_kinds_keep_their_titles(programme):
    headings = [line for line in export(programme.slug).splitlines() if line.startswith("#")]
    ada = "[Ada Lovelace](https://www.linkedin.com/in/ada-lovelace/)"
    assert headings == [
        "## Day 1 Sessions",
        f"### 09:30 {DASH} Keynote Talk: Open Source is Not Dead, {ada}",
        f"### 10:30 {DASH} Panel Discussion: Question Time: Ask the PMC, {ada}, Grace Hopper",
        f"### 11:30 {DASH} Backup and Disaster Recovery {DASH} Workshop, {ada}",
        "## Day 2 Sessions",
        f"### Demo: Deploying a Zone in Five Minutes, {ada}, Grace Hopper",
        f"### Lightning Talk: Ten Tips in Five Minutes, {ada}",
        f"### Tutorial: Writing Your First Plugin, {ada}, Grace Hopper",
        f"### Opening Keynote, {ada}",
        f"### Q&amp;A with the &lt;Community&gt;, {ada}, Grace Hopper",  # tags would be dropped
    ]


def test_export_roundup_round_trip_of_hand_entered_event(programme, tmp_path):
    first = export(programme.slug)
    outline = [s for s in outline_from_database(programme) if s[2] != "A Draft"]
    assert "A Draft" not in first
    assert "[Slides](https://www.slideshare.net/ShapeBlue/some-deck-title)" in first
    assert (
        "[Video](https://vimeo.com/76979871)\n\n"
        "[Slides](https://speakerdeck.com/jacobian/the-django-book)\n"
    ) in first
    empty_database()
    import_text(first, tmp_path)
    event = Event.objects.get(slug=programme.slug)
    assert export(programme.slug) == first
    assert outline_from_database(event) == outline


def test_export_roundup_states_the_facts_the_summary_leaves_out(programme, tmp_path):
    text = export(programme.slug)
    assert (
        "---\n\n[Nimbus Summit 2024](https://nimbus.example.org/) took place on "
        f"12{DASH}13 March 2024 in Congress Centre, Lisbon, Portugal. "
        "It hosted over 120 attendees from 12 countries.\n\n"
        "The event was made possible by its sponsors: [ShapeBlue](https://sponsor"
    ) in text
    assert "Also sponsored by: Acme Storage.\n\nA day of talks about clouds." in text
    empty_database()
    import_text(text, tmp_path)
    event = Event.objects.get(slug=programme.slug)
    facts = (
        event.name,
        event.start_date,
        event.end_date,
        (event.venue, event.city, event.country),
        event.website,
        event.photo_gallery_url,
        (event.attendee_count, event.country_count),
    )
    assert facts == (
        "Nimbus Summit 2024",
        datetime.date(2024, 3, 12),
        datetime.date(2024, 3, 13),
        ("Congress Centre", "Lisbon", "Portugal"),
        "https://nimbus.example.org/",
        "https://photos.example.org/album?id=1&lang=en",
        (120, 12),
    )
    sponsors = Sponsorship.objects.filter(event=event).order_by("position")
    assert [s.sponsor.name for s in sponsors] == ["ShapeBlue", "Acme Storage"]


# The staff download ---------------------------------------------------------------------------


def test_export_markdown_download_for_staff(programme, client, staff_user):
    client.force_login(staff_user)
    url = reverse("talks:event_export_markdown", kwargs={"slug": programme.slug})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="nimbus-summit-2024.md"'
    assert response.content.decode() == export(programme.slug)


def test_export_markdown_download_of_draft_event_for_staff(client, staff_user):
    event = EventFactory(is_published=False)
    client.force_login(staff_user)
    url = reverse("talks:event_export_markdown", kwargs={"slug": event.slug})
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "attendee"])
def test_export_markdown_download_refused_to_others(programme, client, who):
    if who == "attendee":
        client.force_login(UserFactory(username="attendee"))
    url = reverse("talks:event_export_markdown", kwargs={"slug": programme.slug})
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_export_roundup_include_drafts(programme):
    assert "\n### A Draft\n" not in export(programme.slug)
    assert "\n### A Draft\n" in export(programme.slug, "--include-drafts")


@pytest.mark.parametrize("is_staff", [True, False])
def test_event_exports_links_offer_the_download_to_staff_only(programme, is_staff):
    user = UserFactory(username="someone", is_staff=is_staff)
    html = render_to_string("includes/_event_exports.html", {"event": programme, "user": user})
    links = [
        "/events/nimbus-summit-2024/sessions.ics",
        "/events/nimbus-summit-2024/export.json",
        "/events/nimbus-summit-2024/schedule.csv",
        "/feeds/recordings.rss",
        "/feeds/recordings.atom",
    ]
    if is_staff:
        links.insert(0, "/events/nimbus-summit-2024/roundup.md")
    assert re.findall(r'href="([^"]+)"', html) == links
