"""``manage.py freeze --output DIR [--base-url URL] [--event SLUG]``: the published site as a
folder of files for any static host or CDN (rules in ``sessions.freeze`` and
``docs/static-export.md``).

``--base-url`` (else the ``SITE_URL`` setting) is the live site: the sitemap's origin and where
links to pages that need the server (search, admin) point.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sessions.freeze import FreezeError, Freezer

from .export_schedule import site_address


class Command(BaseCommand):
    help = "Write the published site into a folder any static host serves as is."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="Folder to write (created if missing).")
        parser.add_argument(
            "--base-url", help="The live site's address, e.g. https://example.org (else SITE_URL)."
        )
        parser.add_argument("--event", metavar="SLUG", help="Freeze only this event's pages.")

    def handle(self, *args, output, base_url, event, **options):
        base_url = base_url or settings.SITE_URL
        if not base_url:
            raise CommandError(
                "--base-url is required (no SITE_URL setting): the live site's address, "
                "e.g. --base-url https://example.org"
            )
        try:
            freezer = Freezer(output=output, base_url=site_address(base_url), event_slug=event)
            report = freezer.run()
        except FreezeError as error:
            raise CommandError(str(error)) from error
        for page, status in report.missing:
            self.stderr.write(f"warning: {page} answered {status}; it is not in the output")
        self.stdout.write(
            f"Froze {report.pages} pages ({report.rendered} rendered, {report.kept} kept from "
            f"the last run) into {output} in {report.seconds:.2f} s; files: "
            f"{report.written} written, {report.unchanged} unchanged, {report.removed} removed."
        )
