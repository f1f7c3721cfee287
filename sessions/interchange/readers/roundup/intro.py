"""The intro of a post (the text before the first day or session): the event's facts, its
website and photo gallery, the sponsors thanked, and the summary shown on the event page.

The prose is read by :mod:`.facts`; this module decides which paragraph or link gives what,
and records where each fact was found.
"""

import re

from django.utils.text import slugify

from sessions.interchange.document import Origin, SponsorItem

from . import facts, inline
from .body import refusal, replace_comments

TRUNCATE = re.compile(r"<!--\s*truncate\s*-->", re.IGNORECASE)
IMAGE_ONLY = re.compile(
    r"^\s*(?:\[\s*)?(?:!\[[^\]]*\]\([^)]*\)|<img\b[^>]*>)(?:\s*\]\([^)]*\))?\s*(?:<br\s*/?>\s*)*$",
    re.IGNORECASE,
)
LINKED_IMAGE_HTML = re.compile(
    r"^\s*<a\b[^>]*>\s*<img\b[^>]*>\s*</a\s*>\s*(?:<br\s*/?>\s*)*$", re.IGNORECASE
)
SLUG_LENGTH = 200  # Sponsor.slug's max_length: a sponsor's key is its slug
COUNTS = (("attendee_count", facts.ATTENDEES), ("country_count", facts.COUNTRY_COUNT))


def read_intro(body, document, start, end, other_sections):
    """Set the facts, links, sponsors and summary of ``document`` from the intro."""
    truncate = TRUNCATE.search(body.text, start, end)
    summary_end = truncate.start() if truncate else end
    paragraphs = body.paragraphs(start, end)
    year = _year_hint(document)
    for line, markup in paragraphs:
        _read_facts(document, Origin(line=line), facts.plain_text(markup), year)
    _links(body, document, start, end, other_sections)
    _sponsors(body, document, paragraphs, other_sections)
    document.summary = _summary(body.text[start:summary_end])
    document.origins["summary"] = body.origin_at(start)


def _read_facts(document, origin, text, year):
    """The first dates, place and counts the intro states win."""
    found = facts.find_dates(text, year=year)
    if found and document.start_date is None:
        document.start_date, document.end_date = found
        document.origins.update(start_date=origin, end_date=origin)
    venue = facts.find_venue(text)
    if venue and not (document.venue or document.city):
        document.venue, document.city, document.country = venue
        document.origins.update(venue=origin, city=origin, country=origin)
    for name, pattern in COUNTS:
        try:
            count = facts.find_count(pattern, text)
        except ValueError as error:
            what = name.replace("_", " ")
            raise refusal(origin.line, f"{what} is not a believable number") from error
        if count is not None and getattr(document, name) is None:
            setattr(document, name, count)
            document.origins[name] = origin


def _links(body, document, start, end, other_sections):
    """The photo gallery (in the intro or a sponsor/gallery section) and the event's website
    (the intro's first web link whose text names the event)."""
    regions = [(start, end), *other_sections]
    for region_start, region_end in regions:
        region = body.mask[region_start:region_end]
        for offset, _end, link in inline.iter_links(region):
            origin = body.origin_at(region_start + offset)
            text = inline.clean_text(link.text)
            if facts.is_gallery_link(link) and not document.photo_gallery_url:
                document.photo_gallery_url = link.url
                document.origins["photo_gallery_url"] = origin
            elif (
                not document.website
                and (region_start, region_end) == (start, end)
                and inline.is_web_url(link.url)
                and not inline.is_media_url(link.url)
                and facts.names_event(text, document.name)
            ):
                document.website = link.url
                document.origins["website"] = origin


def _sponsors(body, document, paragraphs, other_sections):
    """Sponsors thanked in the intro's sponsor paragraphs and in the sponsor sections, once."""
    excluded = {document.website, document.photo_gallery_url} - {""}
    chosen = [(line, p) for line, p in paragraphs if facts.SPONSOR_WORD.search(p)]
    for section_start, section_end in other_sections:
        chosen.extend(body.paragraphs(section_start, section_end))
    seen = set()
    for line, paragraph in chosen:
        for name, url in facts.sponsors_in(paragraph, excluded_urls=excluded):
            key = slugify(name)
            if key and key not in seen:
                seen.add(key)
                item = SponsorItem(name, url, Origin(line=line), source_key=key[:SLUG_LENGTH])
                document.sponsors.append(item)


def _summary(chunk):
    """The intro as Markdown: no banner image, no gallery button, no comments."""
    chunk = replace_comments(chunk, lambda comment: "")
    lines = []
    for line in chunk.split("\n"):
        if IMAGE_ONLY.match(line) or LINKED_IMAGE_HTML.match(line):
            continue
        if _is_gallery_button(line) or re.fullmatch(r"\s*(?:<br\s*/?>\s*)+", line, re.I):
            continue
        lines.append(line)
    chunk = inline.without_embed_codes("\n".join(lines))
    return re.sub(r"\n{3,}", "\n\n", inline.html_to_markdown(chunk)).strip()


def _year_hint(document):
    """The event's year when the intro gives none: title, then post date, then file name."""
    found = re.search(r"\b(?:19|20)\d{2}\b", document.title)
    if found:
        return int(found[0])
    if document.post_date:
        return document.post_date.year
    found = re.search(r"(?:^|/)((?:19|20)\d{2})-\d{2}-\d{2}", document.source)
    return int(found[1]) if found else None


def _is_gallery_button(line):
    links = list(inline.iter_links(line))
    if len(links) != 1 or not facts.is_gallery_link(links[0][2]):
        return False
    start, end, _link = links[0]
    rest = line[:start] + line[end:]
    return not inline.clean_text(rest)
