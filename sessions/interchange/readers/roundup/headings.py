"""Read a session heading: its title, kind, start time, speakers (and their companies), media.

Headings of roundup posts follow a loose grammar::

    Title, [Speaker](profile), [Speaker](profile) and [Speaker](profile)
    Title, Speaker Name, Speaker Name
    Title - [Speaker](profile), Role at [Company](site)
    Title, Speaker Name (Company)  /  Title - Speaker Name, Company  /  Speaker Name from Company

Titles contain commas and dashes too, so the speaker list is read from the right: the trailing
run of items that are people (links to a profile, or text that looks like a person's name),
each optionally followed by its company or role. The first item is always part of the title
(unless it is a linked person, which means the title is missing).
"""

import re
from dataclasses import dataclass, field
from datetime import time
from urllib.parse import urlsplit

from sessions.interchange.document import SpeakerItem, name_key

from . import inline

PLACEHOLDER = re.compile(r"\x00(\d+)\x00")
SEPARATOR = re.compile(
    r"(?P<and>\s*,?\s+(?:and|&)\s+|\s*,\s*(?:and|&)\s+)"  # "A and B", "A, and B" (Oxford comma)
    r"|(?P<comma>\s*[,;]\s*)|(?P<dash>\s+[-\u2013\u2014]+\s+|\s*[\u2013\u2014]\s*)"
)
TIME_PREFIX = re.compile(
    r"^\s*(?P<h>[01]?\d|2[0-3])[:.h](?P<m>[0-5]\d)\s*(?:[ap]\.?m\.?)?"
    r"(?:\s*[-\u2013\u2014]\s*(?:[01]?\d|2[0-3])[:.h][0-5]\d\s*(?:[ap]\.?m\.?)?)?\s*[-\u2013\u2014:|]?\s*",
    re.IGNORECASE,
)
TRAILING_COMPANY = re.compile(r"^(?P<who>.+?)\s*\((?P<org>[^()]+)\)$")
COMPANY_MARKER = re.compile(r"^(?P<who>.+?)\s+(?:from|of|at|@)\s+(?P<org>.+)$", re.IGNORECASE)
ROLE_AT = re.compile(r"^(?P<role>.+?)\s+(?:at|@)\s+(?P<org>.+)$", re.IGNORECASE)

NAME_PARTICLES = {
    "al", "bin", "binti", "da", "das", "de", "del", "della", "den", "der", "di", "do", "dos",
    "du", "el", "la", "le", "st.", "ten", "ter", "van", "von", "y", "zu",
}  # fmt: skip
ROLE_WORDS = {
    "administrator", "advocate", "analyst", "architect", "ceo", "cfo", "chair", "chairman",
    "chairwoman", "cio", "committer", "consultant", "coo", "co-founder", "cofounder", "cpo",
    "cso", "cto", "developer", "devops", "director", "engineer", "evangelist", "founder",
    "head", "lead", "manager", "member", "officer", "owner", "partner", "pmc", "president",
    "principal", "professor", "researcher", "scientist", "senior", "specialist", "sre",
    "student", "vp",
}  # fmt: skip
# Words that never appear in a person's name but often in titles or company names.
NOT_NAME_WORDS = ROLE_WORDS | {
    "a", "about", "an", "and", "are", "as", "at", "by", "cloud", "company", "computing",
    "consulting", "corp", "corporation", "data", "day", "demo", "digital", "discussion",
    "for", "foundation", "from", "gmbh", "group", "hosting", "how", "in", "inc", "institute",
    "intro", "introduction", "is", "keynote", "labs", "limited", "llc", "ltd", "media",
    "network", "networks", "new", "news", "not", "of", "on", "online", "open", "or", "our",
    "overview", "panel", "part", "q&a", "services", "session", "sessions", "software",
    "solutions", "source", "storage", "systems", "talk", "technologies", "technology",
    "telecom", "thanks", "the", "to", "tutorial", "university", "update", "updates", "using",
    "via", "vs", "welcome", "what", "when", "where", "who", "why", "with", "workshop", "your",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday",
}  # fmt: skip
# Items that end titles ("... - Panel") and must never be taken for a company.
TITLE_WORDS = {
    "demo", "discussion", "keynote", "live demo", "panel", "panel discussion", "q&a",
    "tutorial", "workshop", "introduction", "overview", "recap", "lightning talk",
}  # fmt: skip
NAME_WORD = re.compile(
    r"^(?:(?:Mc|Mac|O['\u2019]|D['\u2019])?[^\W\d_][^\W\d_]*(?:[-'\u2019][^\W\d_]+)*\.?|[^\W\d_]\.)$"
)

