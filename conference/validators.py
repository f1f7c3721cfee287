"""Validators shared by the models of every app, so the admin, the importer and any form agree.

Each one refuses, with a message an organiser can act on, a value that the database, a feed or
a page could not hold: control characters (XML feeds cannot carry them), links that are not
plain web addresses, and numbers beyond the columns' range (PostgreSQL's ``integer`` stops at
2,147,483,647, SQLite's at 2**63, so the limit is ours, the same on both).
"""

import functools
import ipaddress
import re
import unicodedata
import zoneinfo
from datetime import date
from urllib.parse import urlsplit

import idna
from confusable_homoglyphs import categories
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.utils.deconstruct import deconstructible

# C0 controls and DEL, except tab, line feed and carriage return: XML 1.0 (RSS, Atom, sitemaps)
# cannot carry them, and on a page they are invisible. NUL is refused by the form fields already.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Largest PostgreSQL ``integer``: announced counts beyond it are mistakes.
MAX_INTEGER = 2**31 - 1
# Positions order a handful of rows; the admin moves rows above the highest position while it
# renumbers them, so positions stay far below the column's limit.
MAX_POSITION = 100_000


@deconstructible
class NoControlCharacters:
    """Refuse text holding control characters other than tab and line breaks."""

    def __call__(self, value):
        found = CONTROL_CHARACTER.search(value or "")
        if found is None:
            return
        character = found.group()
        raise ValidationError(
            "Remove the control character U+%(code)04X (%(name)s) from this text: "
            "it cannot be shown on a page or in a feed.",
            code="control_character",
            params={"code": ord(character), "name": control_character_name(character)},
        )

    def __eq__(self, other):
        return isinstance(other, NoControlCharacters)


def control_character_name(character):
    names = {"\x00": "null", "\x7f": "delete", "\x1b": "escape", "\x0b": "vertical tab"}
    return names.get(character) or unicodedata.name(character, "control character").lower()


no_control_characters = NoControlCharacters()


@deconstructible
class WebAddressValidator(URLValidator):
    """An http or https address without a user name or password in front of its host.

    ``https://bank.example@evil.example/`` leads to ``evil.example``: refused, like ``ftp:``,
    ``javascript:`` and ``data:`` links.
    """

    message = "Enter a valid URL: a web address starting with https:// or http://."

    def __init__(self, **kwargs):
        super().__init__(schemes=["http", "https"], **kwargs)

    def __call__(self, value):
        super().__call__(value)
        try:
            urlsplit(value).port  # noqa: B018  (raises for a port beyond 65535)
        except ValueError:
            raise ValidationError(
                "Enter a valid URL: the port after the host must be a number up to 65535.",
                code="invalid",
                params={"value": value},
            ) from None
        if "@" in urlsplit(value).netloc:
            raise ValidationError(
                "Enter a valid URL: a web address without a user name or “@” before its host.",
                code="invalid",
                params={"value": value},
            )
        problem = lookalike_host_problem(urlsplit(value).hostname or "")
        if problem:
            raise ValidationError(
                "Enter a valid URL: %(problem)s", code="lookalike_host", params={"problem": problem}
            )


# Scripts that one word may mix (Chromium's IDN display policy): Japanese writes Han, Hiragana
# and Katakana together, Chinese Han and Bopomofo, Korean Han and Hangul; each may hold Latin.
SCRIPTS_WRITTEN_TOGETHER = (
    {"LATIN", "HAN", "HIRAGANA", "KATAKANA"},
    {"LATIN", "HAN", "BOPOMOFO"},
    {"LATIN", "HAN", "HANGUL"},
)
# Cyrillic letters drawn like Latin ones (Chromium's list): a name made only of them, "apple.com"
# spelt with Cyrillic letters, reads as Latin. Under a Cyrillic top-level domain it is what it
# says.
CYRILLIC_LATIN_LOOKALIKES = frozenset("асԁеһіјӏорԛѕԝхуъЬҽпгѵѡ")
CYRILLIC_COUNTRY_DOMAINS = frozenset({"bg", "by", "kz", "mk", "mn", "ru", "rs", "su", "ua", "uz"})


def lookalike_host_problem(host):
    """Why ``host`` could pass for another site's name, or "" when it cannot.

    Every host must be a valid international domain name (IDNA 2008 with the UTS #46 mapping
    browsers apply), which keeps out symbols drawn like slashes and dots ("example.com" then a
    division slash); then no label may mix scripts as "paypal" spelt with a Cyrillic "a" does,
    nor be all Cyrillic letters that look Latin.
    """
    if not host or _is_ip_address(host):
        return ""
    if host.isascii() and "xn--" not in host:
        return ""
    try:
        labels = idna.decode(idna.encode(host.rstrip("."), uts46=True)).split(".")
    except (idna.IDNAError, UnicodeError):
        odd = next((c for c in host if not (c.isalnum() or c in "-.")), None)
        if odd is None:
            return f"the host “{host}” is not a valid international domain name."
        return (
            f"the host “{host}” holds “{odd}” ({unicodedata.name(odd, 'a symbol').lower()}), "
            "which a domain name cannot hold."
        )
    top_level_scripts = _scripts(labels[-1])
    for label in labels:
        scripts = _scripts(label)
        if len(scripts) > 1 and not any(scripts <= allowed for allowed in SCRIPTS_WRITTEN_TOGETHER):
            names = " and ".join(sorted(script.title() for script in scripts))
            return (
                f"the host “{host}” mixes {names} letters in “{label}”, as names made to pass "
                "for another site do. Type the address again by hand."
            )
        letters = {c for c in label if c.isalpha()}
        if (
            scripts == {"CYRILLIC"}
            and letters <= CYRILLIC_LATIN_LOOKALIKES
            and top_level_scripts != {"CYRILLIC"}
            and labels[-1] not in CYRILLIC_COUNTRY_DOMAINS
        ):
            return (
                f"the host “{host}” spells “{label}” in Cyrillic letters that look like Latin "
                "ones, as names made to pass for another site do. Type the address again by hand."
            )
    return ""


def _scripts(label):
    return {categories.alias(c) for c in label} - {"COMMON", "INHERITED"}


def _is_ip_address(host):
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


validate_web_address = WebAddressValidator()
max_integer = MaxValueValidator(MAX_INTEGER)
max_position = MaxValueValidator(MAX_POSITION)

# Event dates: a conference of another millennium is a typo, and days counted from a date near
# year 9999 would fall off the calendar (date arithmetic, iCal).
EARLIEST_EVENT_DATE = date(1900, 1, 1)
LATEST_EVENT_DATE = date(2999, 12, 31)
EVENT_DATE = [
    MinValueValidator(EARLIEST_EVENT_DATE, "Enter a date in the year 1900 or later."),
    MaxValueValidator(LATEST_EVENT_DATE, "Enter a date before the year 3000."),
]


@functools.cache
def known_time_zones():
    """The IANA zone names this system's tz database holds (read once per process)."""
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value):
    """An IANA time zone name such as ``Europe/Paris``, as ``zoneinfo`` knows it."""
    if value not in known_time_zones():
        raise ValidationError(
            "“%(value)s” is not a time zone name: enter one from the IANA database, such as "
            "Europe/Paris, America/New_York or UTC.",
            code="unknown_time_zone",
            params={"value": value},
        )
