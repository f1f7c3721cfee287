"""``manage.py import_schedule PATH_OR_URL [...]``: import a programme from a schedule export
(frab XML or JSON, pretalx, wafer, FOSDEM, Sessionize, CSV) or a roundup post.

Each source is read, parsed and written in its own transaction: one that cannot be imported
leaves the database exactly as it was, is reported as ``PATH:LINE: what is wrong`` (or a JSON
pointer) and makes the command exit non-zero once every source has been tried. Importing the
same source again updates the event in place; ``--dry-run`` prints what would change.
"""

import shutil
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from sessions.interchange.diff import clash_lines, diff_lines
from sessions.interchange.document import SourceError
from sessions.interchange.fetch import fetch_source
from sessions.interchange.files import MAX_SCHEDULE_BYTES
from sessions.interchange.history import IMPORTER_USERNAME
from sessions.interchange.imports import FileNotImported, ImportBatch, located
from sessions.interchange.readers import READERS

URL_SCHEMES = ("http://", "https://")


class Command(BaseCommand):
    help = (
        "Import a conference programme: frab schedule.xml / schedule.json (frab, pretalx, "
        "wafer, FOSDEM, c3voc), a Sessionize export, a CSV or a roundup post, from a file or "
        "an http(s) URL. Running it again updates the same event in place."
    )
    # The format a subclass reads; None: the --format option says, "auto" by default.
    fixed_format = None

    def add_arguments(self, parser):
        parser.add_argument(
            "sources",
            nargs="+",
            metavar="PATH_OR_URL",
            help=f"Files or http(s) URLs to import (at most {MAX_SCHEDULE_BYTES // 2**20} MB).",
        )
        if self.fixed_format is None:
            parser.add_argument(
                "--format",
                default="auto",
                choices=["auto", *READERS],
                help="The sources' format; by default it is told from each one's content.",
            )
        parser.add_argument(
            "--event",
            metavar="SLUG",
            help="The slug of the event to create or update, instead of the one the source "
            "gives (a Sessionize export or a CSV gives none: then it is required).",
        )
        parser.add_argument(
            "--name", metavar="NAME", help="The event's name, instead of the source's."
        )
        parser.add_argument(
            "--draft",
            action="store_true",
            help="Import the event and its sessions unpublished, to review them first.",
        )
        parser.add_argument(
            "--skip-unsupported",
            action="store_true",
            help="Import posts that embed an unsupported provider, leaving those embeds out "
            "(each one is listed). Without it such a post is refused.",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Record the changes in the admin history under this user (by default under "
            f"{IMPORTER_USERNAME!r}, an account that cannot log in).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read, validate and print what would change, field by field; write nothing.",
        )

    def handle(self, *args, sources, **options):
        if len(sources) > 1 and options["event"]:
            raise CommandError("--event names one event: give one source with it.")
        batch = ImportBatch(
            format=self.fixed_format or options["format"],
            event_slug=options["event"],
            event_name=options["name"],
            publish=not options["draft"],
            dry_run=options["dry_run"],
            skip_unsupported=options["skip_unsupported"],
            recorded_by=self.recording_user(options["user"]),
        )
        failures, imported = [], []
        for source in sources:
            try:
                result = self.import_source(batch, source)
            except FileNotImported as error:
                self.print_notices(source, error.notices)
                failures.extend(located(source, *problem) for problem in error.problems)
            else:
                self.print_notices(source, result.notices)
                self.print_report(source, result.report, options)
                imported.append(source)
        if failures:
            # The summary comes first: Django prints "CommandError: " before the first line,
            # and every PATH:LINE line below it stays clean for editors and grep.
            done = ", ".join(imported) if imported else "none"
            summary = f"{len(sources) - len(imported)} of {len(sources)} file(s) not imported"
            raise CommandError("\n".join([f"{summary} (imported: {done}):", *failures]))

    def import_source(self, batch, source):
        """Import a path, or the file an http(s) URL gives (fetched first, then removed)."""
        if not source.lower().startswith(URL_SCHEMES):
            return batch.import_file(source)
        try:
            path = fetch_source(source, max_bytes=MAX_SCHEDULE_BYTES)
        except SourceError as error:
            raise FileNotImported([(error.origin, error.message)]) from error
        try:
            result = batch.import_file(path)
        finally:
            shutil.rmtree(Path(path).parent, ignore_errors=True)
        return result

    def recording_user(self, username):
        if username is None:
            return None
        user_model = get_user_model()
        try:
            return user_model._default_manager.get_by_natural_key(username)
        except user_model.DoesNotExist:
            raise CommandError(f"--user {username}: no such user; nothing was imported.") from None

    def print_notices(self, source, notices):
        for origin, message in notices:
            self.stdout.write(located(source, origin, message))

    def print_report(self, source, report, options):
        verbosity = options["verbosity"]
        if verbosity < 1:
            return
        event = report.event
        verb = "Would import" if options["dry_run"] else "Imported"
        state = "created" if report.event_created else "updated"
        if not (report.event_created or report.event_updated):
            state = "unchanged"
        draft = ", draft" if options["draft"] else ""
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {source}: {event.name} ({state}{draft})")
            + f" -> {event.get_absolute_url()}"
        )
        self.print_changes(report, options)
        for line in clash_lines(report):
            self.stdout.write(self.style.WARNING(f"  {line}"))
        self.stdout.write(
            f"  sessions: {report.sessions_created} created, {report.sessions_updated} "
            f"updated, {report.sessions_unchanged} unchanged, {report.sessions_deleted} deleted"
        )
        if report.document.has_programme:
            self.stdout.write(
                f"  rooms: {len(report.document.rooms)}, tracks: {len(report.document.tracks)}"
                f" ({report.rooms_created} and {report.tracks_created} created)"
            )
        self.stdout.write(
            f"  speakers: {report.speakers_created} created, {report.speakers_updated} updated "
            f"({report.speakers_in_post} in this {self.source_word(report)})"
        )
        self.stdout.write(
            f"  sponsors: {report.sponsors_created} created, {report.sponsors_updated} updated "
            f"({len(report.document.sponsors)} in this {self.source_word(report)})"
        )
        self.stdout.write(
            f"  recordings: {report.recordings} ({report.recordings_added} added, "
            f"{report.recordings_removed} removed); slide decks: {report.slide_decks} "
            f"({report.slide_decks_added} added, {report.slide_decks_removed} removed)"
        )
        if options["dry_run"]:
            self.stdout.write("  dry run: nothing was written")

    def print_changes(self, report, options):
        """The diff, field by field: in a dry run, or at verbosity 2."""
        if options["dry_run"] or options["verbosity"] >= 2:
            for line in diff_lines(report):
                self.stdout.write(f"  {line}")

    @staticmethod
    def source_word(report):
        return "schedule" if report.document.has_programme else "post"