_SEP = r"\s*[:\-\u2013\u2014]\s*"
KIND_RULES = (
    # (kind, pattern, keep the whole title?)
    ("keynote", rf"^keynote(?:\s+(?:talk|session|speech|address))?{_SEP}(?P<t>.+)$", False),
    ("panel", rf"^panel(?:\s+discussion)?{_SEP}(?P<t>.+)$", False),
    ("panel", rf"^(?P<t>.+?){_SEP}panel(?:\s+discussion)?$", False),
    ("workshop", rf"^(?:hands-on\s+)?workshop{_SEP}(?P<t>.+)$", False),
    ("workshop", rf"^(?P<t>.+?){_SEP}(?:hands-on\s+)?workshop$", False),
    ("lightning", rf"^lightning\s+talk{_SEP}(?P<t>.+)$", False),
    ("lightning", r"^lightning\s+talks?\b", True),
    ("tutorial", rf"^tutorial{_SEP}(?P<t>.+)$", False),
    ("demo", rf"^demo{_SEP}(?P<t>.+)$", False),
    ("demo", r"^live\s+demo\b", True),
    ("keynote", r"\bkeynote\b", True),
    ("panel", r"\bpanel\s+discussion\b", True),
    ("workshop", r"\bworkshop\b", True),
)


@dataclass
class Heading:
    title: str
    kind: str = "talk"
    start_time: time | None = None
    speakers: list[SpeakerItem] = field(default_factory=list)
    media_urls: list[str] = field(default_factory=list)


@dataclass
class _Item:
    text: str  # with link placeholders
    separator: str | None  # "comma", "dash", "and" before this item; None for the first
    start: int  # offset of the separator (or of the item for the first one)


def parse_heading(raw, *, profiles=None):
    """Split the inline text of a heading into title, kind, time, speakers and media links.

    ``profiles`` maps :func:`name_key` of a link text to a profile URL, for the profile links
    in the session's own text ("[Jane](https://linkedin.com/in/jane)" in a speaker bio): a
    bare one-word name in the heading counts as a person when it is linked there, and bare
    names get the profile URL their bio links to.
    """
    profiles = profiles or {}
    links, media_urls, text = _tokenise(raw)
    text, start_time = _strip_time(text)
    items = _split_items(text)
    speakers, boundary = _trailing_speakers(items, links, profiles)
    speakers = [_with_profile(speaker, profiles) for speaker in speakers]
    title_text = text[:boundary] if speakers else text
    title = _render(title_text, links).strip()
    title = re.sub(r"[\s,;:\u2013\u2014-]+$", "", title).strip()
    title, kind = _kind(title)
    return Heading(title, kind, start_time, speakers, media_urls)


def looks_like_person(text):
    """2 to 5 words, capitalised, with name particles allowed: "Wido den Hollander"."""
    words = text.split()
    if not 2 <= len(words) <= 5 or len(text) > 60:
        return False
    if any(word.lower().strip(".") in NOT_NAME_WORDS for word in words):
        return False
    capitalised = 0
    for position, word in enumerate(words):
        if word.lower() in NAME_PARTICLES and 0 < position < len(words) - 1:
            continue
        if not NAME_WORD.match(word) or not word[0].isupper():
            return False
        letters = word.replace(".", "").replace("-", "").replace("'", "").replace("\u2019", "")
        if letters.isupper() and len(letters) > 1:  # "CSIUG", "KVM", "VM": acronyms, not names
            return False
        camel_case = any(c.isupper() for c in letters[1:]) and not letters.isupper()
        camel_case = camel_case and "-" not in word
        if camel_case and not re.match(r"^(?:Mc|Mac|O['\u2019]|D['\u2019])", word):
            return False  # "CloudStack", "PowerFlex": products, not people
        capitalised += 1
    return 2 <= capitalised <= 4


