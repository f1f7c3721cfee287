"""The roundup post writer: an event as the Markdown post the roundup reader reads.

The post is rendered from ``talks/roundup_export.md``: front matter, the event's summary
(the intro as imported), the photo gallery button, ``<!-- truncate -->``, then one
``## Day N Sessions`` section per day with a ``### Title, [Speaker](profile)`` heading, the
description and the iframes of its videos and decks (as each provider's entry in
:mod:`sessions.providers` says a post embeds it; a link otherwise).

Exporting and importing again gives the same text: every heading is checked against the
reader's :func:`~sessions.interchange.readers.roundup.headings.parse_heading` (so a keynote keeps
its kind and its exact title), and the intro against the reader itself. When the summary does
not state a fact the database holds (dates, place, counts, website, sponsors), a lead
paragraph that states it is put before the summary, so the facts survive a re-import.
"""

import html
import json
import re
from dataclasses import dataclass, field

import yaml
from django.template.loader import render_to_string
from django.utils.text import slugify

from sessions.interchange.document import SourceError
from sessions.interchange.readers.roundup import parse as parse_roundup
from sessions.interchange.readers.roundup.headings import parse_heading
from sessions.models import Session
from sessions.providers import PROVIDERS

TEMPLATE = "talks/roundup_export.md"
TITLE_SUFFIX = " Event Roundup"
TIME_FORMAT = "%H:%M"
# How each kind is written in a heading, tried after the bare title: the importer reads the
# kind back from these words (``headings.KIND_RULES``) and strips them from the title.
KIND_DECORATIONS = {
    Session.Kind.KEYNOTE: "Keynote Talk: {title}",
    Session.Kind.PANEL: "Panel Discussion: {title}",
    Session.Kind.WORKSHOP: "{title} \N{EN DASH} Workshop",
    Session.Kind.DEMO: "Demo: {title}",
    Session.Kind.LIGHTNING: "Lightning Talk: {title}",
    Session.Kind.TUTORIAL: "Tutorial: {title}",
}
FACT_FIELDS = ("start_date", "end_date", "venue", "city", "country", "website")
COUNT_FIELDS = ("attendee_count", "country_count")


@dataclass
class SessionEntry:
    heading: str
    description: str
    videos: list = field(default_factory=list)  # iframe URLs of videos
    slides: list = field(default_factory=list)  # iframe URLs of slide decks
    links: list = field(default_factory=list)  # (label, URL) of what cannot be iframed


@dataclass
class LeadParagraph:
    """What the paragraph before the summary must state because the summary does not."""

    place: bool = False
    counts: bool = False
    linked_sponsors: list = field(default_factory=list)  # (name, markdown URL)
    unlinked_sponsors: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.place or self.counts or self.linked_sponsors or self.unlinked_sponsors)


def write(snapshot):
    """The roundup post of the snapshot's event and sessions, as Markdown text."""
    event = snapshot.event
    context = {
        "event": event,
        "title": yaml_scalar(event.name + TITLE_SUFFIX),
        "slug": yaml_scalar(event.slug),
        "website": markdown_url(event.website),
        "post_date": event.end_date or event.start_date,
        "summary": normalise_text(event.summary),
        "days": [
            (day, [session_entry(session) for session in sessions])
            for day, sessions in snapshot.days()
        ],
        "lead": LeadParagraph(),
    }
    text = render(context)
    context["lead"] = lead_paragraph(event, snapshot.sponsorships, text)
    if context["lead"]:
        text = render(context)
    return text


def render(context):
    text = render_to_string(TEMPLATE, context)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def session_entry(session):
    entry = SessionEntry(
        heading=session_heading(session), description=normalise_text(session.description)
    )
    for recording in session.recordings.all():
        add_media(entry, entry.videos, "Video", recording)
    for deck in session.slide_decks.all():
        add_media(entry, entry.slides, "Slides", deck)
    return entry


def add_media(entry, embeds, label, item):
    """An iframe where the provider's table entry says how a post embeds it, else a link;
    nothing for what a post cannot name (an uploaded PDF)."""
    provider = PROVIDERS[item.provider]
    if not provider.in_posts:
        return
    src = provider.post_embed_src(item.provider_key)
    if src:
        embeds.append(src)
    else:
        entry.links.append((label, markdown_url(item.url)))


def session_heading(session):
    """``Keynote Talk: Title, [Speaker](profile), Unlinked Speaker``, as the importer reads it.

    The bare title is preferred when it already reads back with the right kind ("Opening
    Keynote"); otherwise the kind's decoration is used.
    """
    speakers = "".join(f", {speaker_markdown(s)}" for s in session.ordered_speakers)
    start = session.local_starts_at  # the post gives the time of day in the event's zone
    time = f"{start.strftime(TIME_FORMAT)} \N{EN DASH} " if start else ""
    title = heading_text(session.title)
    decorated = KIND_DECORATIONS.get(session.kind, "{title}").format(title=title)
    candidates = [f"{time}{title}{speakers}" for title in (title, decorated)]
    for heading in candidates:
        parsed = parse_heading(heading)
        if (parsed.title, parsed.kind) == (session.title, session.kind):
            return heading
    return candidates[-1]


def speaker_markdown(speaker):
    name = heading_text(speaker.name)
    links = list(speaker.links.all())
    if not links:
        return name
    return f"[{name}]({markdown_url(links[0].url)})"


def lead_paragraph(event, sponsorships, text):
    """The facts of ``event`` that importing ``text`` would not give back."""
    try:
        parsed = parse_roundup(text, filename=f"{event.slug}.md")
    except SourceError:
        parsed = None
    lead = LeadParagraph()

    def lost(name):
        value = getattr(event, name)
        return value not in ("", None) and (parsed is None or getattr(parsed, name) != value)

    lead.place = any(lost(name) for name in FACT_FIELDS)
    lead.counts = any(lost(name) for name in COUNT_FIELDS)
    found = {slugify(sponsor.name) for sponsor in parsed.sponsors} if parsed else set()
    for sponsorship in sponsorships:
        sponsor = sponsorship.sponsor
        if slugify(sponsor.name) in found:
            continue
        found.add(slugify(sponsor.name))
        if sponsor.website:
            lead.linked_sponsors.append((sponsor.name, markdown_url(sponsor.website)))
        else:
            lead.unlinked_sponsors.append(sponsor.name)
    return lead


def yaml_scalar(value):
    """``value`` as it may stand after ``key:`` in the front matter: plain if YAML reads it
    back unchanged, else double-quoted (a JSON string is a valid YAML one)."""
    try:
        if yaml.safe_load(f"key: {value}") == {"key": value}:
            return value
    except yaml.YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)


def markdown_url(url):
    """A URL that cannot end a ``[text](url)`` link early: spaces and parentheses escaped."""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def heading_text(text):
    """Text of a heading, with ``<`` and entities escaped only where the importer, which
    drops tags and decodes entities, would otherwise read something else ("Q&A" stays)."""
    if "<" in text or html.unescape(text) != text:
        return html.escape(text, quote=False)
    return text


def normalise_text(text):
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
