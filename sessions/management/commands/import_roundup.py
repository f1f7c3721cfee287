"""``manage.py import_roundup PATH [PATH ...]``: turn roundup blog posts into events.

Each file is read, parsed and written in its own transaction: a file that cannot be imported
leaves the database exactly as it was, is reported as ``PATH:LINE: what is wrong`` and makes
the command exit non-zero once every file has been tried.
"""

from sessions.interchange.files import MAX_BYTES

from . import import_schedule


class Command(import_schedule.Command):
    help = (
        "Import roundup blog posts (Docusaurus Markdown with front matter) as events with their "
        "sessions, speakers, recordings, slide decks and sponsors. Running it again updates "
        "the same event in place."
    )
    fixed_format = "roundup"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        sources = next(action for action in parser._actions if action.dest == "sources")
        sources.help = (
            f"Roundup post(s) to import (Markdown, at most {MAX_BYTES // 2**20} MB each)."
        )

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
