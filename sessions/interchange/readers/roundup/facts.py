"""The event's facts as a roundup's intro states them, in prose.

"took place on 23-24th November", "14 November 2022", "November 23-24, 2023"; "took place in
the voco hotel, in Porte de Clichy, Paris"; "over 350 attendees from 30+ countries"; the first
link that names the event; the link to the photo gallery; the sponsors thanked (links, or a
plain "- ShapeBlue, StorPool and LINBIT." list). Each reader takes plain text (or the markup
of one paragraph) and returns ``None`` when the post does not say.
"""

import re
from datetime import date

from . import inline
from .headings import looks_like_company

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
COUNTRIES = {
    "argentina", "australia", "austria", "belgium", "brazil", "bulgaria", "canada", "chile",
    "china", "colombia", "croatia", "cyprus", "czech republic", "czechia", "denmark",
    "egypt", "england", "estonia", "finland", "france", "germany", "greece", "hungary",
    "iceland", "india", "indonesia", "ireland", "israel", "italy", "japan", "kenya",
    "latvia", "lithuania", "luxembourg", "malaysia", "malta", "mexico", "morocco",
    "netherlands", "the netherlands", "new zealand", "nigeria", "norway", "pakistan", "peru",
    "philippines", "poland", "portugal", "romania", "scotland", "serbia", "singapore",
    "slovakia", "slovenia", "south africa", "south korea", "spain", "sweden", "switzerland",
    "taiwan", "thailand", "turkey", "ukraine", "united arab emirates", "uae",
    "united kingdom", "uk", "united states", "usa", "us", "uruguay", "vietnam", "wales",
}  # fmt: skip

_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"  # noqa: E501


def _day(name):
    return rf"(?:the\s+)?(?P<{name}>[0-3]?\d)(?:st|nd|rd|th)?"


def _month(name):
    return rf"(?P<{name}>{_MONTH})"


def _year(name):
    return rf"(?:,?\s*(?P<{name}>(?:19|20)\d{{2}}))"


_OF = r"\s+(?:of\s+)?"
_TO = r"\s*(?:-|\u2013|\u2014|to|until|till|through|and)\s*"

DATE_PATTERNS = [
    re.compile(rf"\b{p}\b", re.IGNORECASE)
    for p in (
        # 30 November - 1 December 2023
        rf"{_day('d1')}{_OF}{_month('m1')}{_year('y1')}?{_TO}{_day('d2')}{_OF}{_month('m2')}{_year('y2')}?",
        # 23-24th November (2023)
        rf"{_day('d1')}{_TO}{_day('d2')}{_OF}{_month('m2')}{_year('y2')}?",
        # November 14th to November 16th 2022
        rf"{_month('m1')}\s+{_day('d1')}{_year('y1')}?{_TO}{_month('m2')}\s+{_day('d2')}{_year('y2')}?",
        # November 23-24, 2023
        rf"{_month('m2')}\s+{_day('d1')}{_TO}{_day('d2')}{_year('y2')}?",
        # 14 November 2022 / the 4th May
        rf"{_day('d1')}{_OF}{_month('m1')}{_year('y1')}?",
        # August 18th 2023
        rf"{_month('m1')}\s+{_day('d1')}{_year('y1')}?",
    )
]  # fmt: skip
PLACE_VERBS = re.compile(
    r"\b(?:took place|takes place|taking place|was held|were held|is held|held|hosted|happened"
    r"|ran|running)\b",
    re.IGNORECASE,
)
VENUE = re.compile(
    r"\b(?:took place|takes place|taking place|was held|is held|held|hosted|happened|convened)"
    r"(?:\s+in\s+person)?(?:\s+on\s+[^,.;]*?)?\s+(?P<prep>in|at)\s+(?P<place>.+?)"
    r"(?=\.(?:\s|$)|;|\s+(?:on|from|and|with|where|which|for|during|between)\s|$)",
    re.IGNORECASE,
)
ATTENDEES = re.compile(
    r"(?P<n>\d{1,3}(?:,\d{3})+|\d+)\s*\+?\s+(?:in-person\s+|registered\s+|virtual\s+|onsite\s+)?"
    r"(?:attendees|participants|delegates|visitors|people)\b",
    re.IGNORECASE,
)
COUNTRY_COUNT = re.compile(r"(?P<n>\d+)\s*\+?\s+(?:different\s+)?countries\b", re.IGNORECASE)
GALLERY_TEXT = re.compile(r"\b(?:photos?|gallery|pictures|album)\b", re.IGNORECASE)
SPONSOR_WORD = re.compile(r"\bsponsor", re.IGNORECASE)
LIST_INTRO = re.compile(r"\s[\u2013\u2014-]\s|[\u2013\u2014:]\s?")
SENTENCE_END = re.compile(r"\.(?=\s+[A-Z]|\s*$)")


def plain_text(markup):
    """The prose of a paragraph: link texts kept, URLs, tags and emphasis dropped."""
    markup = inline.MD_LINK.sub(lambda m: m["text"], markup)
    markup = inline.HTML_LINK.sub(lambda m: m["text"], markup)
    return inline.clean_text(markup)


def find_dates(text, *, year):
    """``(start, end)`` of the first date or range in ``text``; ``year`` when none is given."""
    sentences = re.split(r"(?<=[.!?])\s+", text)
    preferred = [s for s in sentences if PLACE_VERBS.search(s)]
    for sentence in [*preferred, text]:
        found = _first_date(sentence, year)
        if found:
            return found
    return None