def looks_like_company(text):
    """A short organisation name: "ShapeBlue", "Your.Online", "mitteldeutsche IT"."""
    words = text.split()
    if not 1 <= len(words) <= 4 or len(text) > 50 or text.lower() in TITLE_WORDS:
        return False
    if re.search(r"[:?!()\"“”]", text) or text[0].isdigit():
        return False
    if any(word.lower() in TITLE_WORDS for word in words):
        return False
    return any(c.isupper() for c in text) and any(c.isalpha() for c in text)


def is_profile_url(url):
    """Does ``url`` point at one person's profile (LinkedIn, GitHub, X, Mastodon...)?"""
    host = re.sub(r"^[a-z]{2}\.(?=linkedin\.com$)", "", inline.host_of(url))
    segments = [s for s in urlsplit(url).path.split("/") if s] if host else []
    if host == "linkedin.com":
        return segments[:1] in (["in"], ["pub"])
    if host in {"github.com", "gitlab.com", "twitter.com", "x.com"}:
        return len(segments) == 1
    return bool(segments) and segments[0].startswith("@")


def _tokenise(raw):
    """Replace links by placeholders; take out video/slide links. Returns links, media, text."""
    links, media_urls, parts, position = [], [], [], 0
    for start, end, link in inline.iter_links(raw):
        parts.append(inline.clean_fragment(raw[position:start]))
        position = end
        text = inline.clean_text(link.text)
        if inline.is_media_url(link.url):
            media_urls.append(link.url)  # a linked title keeps its text, a "Slides" label goes
            parts.append("" if inline.is_media_label(text) else f" {text} ")
        elif inline.is_web_url(link.url):
            parts.append(f"\x00{len(links)}\x00")
            links.append(inline.Link(text, link.url))
        else:
            parts.append(text)
    parts.append(inline.clean_fragment(raw[position:]))
    text = re.sub(r"\s+", " ", "".join(parts)).strip()
    return links, media_urls, text


def _strip_time(text):
    match = TIME_PREFIX.match(text)
    if not match or match.end() == len(text):
        return text, None
    return text[match.end() :], time(int(match["h"]), int(match["m"]))


def _split_items(text):
    items, position, separator, start = [], 0, None, 0
    for match in SEPARATOR.finditer(text):
        items.append(_Item(text[position : match.start()].strip(), separator, start))
        separator, start, position = match.lastgroup, match.start(), match.end()
    items.append(_Item(text[position:].strip(), separator, start))
    return items


def _render(text, links):
    return PLACEHOLDER.sub(lambda m: links[int(m[1])].text, text)


def _classify(item, links, profiles=None):
    """("person", SpeakerItem) | ("company", name) | ("role", company name or "") | None."""
    text = item.text
    if not text:
        return None
    person = _person(text, links, profiles)
    if person:
        return "person", person
    for pattern in (TRAILING_COMPANY, COMPANY_MARKER):
        match = pattern.match(text)
        if match:
            who = _person(match["who"].strip(), links)
            org = _organisation(match["org"], links)
            if who and org:
                return "person", SpeakerItem(who.name, who.url, org)
    rendered = _render(text, links).strip()
    role_at = ROLE_AT.match(text)
    if role_at and _has_role_word(_render(role_at["role"], links)):
        return "role", _organisation(role_at["org"], links)
    if _has_role_word(rendered):
        return "role", ""
    single_link = PLACEHOLDER.fullmatch(text)
    if single_link or looks_like_company(rendered):
        return "company", rendered
    return None


