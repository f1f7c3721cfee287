"""The admin's "Attach recordings" page of an event: upload a list of videos, review the matches,
attach the chosen ones.

``admin/conference/event/<id>/recordings/`` (``admin:event_attach_recordings``, linked from the
event's change form) takes the list (sessions/interchange/video_lists.py) and shows a table of
what :func:`~sessions.interchange.matching.match_videos` found: confident matches pre-checked,
ambiguous ones with a choice of their candidate sessions (or none), the others listed.
Confirming posts to ``.../recordings/confirm/`` (``admin:event_attach_recordings_confirm``),
which attaches the checked and chosen ones in one transaction, with the sessions' history under
the organiser. Matching a thousand titles takes a second or two: it runs in the request.

The videos to choose from travel in the form, signed (nothing is stored between the two steps,
and nothing but a session of this event can be picked for them). The pages edit sessions: they
need the change permission on sessions.
"""

import tempfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import select_template
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from conference.models import Event

from .admin_import import safe_file_name
from .interchange.document import Origin, SourceError
from .interchange.files import MAX_SCHEDULE_BYTES
from .interchange.matching import (
    ALREADY_ATTACHED,
    AMBIGUOUS,
    CONFIDENT,
    LISTED_TWICE,
    UNMATCHED,
    AttachError,
    attach_recordings,
    match_videos,
)
from .interchange.video_lists import Video, read_video_list
from .models import Session
from .providers import MediaRef

SIGNING_SALT = "talks.attach-recordings"
# How long the reviewed matches may wait for confirmation.
REVIEW_MAX_AGE = 24 * 60 * 60
# The confirmation posts one field per video to choose for, besides these few.
OTHER_FIELDS = 8
# At most this many names in the message that sums up what was attached.
NAMED_IN_MESSAGE = 10
OUTCOME_LABELS = {
    CONFIDENT: "Match",
    AMBIGUOUS: "Choose",
    ALREADY_ATTACHED: "Already attached",
    UNMATCHED: "No match",
    LISTED_TWICE: "Listed twice",
}


class VideoListForm(forms.Form):
    file = forms.FileField(
        label="List of videos",
        help_text="yt-dlp's playlist JSON (yt-dlp --flat-playlist -J PLAYLIST_URL), a CSV with "
        "title and url columns (and speakers, optional), or a frab schedule.xml / "
        f"schedule.json with links; at most {MAX_SCHEDULE_BYTES // 2**20} MB.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_SCHEDULE_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_SCHEDULE_BYTES // 2**20} MB."
            )
        return upload

    def video_list(self):
        """The uploaded list, read as the command reads a file; ``None`` with the error on the
        form when it cannot be read."""
        upload = self.cleaned_data["file"]
        name = safe_file_name(upload.name)
        with tempfile.NamedTemporaryFile(suffix=Path(name).suffix) as copy:
            for chunk in upload.chunks():
                copy.write(chunk)
            copy.flush()
            try:
                return read_video_list(copy.name, source=name)
            except SourceError as error:
                self.add_error("file", f"{name}, {error.origin}: {error.message}.")
                return None


def choosable_limit():
    """How many videos one confirmation can carry (the fields Django accepts in a request)."""
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    return None if limit is None else limit - OTHER_FIELDS


def _video_data(video):
    origin = video.origin
    return {
        "title": video.title,
        "ref": [video.ref.provider, video.ref.key, video.ref.url],
        "origin": [origin.line, origin.xpath, origin.pointer],
    }


def _video(data):
    line, xpath, pointer = data["origin"]
    return Video(data["title"], MediaRef(*data["ref"]), Origin(line, xpath, pointer))


