"""The admin's imports, run by a worker: check a file (a dry run), then load it once confirmed.

An :class:`~sessions.models.ImportJob` holds the file and the options. :func:`check_job` fetches
the URL if there is one, keeps the bytes on the job, and runs the import policy
(:class:`~.imports.ImportBatch`) as a dry run, storing the diff the page shows
(:func:`diff_summary`). Once the organiser confirms, :func:`apply_job` runs the same import for
real, under the organiser's account, so the admin history names them. Both are called by the
tasks in :mod:`sessions.tasks`, with the job's id.

The load is one transaction: what it writes, progress included, is invisible to the page until
it commits, and a worker killed in the middle leaves the database as it was. So while a job
runs, its worker keeps a small progress record (sessions written, total, and a heartbeat every
:data:`HEARTBEAT_SECONDS`) outside the database, named by the job's random token; the status
endpoint reads it, and declares the job failed once no heartbeat came for
``settings.IMPORT_STALE_SECONDS`` (the worker died: nothing was written). The record is a key
of the cache when the cache is shared (Redis: the worker and the page may be on two machines),
else a file under ``MEDIA_ROOT/imports/`` (a per-process cache: worker and page on one machine).
"""

import datetime
import inspect
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_save
from django.utils import timezone

from conference.caching import PER_PROCESS_BACKENDS
from conference.models import Event, Sponsor
from sessions.models import ImportJob, Recording, Room, Session, SlideDeck, Track
from speakers.models import Speaker

from .fetch import FetchError, fetch_source
from .history import _label as field_label
from .imports import FileNotImported, ImportBatch, located
from .readers import READERS
from .report import CHANGED, CREATED, DELETED

logger = logging.getLogger(__name__)

Status = ImportJob.Status
HEARTBEAT_SECONDS = 1
STALE_SECONDS = 60  # default of settings.IMPORT_STALE_SECONDS
WAITING_SECONDS = 15  # a job no worker took by then: say that a worker may be missing
PROGRESS_WRITES_PER_SECOND = 4
VALUE_LENGTH = 160  # of an old or new value in the diff table
# The sections of the diff, in the order the page shows them; other models come after.
MODEL_ORDER = (Event, Session, Room, Track, Speaker, Sponsor, Recording, SlideDeck)
OPEN_SECTIONS = (Event, Session)  # shown unfolded; the others are folded under their count
ACTION_WORDS = {CREATED: "created", CHANGED: "changed", DELETED: "removed"}


# The options the import policy takes --------------------------------------------------------


def batch_options():
    """The optional arguments :class:`ImportBatch` accepts among ``format``, ``event_slug``,
    ``event_name`` (the page offers only those)."""
    accepted = inspect.signature(ImportBatch).parameters
    return {name for name in ("format", "event_slug", "event_name") if name in accepted}


def format_choices():
    """``(value, label)`` of the formats an organiser can pick."""
    readers = [(name, name) for name in READERS]
    if "format" in batch_options():
        return [("auto", "Detect from the file"), *readers]
    return readers


def import_batch(job, *, dry_run):
    """The :class:`ImportBatch` for ``job``'s options."""
    values = {"format": job.format, "event_slug": job.event_slug, "event_name": job.event_name}
    extra = {name: value for name, value in values.items() if name in batch_options() and value}
    return ImportBatch(
        publish=job.publish,
        dry_run=dry_run,
        skip_unsupported=job.skip_unsupported,
        recorded_by=job.created_by,
        **extra,
    )


# The two steps ------------------------------------------------------------------------------


def check_job(job_id):
    """Fetch (if a URL) and dry-run the job's file; leave it ready to confirm, or refused."""
    if not _claim(job_id, Status.CHECKING):
        return
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    with Heartbeat(job), _workspace() as folder:
        try:
            path = _source_path(job, folder)
            result = import_batch(job, dry_run=True).import_file(path)
        except FileNotImported as error:
            _finish(job, Status.REFUSED, error="\n".join(_problem_lines(job, error)))
            return
        except FetchError as error:
            _finish(job, Status.REFUSED, error=f"{job.source_url}: {error.message}")
            return
        except Exception as error:
            _finish(job, Status.FAILED, error=_unexpected(error, "nothing was imported"))
            raise
        summary = diff_summary(result, job)
        _finish(
            job,
            Status.CHECKED,
            check_summary=summary,
            sessions_total=summary["sessions_to_write"],
            event=None if result.report.event_created else result.report.event,
        )


def apply_job(job_id):
    """Import the confirmed job's file for real, recording the history under its organiser."""
    if not _claim(job_id, Status.QUEUED):
        return
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    loaded = False
    with Heartbeat(job) as heartbeat, _workspace() as folder:
        try:
            with heartbeat.counting_sessions():
                result = import_batch(job, dry_run=False).import_file(_source_path(job, folder))
            loaded = True
            summary = diff_summary(result, job)
        except FileNotImported as error:
            _finish(job, Status.FAILED, error="\n".join(_problem_lines(job, error)))
            return
        except Exception as error:
            done = "it may have been imported" if loaded else "nothing was changed"
            _finish(job, Status.FAILED, error=_unexpected(error, done))
            raise
        _finish(
            job,
            Status.DONE,
            result_summary=summary,
            sessions_done=heartbeat.done,
            event=result.report.event,
        )


