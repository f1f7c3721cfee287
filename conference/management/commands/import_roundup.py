"""``manage.py import_roundup PATH [PATH ...]``: turn roundup blog posts into events.

Each file is read, parsed and written in its own transaction: a file that cannot be imported
leaves the database exactly as it was, is reported as ``PATH:LINE: what is wrong`` and makes
the command exit non-zero once every file has been tried.
"""

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from conference.roundup.history import IMPORTER_USERNAME
from conference.roundup.loader import LoadError, load_roundup
from conference.roundup.parser import MAX_BYTES, ParseError, read_roundup


class FileNotImported(Exception):
    """One file failed; ``problems`` are ``(line, message)`` pairs."""

    def __init__(self, problems):
        super().__init__(problems)
        self.problems = problems


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
        options["recorded_by"] = self.recording_user(options["user"])
        options["slugs_imported"] = {}
        failures, imported = [], []
        for path in paths:
            try:
                self.import_file(path, options)
            except FileNotImported as error:
                failures.extend(f"{path}:{line}: {message}" for line, message in error.problems)
            else:
                imported.append(path)
        if failures:
            # The summary comes first: Django prints "CommandError: " before the first line,
            # and every PATH:LINE line below it stays clean for editors and grep.
            done = ", ".join(imported) if imported else "none"
            summary = f"{len(paths) - len(imported)} of {len(paths)} file(s) not imported"
            raise CommandError("\n".join([f"{summary} (imported: {done}):", *failures]))

    def import_file(self, path, options):
        try:
            roundup = read_roundup(path)
        except ParseError as error:
            raise FileNotImported([(error.line, error.message)]) from error
        self.check_slug_unclaimed(path, roundup, options["slugs_imported"])
        self.check_embeds(path, roundup, skip=options["skip_unsupported"])
        try:
            report = load_roundup(
                roundup=roundup,
                publish=not options["draft"],
                dry_run=options["dry_run"],
                recorded_by=options["recorded_by"],
            )
        except LoadError as error:
            raise FileNotImported([(error.line, error.message)]) from error
        except DatabaseError as error:
            raise FileNotImported([(1, f"the database refused the import: {error}")]) from error
        options["slugs_imported"][roundup.slug] = path
        self.print_report(path, roundup, report, options)

    def check_slug_unclaimed(self, path, roundup, slugs_imported):
        """Two posts of one command naming one event: the second would overwrite the first."""
        other = slugs_imported.get(roundup.slug)
        if other is not None and os.path.realpath(other) != os.path.realpath(path):
            raise FileNotImported(
                [
                    (
                        roundup.lines.get("slug", 1),
                        f"slug {roundup.slug!r} is also the slug of {other}, imported just "
                        "before: give one of them another slug",
                    )
                ]
            )

    def recording_user(self, username):
        if username is None:
            return None
        user_model = get_user_model()
        try:
            return user_model._default_manager.get_by_natural_key(username)
        except user_model.DoesNotExist:
            raise CommandError(f"--user {username}: no such user; nothing was imported.") from None

    def check_embeds(self, path, roundup, *, skip):
        if roundup.unsupported_embeds and not skip:
            raise FileNotImported(
                [
                    (note.line, f"{note.message} (use --skip-unsupported to import without it)")
                    for note in roundup.unsupported_embeds
                ]
            )
        for note in roundup.unsupported_embeds:
            self.stdout.write(f"{path}:{note.line}: skipped {note.message}")
        for note in roundup.notes:
            self.stdout.write(f"{path}:{note.line}: {note.message}")

    def print_report(self, path, roundup, report, options):
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
                    f"{session.title} (line {session.line})"
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
            f"({len(roundup.sponsors)} in this post)"
        )
        self.stdout.write(
            f"  recordings: {report.recordings} ({report.recordings_added} added, "
            f"{report.recordings_removed} removed); slide decks: {report.slide_decks} "
            f"({report.slide_decks_added} added, {report.slide_decks_removed} removed)"
        )
        if options["dry_run"]:
            self.stdout.write("  dry run: nothing was written")