def _first_date(text, year):
    matches = [
        (match.start(), index, match)
        for index, pattern in enumerate(DATE_PATTERNS)
        for match in pattern.finditer(text)
    ]
    for _start, _index, match in sorted(matches, key=lambda item: (item[0], item[1])):
        groups = {k: v for k, v in match.groupdict().items() if v}
        end_month = groups.get("m2") or groups.get("m1")
        start_month = groups.get("m1") or end_month
        end_year = int(groups.get("y2") or groups.get("y1") or year or 0)
        start_year = int(groups.get("y1") or end_year)
        if not end_year:
            continue
        try:
            start = date(start_year, _month_number(start_month), int(groups["d1"]))
            end_day = int(groups.get("d2") or groups["d1"])
            end = date(end_year, _month_number(end_month), end_day)
        except ValueError:
            continue  # "31 February": not a date after all
        if end >= start:
            return start, end
    return None


def _month_number(name):
    return MONTHS[name.lower().rstrip(".")]


def find_venue(text):
    """``(venue, city, country)`` from "took place in the voco hotel, in X, Paris"."""
    for match in VENUE.finditer(text):
        place = match["place"].strip(" ,")
        if _is_date_or_online(place):
            continue
        parts = _place_parts(place)
        parts = [part for part in parts if part and not _is_date_or_online(part)]
        if not parts:
            continue
        country = ""
        if len(parts) > 1 and parts[-1].casefold() in COUNTRIES:
            country = parts.pop()
        if len(parts) == 1:
            venue, _, city = parts[0].rpartition(" in ")
            if not venue and (match["prep"].lower() == "at" or not _looks_like_city(city)):
                venue, city = city, ""  # "hosted at Quartier Belvedere": a venue, not a city
        else:
            venue, city = ", ".join(parts[:-1]), parts[-1]
        venue = re.sub(r"^the\s+", "", venue.strip(), flags=re.IGNORECASE)
        return venue[:200], city.strip()[:100], country[:100]
    return None


def _place_parts(place):
    """ "the voco hotel, in X, Paris" -> its parts; stop at a clause that follows the place
    ("Bangalore, seeing CloudStack enthusiasts", "X Hall, the event delivered...")."""
    parts = []
    for index, part in enumerate(place.split(",")):
        part = part.strip()
        if index and not re.match(r"^(?:(?:in|at)\s+)?[^\W\d_]*[A-Z]", part):
            break
        parts.append(re.sub(r"^(?:in|at)\s+", "", part))
    return parts


def _is_date_or_online(text):
    lowered = text.casefold()
    if lowered in {"online", "virtually", "virtual", "person", "in person"}:
        return True
    return bool(re.search(r"\d{4}|\b(?:" + _MONTH + r")\b", lowered)) or lowered[:1].isdigit()


def _looks_like_city(text):
    words = text.split()
    return 1 <= len(words) <= 3 and all(word[:1].isupper() for word in words)


MAX_COUNT_DIGITS = 18  # past any real count; also far below what int() refuses to read


def find_count(pattern, text):
    """The number in the first match of ``pattern``; ``ValueError`` if absurdly long."""
    match = pattern.search(text)
    if not match:
        return None
    digits = match["n"].replace(",", "")
    if len(digits.lstrip("0")) > MAX_COUNT_DIGITS:
        raise ValueError(f"{match['n'][:20]}... has more than {MAX_COUNT_DIGITS} digits")
    return int(digits)


def names_event(text, event_name):
    """Does a link text name the event ("CloudStack Collaboration Conference 2023")?"""
    link, name = _words(text), _words(event_name)
    if not link or not name:
        return False
    if link == name or (len(link.split()) >= 2 and (link in name or name in link)):
        return True
    acronym = _acronym(text)
    return len(acronym) >= 3 and acronym in name.split()


def _words(text):
    return " ".join(re.sub(r"[\W\d_]+", " ", text.casefold()).split())


def _acronym(text):
    """ "CloudStack European User Group" -> "cseug" (capitals inside words count)."""
    return "".join(c for c in text if c.isupper()).casefold()


def is_gallery_link(link):
    text = inline.clean_text(link.text)
    return bool(GALLERY_TEXT.search(text)) and inline.is_web_url(link.url)


def sponsors_in(paragraph, *, excluded_urls):
    """``[(name, url)]`` thanked in one paragraph: its links, else a plain listed run."""
    found = []
    for _start, _end, link in inline.iter_links(paragraph):
        if link.url in excluded_urls or not inline.is_web_url(link.url):
            continue
        if inline.is_media_url(link.url):
            continue
        name = inline.clean_text(link.text) or inline.image_label(link.text)
        name = name.strip(" ,;:.")  # "<a>ShapeBlue,</a> <a>LINBIT</a>": the list's commas
        if name and len(name.split()) <= 6 and not GALLERY_TEXT.search(name):
            found.append((name, link.url))
    if found:
        return found
    text = plain_text(paragraph)
    mention = SPONSOR_WORD.search(text)
    intro = LIST_INTRO.search(text, mention.end()) if mention else None
    if not intro:
        return []
    listed = SENTENCE_END.split(text[intro.end() :], maxsplit=1)[0]
    names = [part.strip(" .") for part in re.split(r",\s*|\s+and\s+|\s*&\s*", listed)]
    return [(name, "") for name in names if name and looks_like_company(name)]
