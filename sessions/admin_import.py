"""The admin's Import page: upload a file or give a URL, review the dry run's diff, confirm.

``admin/talks/importjob/add/`` (``admin:talks_importjob_add``, "Import" on the event list and
"Imports > Add" on the admin index) takes the file or URL and the options and creates an
:class:`~sessions.models.ImportJob`; a background task checks it (fetching the URL, then a dry
run), so neither a slow URL nor a big schedule depends on the request lasting. The job's page
(``admin:talks_importjob_change``) polls ``<id>/status/`` through
static/admin-extra/import.js and shows the diff once checked; **Confirm** (``<id>/confirm/``)
queues the real import, whose progress the page shows until it links to the event.

Only users who may add events see and use these pages (the Organisers group, superusers).
"""

from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import get_valid_filename
from django.views.decorators.http import require_POST

from conference.models import Event

from .interchange.fetch import NAME_LENGTH, FetchError, check_url
from .interchange.files import MAX_SCHEDULE_BYTES
from .interchange.jobs import batch_options, format_choices, job_status
from .models import ImportJob
from .tasks import check_import, run_import

Status = ImportJob.Status


class ImportForm(forms.Form):
    """A file or a URL, and how to import it (the options of ``import_roundup``)."""

    file = forms.FileField(
        required=False,
        label="File",
        help_text=f"A schedule or roundup post, at most {MAX_SCHEDULE_BYTES // 2**20} MB.",
    )
    url = forms.URLField(
        required=False,
        label="Or a URL",
        max_length=ImportJob._meta.get_field("source_url").max_length,
        assume_scheme="https",
        help_text="An http:// or https:// address the site downloads the file from.",
    )
    format = forms.ChoiceField(label="Format")
    draft = forms.BooleanField(
        required=False,
        label="Import as a draft",
        help_text="The event and its sessions stay unpublished, to review them first.",
    )
    skip_unsupported = forms.BooleanField(
        required=False,
        label="Skip unsupported embeds",
        help_text="Import even if the file embeds a provider this site does not support "
        "(each skipped embed is listed); otherwise such a file is refused.",
    )
    event_slug = forms.SlugField(
        required=False,
        label="Event slug",
        max_length=100,
        help_text="For a file that does not name its event (Sessionize): the event to import into.",
    )
    event_name = forms.CharField(
        required=False, label="Event name", max_length=200, help_text="Its name, if it is new."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = format_choices()
        offered = batch_options()
        for name in ("event_slug", "event_name"):
            if name not in offered:
                del self.fields[name]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload is not None and upload.size > MAX_SCHEDULE_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_SCHEDULE_BYTES // 2**20} MB: it cannot be imported."
            )
        return upload

    def clean_url(self):
        url = self.cleaned_data["url"]
        if url:
            try:
                check_url(url)
            except FetchError as error:
                raise forms.ValidationError(
                    f"This URL cannot be imported: {error.message}."
                ) from None
        return url

    def clean(self):
        cleaned_data = super().clean()
        if self.errors:
            return cleaned_data
        if bool(cleaned_data.get("file")) == bool(cleaned_data.get("url")):
            raise forms.ValidationError("Give either a file or a URL.")
        return cleaned_data

    def create_job(self, user):
        """The job for this upload or URL, not yet checked."""
        data = self.cleaned_data
        job = ImportJob(
            created_by=user,
            format=data["format"],
            publish=not data["draft"],
            skip_unsupported=data["skip_unsupported"],
            event_slug=data.get("event_slug", ""),
            event_name=data.get("event_name", ""),
        )
        if data["file"]:
            upload = data["file"]
            job.source = upload.read()
            job.source_name = safe_file_name(upload.name)
        else:
            job.source_url = data["url"]
            job.source_name = data["url"][: ImportJob._meta.get_field("source_name").max_length]
        job.save()
        return job