def _claim(job_id, status):
    """Mark the job started, once: a second delivery of the same task does nothing."""
    claimed = ImportJob.objects.filter(pk=job_id, status=status, started_at=None).update(
        started_at=timezone.now(), status=Status.RUNNING if status == Status.QUEUED else status
    )
    return bool(claimed)


def _finish(job, status, **values):
    values.update(status=status, finished_at=timezone.now())
    ImportJob.objects.filter(pk=job.pk).update(**values)


@contextmanager
def _workspace():
    folder = Path(tempfile.mkdtemp(prefix="roundup-import-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _source_path(job, folder):
    """The job's file written into ``folder`` under its own name (the name messages, slugs and
    the history use); a URL is fetched first, and its bytes kept on the job."""
    if job.source_url and not job.source:
        path = fetch_source(job.source_url, into=folder)
        job.source, job.source_name = path.read_bytes(), path.name
        ImportJob.objects.filter(pk=job.pk).update(source=job.source, source_name=job.source_name)
        return path
    path = folder / job.source_name
    path.write_bytes(bytes(job.source))
    return path


def _problem_lines(job, error):
    return [located(job.source_name, *problem) for problem in [*error.notices, *error.problems]]


def _unexpected(error, what_happened):
    logger.exception("Import job failed")
    return f"The import stopped on an unexpected error ({type(error).__name__}): {what_happened}."


# Progress, outside the transaction ----------------------------------------------------------


class ProgressFile:
    """The progress record as a file every process on this machine sees."""

    def __init__(self, job):
        self.path = Path(settings.MEDIA_ROOT) / "imports" / f"{job.token}.json"

    def write(self, data):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".partial")
        partial.write_text(json.dumps(data))
        os.replace(partial, self.path)

    def read(self):
        try:
            return json.loads(self.path.read_text())
        except (OSError, ValueError):
            return None

    def delete(self):
        self.path.unlink(missing_ok=True)

    def exists(self):
        return self.path.exists()


class ProgressKey:
    """The progress record as a key of the shared cache, which every machine sees. It expires
    on its own well after a worker that died could have renewed it."""

    def __init__(self, job):
        self.key = f"import-progress:{job.token}"

    def write(self, data):
        try:
            cache.set(self.key, data, timeout=max(10 * _stale_seconds(), 600))
        except Exception:
            logger.warning("Cache unavailable: import progress not sent", exc_info=True)

    def read(self):
        try:
            return cache.get(self.key)
        except Exception:
            logger.warning("Cache unavailable: import progress unknown", exc_info=True)
            return None

    def delete(self):
        cache.delete(self.key)

    def exists(self):
        return self.read() is not None


def progress_record(job):
    """Where ``job``'s progress is kept in this configuration (see the module's docstring)."""
    if settings.CACHES["default"]["BACKEND"].endswith(PER_PROCESS_BACKENDS):
        return ProgressFile(job)
    return ProgressKey(job)


class Heartbeat:
    """While a step runs, a thread rewrites the job's progress record every second; sessions
    saved meanwhile (in this thread) are counted. The record is removed at the end: the job's
    row holds the outcome."""

    def __init__(self, job):
        self.job = job
        self.record = progress_record(job)
        self.total = job.sessions_total
        self.done = 0
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.last_write = 0.0

    def __enter__(self):
        self.write()
        self.thread = threading.Thread(target=self._beat, daemon=True, name="import-heartbeat")
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stopped.set()
        self.thread.join()
        self.record.delete()

    def _beat(self):
        while not self.stopped.wait(HEARTBEAT_SECONDS):
            self.write()

    def write(self):
        with self.lock:
            self.record.write({"done": self.done, "total": self.total, "beat": time.time()})
            self.last_write = time.monotonic()

    @contextmanager
    def counting_sessions(self):
        """Count each session the load saves (created or changed ones: the dry run's total)."""
        owner = threading.get_ident()

        def saved(sender, **kwargs):
            if threading.get_ident() != owner:
                return
            self.done = min(self.done + 1, self.total) if self.total else self.done + 1
            if time.monotonic() - self.last_write > 1 / PROGRESS_WRITES_PER_SECOND:
                self.write()

        uid = f"import-job-{self.job.pk}"
        post_save.connect(saved, sender=Session, weak=False, dispatch_uid=uid)
        try:
            yield
        finally:
            post_save.disconnect(sender=Session, dispatch_uid=uid)


def read_progress(job):
    """``{"done", "total", "beat"}`` from the job's progress record, or ``None``."""
    return progress_record(job).read()


def job_status(job, *, now=None):
    """What the page shows of ``job`` now, as JSON-ready data; a job whose worker stopped
    sending heartbeats is marked failed first."""
    now = now or timezone.now()
    progress = read_progress(job) if job.is_working else None
    if job.started_at and job.is_working and _is_stale(job, progress, now):
        seconds = _stale_seconds()
        message = (
            f"The worker stopped during this {_step(job)} (no sign of life for {seconds} "
            "seconds). The import is one transaction, so nothing was changed; start it again "
            "from the Import page."
        )
        if ImportJob.objects.filter(pk=job.pk, status=job.status).update(
            status=Status.FAILED, error=message, finished_at=now
        ):
            progress_record(job).delete()
        job.refresh_from_db()
    done = (progress or {}).get("done", job.sessions_done)
    total = (progress or {}).get("total", job.sessions_total)
    return {
        "status": job.status,
        "label": job.get_status_display(),
        "working": job.is_working,
        "done": done,
        "total": total,
        "message": _status_message(job, done, total, now),
    }


def _step(job):
    return "check" if job.status == Status.CHECKING else "import"


def _stale_seconds():
    return getattr(settings, "IMPORT_STALE_SECONDS", STALE_SECONDS)


def _is_stale(job, progress, now):
    last_sign = job.started_at.timestamp()
    if progress is not None:
        last_sign = max(last_sign, progress.get("beat", 0))
    return now.timestamp() - last_sign > _stale_seconds()


def _status_message(job, done, total, now):
    if job.status == Status.CHECKING and job.started_at:
        return "Checking the file (a dry run: nothing is written)…"
    if job.status == Status.RUNNING:
        if total:
            return f"Importing: {done:,} of {total:,} sessions written…"
        return "Importing…"
    if job.status in (Status.CHECKING, Status.QUEUED):
        since = job.confirmed_at if job.status == Status.QUEUED else job.created_at
        if now - (since or job.created_at) > datetime.timedelta(seconds=WAITING_SECONDS):
            return (
                "Waiting for a worker. None has taken this job yet: is `manage.py db_worker` "
                "running?"
            )
        return "Waiting for a worker…"
    return job.get_status_display().capitalize() + "."


# The diff -----------------------------------------------------------------------------------


def diff_summary(result, job):
    """The changes of an import (or of its dry run) as the page's tables: JSON-ready data."""
    report = result.report
    zone = report.event.zone
    names = _speaker_names(report)
    groups = {}
    for change in report.changes:
        groups.setdefault(change.model, []).append(change)
    order = [model for model in MODEL_ORDER if model in groups]
    order += [model for model in groups if model not in MODEL_ORDER]
    sections = []
    for model in order:
        rows = [
            {
                "action": ACTION_WORDS[change.action],
                "name": _name(change.instance),
                "where": str(change.origin) if change.origin else "",
                "fields": [
                    [
                        field_label(model, name),
                        _shown(old, name, zone, names),
                        _shown(new, name, zone, names),
                    ]
                    for name, (old, new) in change.fields.items()
                ],
            }
            for change in groups[model]
        ]
        title = str(model._meta.verbose_name_plural).capitalize()
        sections.append({"title": title, "rows": rows, "open": model in OPEN_SECTIONS})
    return {
        "event": report.event.name,
        "event_created": report.event_created,
        "counts": [
            [label, count]
            for label, count in [
                ("sessions created", report.sessions_created),
                ("sessions changed", report.sessions_updated),
                ("sessions unchanged", report.sessions_unchanged),
                ("sessions removed", report.sessions_deleted),
                ("speakers created", report.speakers_created),
                ("sponsors created", report.sponsors_created),
                ("recordings added", report.recordings_added),
                ("slide decks added", report.slide_decks_added),
            ]
            if count or label.startswith("sessions")
        ],
        "sessions_to_write": report.sessions_created + report.sessions_updated,
        "sections": sections,
        "notices": [located(job.source_name, *notice) for notice in result.notices],
    }


def _speaker_names(report):
    """Speakers' names by primary key, for the "speakers" relation of a session (the ones a dry
    run created exist no more: their names come from the report)."""
    names = {change.instance.pk: change.instance.name for change in report.of(Speaker, CREATED)}
    wanted = {
        pk
        for change in report.of(Session, CHANGED)
        for pair in [change.fields.get("speakers") or ((), ())]
        for keys in pair
        for pk in keys or ()
    } - names.keys()
    names.update(Speaker.objects.filter(pk__in=wanted).values_list("pk", "name"))
    return names


def _name(instance):
    return str(instance)[:VALUE_LENGTH]


def _shown(value, name, zone, speaker_names):
    """A value of the diff as the organiser reads it."""
    if value in (None, ""):
        return "—"
    if name == "speakers":
        return ", ".join(speaker_names.get(pk, f"#{pk}") for pk in value) or "—"
    if isinstance(value, datetime.datetime):
        return f"{value.astimezone(zone):%Y-%m-%d %H:%M %Z}"
    if isinstance(value, datetime.timedelta):
        return f"{round(value.total_seconds() / 60)} min"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple | list):
        items = [
            ":".join(map(str, item)) if isinstance(item, tuple) else str(item) for item in value
        ]
        return ", ".join(items) or "—"
    text = str(value)
    return text if len(text) <= VALUE_LENGTH else text[: VALUE_LENGTH - 1] + "…"
