"""``manage.py import_roundup PATH [PATH ...]``: turn roundup blog posts into events.

Each file is read, parsed and written in its own transaction: a file that cannot be imported
leaves the database exactly as it was, is reported as ``PATH:LINE: what is wrong`` and makes
the command exit non-zero once every file has been tried.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from sessions.interchange.files import MAX_BYTES
from sessions.interchange.history import IMPORTER_USERNAME
from sessions.interchange.imports import FileNotImported, ImportBatch, located


class Command(BaseCommand):
    help = (
        "Import roundup blog posts (Docusaurus Markdown with front matter) as events with their "
        "sessions, speakers, recordings, slide decks and sponsors. Running it again updates "
        "the same event in place."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="+",
            metavar="PATH",
            help=f"Roundup post(s) to import (Markdown, at most {MAX_BYTES // 2**20} MB each).",
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
            help="Parse, validate and report what would change; write nothing.",
        )

    def handle(self, *args, paths, **options):
        batch = ImportBatch(
            format="roundup",
            publish=not options["draft"],
            dry_run=options["dry_run"],
            skip_unsupported=options["skip_unsupported"],
            recorded_by=self.recording_user(options["user"]),
        )
        failures, imported = [], []
        for path in paths:
            try:
                result = batch.import_file(path)
            except FileNotImported as error:
                self.print_notices(path, error.notices)
                failures.extend(located(path, *problem) for problem in error.problems)
            else:
                self.print_notices(path, result.notices)
                self.print_report(path, result.report, options)
                imported.append(path)
        if failures:
            # The summary comes first: Django prints "CommandError: " before the first line,
            # and every PATH:LINE line below it stays clean for editors and grep.
            done = ", ".join(imported) if imported else "none"
            summary = f"{len(paths) - len(imported)} of {len(paths)} file(s) not imported"
            raise CommandError("\n".join([f"{summary} (imported: {done}):", *failures]))

    def recording_user(self, username):
        if username is None:
            return None
        user_model = get_user_model()
        try:
            return user_model._default_manager.get_by_natural_key(username)
        except user_model.DoesNotExist:
            raise CommandError(f"--user {username}: no such user; nothing was imported.") from None

    def print_notices(self, path, notices):
        for origin, message in notices:
            self.stdout.write(located(path, origin, message))

    def print_report(self, path, report, options):
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
            self.style.SUCCESS(f"{verb} {path}: {event.name} ({state}{draft})")
            + f" -> {event.get_absolute_url()}"
        )
        if verbosity >= 2:
            for action, session in report.session_actions:
                self.stdout.write(
                    f"  {action:9} day {session.day} #{session.position + 1} "
                    f"{session.title} (line {session.origin.line})"
                )
            for title in report.deleted_sessions:
                self.stdout.write(f"  {'deleted':9} {title}")
        self.stdout.write(
            f"  sessions: {report.sessions_created} created, {report.sessions_updated} "
            f"updated, {report.sessions_unchanged} unchanged, {report.sessions_deleted} deleted"
        )
        self.stdout.write(
            f"  speakers: {report.speakers_created} created, {report.speakers_updated} updated "
            f"({report.speakers_in_post} in this post)"
        )
        self.stdout.write(
            f"  sponsors: {report.sponsors_created} created, {report.sponsors_updated} updated "
            f"({len(report.document.sponsors)} in this post)"
        )
        self.stdout.write(
            f"  recordings: {report.recordings} ({report.recordings_added} added, "
            f"{report.recordings_removed} removed); slide decks: {report.slide_decks} "
            f"({report.slide_decks_added} added, {report.slide_decks_removed} removed)"
        )
        if options["dry_run"]:
            self.stdout.write("  dry run: nothing was written")
