"""``manage.py attach_recordings EVENT_SLUG FILE [--dry-run] [--user USERNAME]``: attach the
videos of a list (a yt-dlp playlist export, a CSV of ``title,url[,speakers]``, a frab schedule
with links) to the event's sessions they match (sessions/interchange/matching.py).

Prints one line per video: attached, already attached, ambiguous (with the candidate sessions
and their scores, to attach in the admin or by fixing the list), unmatched, listed twice; then
a summary. A file that cannot be read exits non-zero with ``FILE:LINE: what is wrong`` and
writes nothing; the confident matches are written in one transaction.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from conference.models import Event
from sessions.interchange.document import SourceError
from sessions.interchange.history import IMPORTER_USERNAME
from sessions.interchange.matching import (
    ALREADY_ATTACHED,
    AMBIGUOUS,
    CONFIDENT,
    LISTED_TWICE,
    UNMATCHED,
    AttachError,
    attach_recordings,
    match_videos,
)
from sessions.interchange.video_lists import read_video_list

SUMMARY_ORDER = ("attached", ALREADY_ATTACHED, AMBIGUOUS, UNMATCHED, LISTED_TWICE)


def located(path, error):
    """``PATH:LINE: message``, or ``PATH: /json/pointer: message`` for a place with no line."""
    origin = error.origin
    if origin.line is None and (origin.pointer or origin.xpath):
        return f"{path}: {origin}: {error.message}"
    return f"{path}:{error.line}: {error.message}"


class Command(BaseCommand):
    help = (
        "Attach recordings to an event's sessions from a list of videos: yt-dlp's playlist "
        "JSON (yt-dlp --flat-playlist -J URL), a CSV with title,url[,speakers] columns, or a "
        "frab schedule.xml / schedule.json with links. Videos are matched by title and "
        "speakers; running it again attaches nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "event", metavar="EVENT_SLUG", help="The event whose sessions to match."
        )
        parser.add_argument("file", metavar="FILE", help="The list of videos.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be attached; write nothing."
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Record the attachments in the sessions' admin history under this user (by "
            f"default under {IMPORTER_USERNAME!r}, an account that cannot log in).",
        )

    def handle(self, *args, event, file, dry_run, user, **options):
        event_obj = Event.objects.filter(slug=event).first()
        if event_obj is None:
            raise CommandError(f"No event has the slug {event!r}.")
        account = self._user(user)
        try:
            video_list = read_video_list(file)
        except SourceError as error:
            raise CommandError(located(file, error)) from None
        for note in video_list.notes:
            self.stderr.write(f"{file}: {note.origin}: note: {note.message}")
        matches = match_videos(event_obj, video_list)
        confident = [(m.video, m.session) for m in matches if m.outcome == CONFIDENT]
        if confident and not dry_run:
            try:
                attach_recordings(event=event_obj, choices=confident, source=file, user=account)
            except AttachError as error:
                raise CommandError(f"{file}: {error} (nothing was attached)") from None
        counts = dict.fromkeys(SUMMARY_ORDER, 0)
        for match in matches:
            counts["attached" if match.outcome == CONFIDENT else match.outcome] += 1
            self.stdout.write(self._line(match, dry_run=dry_run))
        summary = ", ".join(
            f"{count} {'to attach' if dry_run and label == 'attached' else label}"
            for label, count in counts.items()
            if count
        )
        if dry_run:
            summary += " (dry run: nothing was written)"
        self.stdout.write(f"{event_obj}: {summary}.")

    def _user(self, username):
        if username is None:
            return None
        account = get_user_model().objects.filter(username=username).first()
        if account is None:
            raise CommandError(f"No user is called {username!r}.")
        return account

    @staticmethod
    def _line(match, *, dry_run):
        video = match.video
        where = f"{video.origin}: “{video.title}” {video.ref.url}"
        if match.outcome == CONFIDENT:
            verb = "would attach" if dry_run else "attached"
            how = "same guid" if match.by_guid else f"score {match.score}"
            return f"{verb}: {where} → “{match.session}” ({how})"
        if match.outcome == ALREADY_ATTACHED:
            return f"already attached: {where} → “{match.session}”"
        if match.outcome == LISTED_TWICE:
            return f"listed twice: {where} (the first mention counts)"
        if match.outcome == AMBIGUOUS:
            choices = "; ".join(f"“{c.session}” ({c.score})" for c in match.candidates)
            return f"ambiguous: {where} → one of {choices}"
        closest = (
            f" (closest: “{match.candidates[0].session}”, {match.score})"
            if match.candidates
            else ""
        )
        return f"unmatched: {where}{closest}"