def safe_file_name(name):
    """The uploaded file's own name, without folders or odd characters (``upload`` if none)."""
    try:
        return get_valid_filename(Path(name).name)[:NAME_LENGTH]
    except Exception:  # Django's SuspiciousFileOperation for "." and ".."
        return "upload"


def enqueue(task, job):
    """Queue ``task`` for ``job`` once the transaction commits (a worker must see the job)."""

    def send():
        result = task.enqueue(job.pk)
        ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))

    transaction.on_commit(send)


class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "event_link", "created_by", "created_at"]
    list_filter = ["status"]
    list_select_related = ["event", "created_by"]

    # Who may import: whoever may add events ---------------------------------------------------

    def may_import(self, request):
        return self.admin_site.get_model_admin(Event).has_add_permission(request)

    def has_module_permission(self, request):
        return self.may_import(request)

    def has_view_permission(self, request, obj=None):
        return self.may_import(request)

    def has_add_permission(self, request):
        return self.may_import(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.may_import(request) and (obj is None or not obj.is_working)

    @admin.display(description="event")
    def event_link(self, job):
        if job.event is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:conference_event_change", args=[job.event_id]),
            job.event,
        )

    # Pages --------------------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:job_id>/status/", wrap(self.status_view), name="talks_importjob_status"),
            path(
                "<int:job_id>/confirm/",
                wrap(require_POST(self.confirm_view)),
                name="talks_importjob_confirm",
            ),
            *super().get_urls(),
        ]

    def _job(self, request, job_id):
        if not self.may_import(request):
            raise PermissionDenied
        return get_object_or_404(ImportJob.objects.select_related("event", "created_by"), pk=job_id)

    def add_view(self, request, form_url="", extra_context=None):
        """The form; a valid one creates the job, queues its check and shows its page."""
        if not self.may_import(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                job = form.create_job(request.user)
                enqueue(check_import, job)
            return HttpResponseRedirect(job.get_absolute_url())
        context = {
            **self.admin_site.each_context(request),
            "title": "Import an event",
            "opts": self.opts,
            "form": form,
            "max_megabytes": MAX_SCHEDULE_BYTES // 2**20,
        }
        return TemplateResponse(request, "admin/talks/import_form.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The job's page: its progress, its diff to confirm, or its outcome."""
        try:
            job = self._job(request, int(object_id))
        except ValueError:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        status = job_status(job)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Import of {job.source_url or job.source_name}",
            "opts": self.opts,
            "job": job,
            "status": status,
            "summary": job.result_summary if job.status == Status.DONE else job.check_summary,
            "errors": job.error.splitlines(),
            "event_opts": Event._meta,
        }
        return TemplateResponse(request, "admin/talks/import_job.html", context)

    def status_view(self, request, job_id):
        """``{status, label, working, done, total, message}`` for the page's script."""
        return JsonResponse(job_status(self._job(request, job_id)))

    def confirm_view(self, request, job_id):
        """Queue the import of a checked job, once (a second click finds it queued already)."""
        job = self._job(request, job_id)
        with transaction.atomic():
            confirmed = ImportJob.objects.filter(pk=job.pk, status=Status.CHECKED).update(
                status=Status.QUEUED,
                confirmed_at=timezone.now(),
                started_at=None,
                finished_at=None,
            )
            if confirmed:
                enqueue(run_import, job)
        if not confirmed:
            messages.warning(request, "This import is not waiting for confirmation any more.")
        return HttpResponseRedirect(job.get_absolute_url())


class EventListImportLink:
    """The event list's "Import" button, beside "Add event"."""

    change_list_template = "admin/talks/import_event_change_list.html"


def register_import_admin(site):
    """Register the import pages on ``site``, and link them from its event list.

    Called once the event admin is final (the end of sessions/admin.py): conference, below
    sessions, cannot know the import, so sessions extends its admin.
    """
    site.register(ImportJob, ImportJobAdmin)
    event_admin = type(site.get_model_admin(Event))
    site.unregister(Event)
    site.register(Event, type(event_admin.__name__, (EventListImportLink, event_admin), {}))
