"""Validators shared by the models of every app, so the admin, the importer and any form agree.

Each one refuses, with a message an organiser can act on, a value that the database, a feed or
a page could not hold: control characters (XML feeds cannot carry them), links that are not
plain web addresses, and numbers beyond the columns' range (PostgreSQL's ``integer`` stops at
2,147,483,647, SQLite's at 2**63, so the limit is ours, the same on both).
"""

import re
import unicodedata
from datetime import date
from urllib.parse import urlsplit

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
