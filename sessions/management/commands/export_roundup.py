"""``manage.py export_roundup EVENT_SLUG``: write an event out as a roundup blog post.

The post is in the format ``import_roundup`` reads: importing it into an empty database and
exporting again gives the same text.
"""

from django.core.management.base import BaseCommand, CommandError

from conference.models import Event
from sessions.interchange.snapshot import snapshot_event
from sessions.interchange.writers import WRITERS


class Command(BaseCommand):
    help = (
        "Print an event as a roundup blog post (Docusaurus Markdown with front matter): intro, "
        "photo gallery, then each day's sessions with speakers, videos and slides."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", metavar="EVENT_SLUG", help="Slug of the event to export.")
        parser.add_argument(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the post to FILE (UTF-8) instead of printing it.",
        )
        parser.add_argument(
            "--include-drafts",
            action="store_true",
            help="Include unpublished sessions (importing the post publishes them).",
        )

    def handle(self, *args, slug, output, include_drafts, **options):
        event = Event.objects.filter(slug=slug).first()
        if event is None:
            raise CommandError(f"no event with slug {slug!r}")
        text = WRITERS["roundup"](snapshot_event(event, include_drafts=include_drafts))
        if not output:
            self.stdout.write(text, ending="")
            return
        try:
            with open(output, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except OSError as error:
            raise CommandError(f"cannot write {output}: {error.strerror or error}") from error
        if options["verbosity"] >= 1:
            self.stderr.write(f"Wrote {event.name} to {output}")