def _person(text, links, profiles=None):
    single_link = PLACEHOLDER.fullmatch(text)
    if single_link:
        link = links[int(single_link[1])]
        if is_profile_url(link.url) or looks_like_person(link.text):
            return SpeakerItem(link.text, link.url)
        return None
    if "\x00" in text:
        return None
    if looks_like_person(text):
        return SpeakerItem(text)
    if profiles and name_key(text) in profiles and _is_name_word(text):
        return SpeakerItem(text, profiles[name_key(text)])  # "Title, Ravi" + "[Ravi](profile)"
    return None


def _is_name_word(text):
    """One capitalised word that may be a first name: "Ousmane" (not "KVM", "CloudStack")."""
    if not NAME_WORD.match(text) or len(text) < 2 or text.lower() in NOT_NAME_WORDS:
        return False
    return text[0].isupper() and text[1:].islower()


def _with_profile(speaker, profiles):
    """Give a bare name the profile its bio links to, by full name or by a unique first name."""
    if speaker.url or not profiles:
        return speaker
    key = name_key(speaker.name)
    url = profiles.get(key)
    if url is None:
        first = key.split()[0]
        url = profiles.get(first) if first != key else None
    return SpeakerItem(speaker.name, url, speaker.company) if url else speaker


def _organisation(text, links):
    """The company named in ``text``: link text kept, stray URLs and markup dropped."""
    text = re.sub(r"\(?\s*https?://\S+\s*\)?|#", " ", _render(text, links))
    return re.sub(r"\s+", " ", text).strip(" ,;-\u2013\u2014")


def _has_role_word(text):
    return any(word in ROLE_WORDS for word in re.findall(r"[\w&-]+", text.casefold()))


def _trailing_speakers(items, links, profiles):
    """Read people from the right; return them in order and the offset where the title ends."""
    speakers, pending, boundary = [], [], None
    for index in range(len(items) - 1, -1, -1):
        item, is_first = items[index], index == 0
        kind, value = _classify(item, links, profiles) or (None, None)
        if kind != "person" and _first_name_after_person(items, index, links, profiles):
            kind, value = "person", SpeakerItem(item.text)  # "Jane Doe and Ousmane"
        if kind == "person" and _joined_by_and_to_non_person(items, index, links):
            break  # "... Learning and Research Abilities": an "and" inside the title
        if kind == "person" and (not is_first or _is_profile_link(item, value)):
            company = value.company or next((name for name in pending if name), "")
            speakers.append(SpeakerItem(value.name, value.url, company))
            pending, boundary = [], item.start
            if item.separator == "dash":
                break  # "Title - Jane Doe, ...": the dash ends the title
        elif kind == "role" and not is_first:
            pending.insert(0, value)
        elif kind == "company" and not is_first and item.separator in ("comma", "dash"):
            pending.insert(0, value)  # companies follow their person after a comma or dash
        elif is_first and not item.text and speakers:
            boundary = 0  # "### , [Name](url)": nothing before the speakers
            break
        else:
            break
    speakers.reverse()
    return speakers, boundary


def _is_profile_link(item, person):
    """Only a profile link in first place means the heading has no title: "### [Name](profile)"."""
    return bool(PLACEHOLDER.fullmatch(item.text)) and is_profile_url(person.url)


def _first_name_after_person(items, index, links, profiles):
    """A lone first name joined by "and" to a full name before it: "Jane Doe and Ousmane"."""
    item = items[index]
    if index < 2 or item.separator != "and" or not _is_name_word(item.text):
        return False
    previous = _classify(items[index - 1], links, profiles)
    return bool(previous) and previous[0] == "person"


def _joined_by_and_to_non_person(items, index, links):
    """An unlinked name after "and" counts only if a person stands before the "and" too."""
    item = items[index]
    if item.separator != "and" or PLACEHOLDER.match(item.text):
        return False
    previous = _classify(items[index - 1], links)
    if not previous or previous[0] != "person":
        return True
    return index - 1 == 0 and not PLACEHOLDER.fullmatch(items[0].text)


def _kind(title):
    for kind, pattern, keep_title in KIND_RULES:
        match = re.search(pattern, title, re.IGNORECASE)
        if match:
            return (title if keep_title else match["t"].strip()), kind
    return title, "talk"
