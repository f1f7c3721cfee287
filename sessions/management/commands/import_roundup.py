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

    def print_changes(self, report, options):
        """Each session of the post and what the import did with it, at verbosity 2."""
        if options["verbosity"] < 2:
            return
        for action, session in report.session_actions:
            self.stdout.write(
                f"  {action:9} day {session.day} #{session.position + 1} "
                f"{session.title} (line {session.origin.line})"
            )
        for title in report.deleted_sessions:
            self.stdout.write(f"  {'deleted':9} {title}")