class AttachRecordings:
    """The event admin's part: the two URLs and a link among the change form's object tools."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:event_id>/recordings/",
                wrap(self.attach_recordings_view),
                name="event_attach_recordings",
            ),
            path(
                "<int:event_id>/recordings/confirm/",
                wrap(require_POST(self.attach_recordings_confirm_view)),
                name="event_attach_recordings_confirm",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        response = super().render_change_form(request, context, add=add, change=change, **kwargs)
        if change:  # the same form, with "Attach recordings" among its object tools
            names = response.template_name
            response.context_data["recordings_base_template"] = select_template(
                [names] if isinstance(names, str) else names
            )
            response.template_name = "admin/talks/attach_recordings_event_change_form.html"
        return response

    def _event(self, request, event_id):
        """The event, once the user may change sessions (else 403)."""
        if not self.admin_site.get_model_admin(Session).has_change_permission(request):
            raise PermissionDenied
        return get_object_or_404(Event, pk=event_id)

    def attach_recordings_view(self, request, event_id):
        """The upload form; a readable list shows its matches to review and confirm."""
        event = self._event(request, event_id)
        form = VideoListForm(request.POST or None, request.FILES or None)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Attach recordings to {event}",
            "event": event,
            "event_opts": Event._meta,
            "form": form,
        }
        if request.method == "POST" and form.is_valid():
            video_list = form.video_list()
            if video_list is not None:
                review = self._review(event, video_list)
                if review is None:
                    form.add_error(
                        "file",
                        f"This list has more videos to choose for than one page can confirm "
                        f"({choosable_limit()}): attach them with "
                        f"“manage.py attach_recordings {event.slug} FILE”.",
                    )
                else:
                    context.update(review)
        return TemplateResponse(request, "admin/talks/attach_recordings.html", context)

    def _review(self, event, video_list):
        """The table's rows and the signed videos to choose for; ``None`` when too many."""
        matches = match_videos(event, video_list)
        rows, choosable = [], []
        for match in matches:
            row = {"match": match, "label": OUTCOME_LABELS[match.outcome], "field": ""}
            if match.outcome in (CONFIDENT, AMBIGUOUS):
                row["field"] = f"video-{len(choosable)}"
                choosable.append(_video_data(match.video))
            rows.append(row)
        limit = choosable_limit()
        if limit is not None and len(choosable) > limit:
            return None
        counts = {label: 0 for label in OUTCOME_LABELS.values()}
        for row in rows:
            counts[row["label"]] += 1
        payload = {"event": event.pk, "source": video_list.source, "videos": choosable}
        return {
            "rows": rows,
            "counts": [(label, count) for label, count in counts.items() if count],
            "notes": video_list.notes,
            "source": video_list.source,
            "payload": signing.dumps(payload, salt=SIGNING_SALT, compress=True),
            "confirmable": bool(choosable),
        }

    def attach_recordings_confirm_view(self, request, event_id):
        """Attach the videos checked or chosen on the review table, then back to the form."""
        event = self._event(request, event_id)
        back = HttpResponseRedirect(reverse("admin:event_attach_recordings", args=[event.pk]))
        try:
            payload = signing.loads(
                request.POST.get("payload", ""), salt=SIGNING_SALT, max_age=REVIEW_MAX_AGE
            )
        except signing.BadSignature:
            messages.error(
                request, "This review has expired or was altered: upload the list again."
            )
            return back
        if payload.get("event") != event.pk:
            messages.error(request, "This review is of another event: upload the list again.")
            return back
        sessions = event.sessions.in_bulk()
        choices = []
        for index, data in enumerate(payload["videos"]):
            chosen = request.POST.get(f"video-{index}", "")
            if not chosen:
                continue
            session = sessions.get(int(chosen)) if chosen.isdigit() else None
            if session is None:
                messages.error(
                    request, "A chosen session is not one of this event's: nothing was attached."
                )
                return back
            choices.append((_video(data), session))
        if not choices:
            messages.warning(request, "No video was checked or chosen: nothing was attached.")
            return back
        try:
            results = attach_recordings(
                event=event, choices=choices, source=payload["source"], user=request.user
            )
        except AttachError as error:
            messages.error(request, f"Nothing was attached: {error}.")
            return back
        self._report(request, results)
        return back

    @staticmethod
    def _report(request, results):
        attached = [result for result in results if result.recording is not None]
        already = len(results) - len(attached)
        if attached:
            names = ", ".join(f"“{result.session}”" for result in attached[:NAMED_IN_MESSAGE])
            more = len(attached) - NAMED_IN_MESSAGE
            names += f" and {more} more" if more > 0 else ""
            count = f"{len(attached)} recording{'s' if len(attached) != 1 else ''}"
            messages.success(request, f"Attached {count} to {names}.")
        if already:
            videos = "1 video was" if already == 1 else f"{already} videos were"
            messages.info(request, f"{videos} attached already: nothing attached twice.")


def extend_event_admin_with_recordings(site):
    """Give the event admin registered on ``site`` the "Attach recordings" pages and link.

    Called once the event admin is final (the end of sessions/admin.py): conference, below
    sessions, cannot know recordings, so sessions extends its admin.
    """
    event_admin = type(site.get_model_admin(Event))
    site.unregister(Event)
    site.register(Event, type(event_admin.__name__, (AttachRecordings, event_admin), {}))
