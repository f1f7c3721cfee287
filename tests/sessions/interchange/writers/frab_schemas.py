"""The c3voc schedule schemas, read from ``../shared/schemas/`` (never copied), and validators
that fail with the schema's own message.

``jsonschema`` checks formats only with optional packages; the ones frab files use (date-time,
date, uri, uuid) are checked here with the standard library, strictly, so a time without an
offset or a relative address fails the test.
"""

import datetime
import json
import uuid
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft6Validator, FormatChecker
from lxml import etree

SCHEMAS = Path(__file__).resolve().parents[5] / "shared" / "schemas"


def schema_path(name):
    path = SCHEMAS / name
    if not path.exists():
        pytest.fail(f"The c3voc schema is missing: expected it at {path}")
    return path


@cache
def xml_schema():
    return etree.XMLSchema(etree.parse(str(schema_path("schedule.xml.xsd"))))


def json_format_checker():
    checker = FormatChecker(Draft6Validator.FORMAT_CHECKER.checkers)

    @checker.checks("date-time", raises=ValueError)
    def is_date_time(value):
        moment = datetime.datetime.fromisoformat(value)
        return "T" in value and moment.tzinfo is not None

    @checker.checks("date", raises=ValueError)
    def is_date(value):
        return len(value) == 10 and datetime.date.fromisoformat(value) is not None

    @checker.checks("uri")
    def is_uri(value):
        bits = urlsplit(value)
        return bits.scheme in ("http", "https") and bool(bits.netloc) and " " not in value

    @checker.checks("uuid", raises=ValueError)
    def is_uuid(value):
        return str(uuid.UUID(value)) == value.lower()

    return checker


@cache
def json_validator():
    schema = json.loads(schema_path("schedule.schema.json").read_text(encoding="utf-8"))
    Draft6Validator.check_schema(schema)
    return Draft6Validator(schema, format_checker=json_format_checker())


def parse_xml(body):
    """Our own output, parsed as a reader must parse anything: no entities, no network."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(body, parser)


def validate_xml(body):
    """``body`` parsed, after asserting it is valid against ``schedule.xml.xsd``."""
    document = parse_xml(body)
    schema = xml_schema()
    if not schema.validate(document):
        pytest.fail(f"schedule.xml is not valid: {schema.error_log}")
    return document


def validate_json(text):
    """``text`` loaded, after asserting it is valid against ``schedule.schema.json``."""
    data = json.loads(text)
    errors = sorted(json_validator().iter_errors(data), key=lambda error: list(error.path))
    if errors:
        messages = "\n".join(f"/{'/'.join(map(str, e.path))}: {e.message}" for e in errors)
        pytest.fail(f"schedule.json is not valid:\n{messages}")
    return data
