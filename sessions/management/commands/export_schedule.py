"""``manage.py export_schedule EVENT_SLUG [--format F] [--output FILE] [--base-url URL]``: an
event's published sessions in an exchange format, as the site serves them.

The frab schedule (``frab-xml``, ``frab-json``) and ``csv`` hold absolute addresses (session
pages, uploaded slides), made from ``--base-url`` or else the ``SITE_URL`` setting; the
``roundup`` post needs none. Drafts are never written (see ``docs/schedule-exports.md``).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from conference.models import Event
from sessions.interchange.snapshot import snapshot_event
from sessions.interchange.writers import WRITERS
from sessions.interchange.writers.frab import NoTimedSessions

FORMATS = ["frab-xml", "frab-json", "csv", "roundup"]
WITHOUT_ADDRESSES = {"roundup"}


def site_address(value):
    """``scheme://host[:port]`` from a base URL as typed (a trailing slash is dropped); a
    ``CommandError`` for anything else."""
    bits = urlsplit(value.strip())
    if bits.scheme not in ("http", "https") or not bits.hostname:
        raise CommandError(
            f"--base-url {value!r} is not an http(s) address such as https://example.org"
        )
    if bits.path not in ("", "/") or bits.query or bits.fragment or bits.username:
        raise CommandError(
            f"--base-url {value!r} must be the site's address only (https://example.org), "
            "without a path, query or user"
        )
    return f"{bits.scheme}://{bits.netloc}"


class Command(BaseCommand):
    help = (
        "Write an event's published sessions as a frab schedule (XML or JSON, as schedule apps "
        "and media.ccc.de read them), a CSV spreadsheet or a roundup post."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", metavar="EVENT_SLUG", help="Slug of the event to export.")
        parser.add_argument(
            "--format",
            "-f",
            dest="format_name",
            choices=FORMATS,
            default="frab-xml",
            help="frab-xml (schedule.xml, the default), frab-json (schedule.json), csv or roundup.",
        )
        parser.add_argument(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE instead of printing (UTF-8).",
        )
        parser.add_argument(
            "--base-url",
            metavar="URL",
            help="The site's address, e.g. https://roundups.example.org, that links in the "
            "export start with (default: the SITE_URL setting).",
        )

    def handle(self, *args, slug, format_name, output, base_url, **options):
        event = Event.objects.filter(slug=slug).first()
        if event is None:
            raise CommandError(f"no event with slug {slug!r}")
        write_options = {}
        if format_name not in WITHOUT_ADDRESSES:
            base_url = base_url or settings.SITE_URL
            if not base_url:
                raise CommandError(
                    f"{format_name} holds absolute links: give --base-url https://your.site "
                    "(or set SITE_URL)"
                )
            write_options["base_url"] = site_address(base_url)
        if format_name == "roundup":  # the post names sponsors and speakers' profiles
            snapshot = snapshot_event(event)
        else:
            snapshot = snapshot_event(
                event,
                sponsorships=False,
                speaker_links=False,
                person_guids=format_name.startswith("frab"),
            )
        try:
            body = WRITERS[format_name](snapshot, **write_options)
        except NoTimedSessions as error:
            raise CommandError(
                f"{event.name} has no published session with a time, and a frab schedule "
                "places each at one: give them times, or use --format csv or roundup"
            ) from error
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        if not event.is_published and options["verbosity"] >= 1:
            self.stderr.write(
                f"Note: {event.name} is not published, so the session pages the export links to "
                "are not public yet."
            )
        if not output:
            self.stdout.write(data.decode("utf-8"), ending="")
            return
        try:
            with open(output, "wb") as handle:
                handle.write(data)
        except OSError as error:
            raise CommandError(f"cannot write {output}: {error.strerror or error}") from error
        if options["verbosity"] >= 1:
            self.stderr.write(f"Wrote {event.name} ({format_name}) to {output}")
