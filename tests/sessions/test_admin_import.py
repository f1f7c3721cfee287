"""The admin's Import page: upload, the dry run's diff, confirm, the background job, history.

The jobs run through django-tasks' database worker: its real loop in this process
(``run_worker``) for most tests, and ``manage.py db_worker`` in another process for the end to
end one and the worker killed in the middle of an import.
"""

import datetime
import signal
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from conference.models import Event
from sessions.interchange.files import MAX_SCHEDULE_BYTES
from sessions.interchange.jobs import progress_record
from sessions.models import ImportJob, Session
from speakers.models import Speaker
from tests.factories import UserFactory
from tests.local_http import local_http_server
from tests.workers import run_worker, worker_process

Status = ImportJob.Status
ADD_URL = reverse("admin:talks_importjob_add")
BROKEN_POST = "---\ntitle: [unclosed\n---\n\n## Day 1 Sessions\n"


def upload(client, path_or_text, *, name="post.md", **options):
    """Post the import form with a file; the response (a redirect to the job's page)."""
    data = path_or_text.read_bytes() if isinstance(path_or_text, Path) else path_or_text.encode()
    name = path_or_text.name if isinstance(path_or_text, Path) else name
    fields = {"file": SimpleUploadedFile(name, data), "format": "roundup", **options}
    return client.post(ADD_URL, fields)


def only_job():
    [job] = ImportJob.objects.all()
    return job


def job_page(client, job):
    return client.get(reverse("admin:talks_importjob_change", args=[job.pk]))


def status_of(client, job):
    return client.get(reverse("admin:talks_importjob_status", args=[job.pk])).json()


def confirm(client, job):
    return client.post(reverse("admin:talks_importjob_confirm", args=[job.pk]))


@pytest.fixture
def checked_job(organiser_client, reference_roundup, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(organiser_client, reference_roundup)
    run_worker()
    return only_job()


# Permissions ---------------------------------------------------------------------------------


@pytest.fixture
def staff_without_add_event(db):
    user = UserFactory(username="viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_event"))
    return user


@pytest.fixture
def some_job(organiser):
    return ImportJob.objects.create(
        created_by=organiser, source_name="post.md", source=b"x", format="roundup"
    )


def job_urls(job):
    return [
        ("get", ADD_URL),
        ("post", ADD_URL),
        ("get", reverse("admin:talks_importjob_change", args=[job.pk])),
        ("get", reverse("admin:talks_importjob_status", args=[job.pk])),
        ("post", reverse("admin:talks_importjob_confirm", args=[job.pk])),
    ]


def test_import_pages_send_anonymous_visitors_and_non_staff_to_the_login(client, some_job, db):
    for user in [None, UserFactory(username="visitor")]:
        if user is not None:
            client.force_login(user)
        answers = [getattr(client, method)(url) for method, url in job_urls(some_job)]
        assert [answer.status_code for answer in answers] == [302] * 5
        assert all(answer.url.startswith(reverse("admin:login")) for answer in answers)
    assert ImportJob.objects.get().status == Status.CHECKING


def test_import_pages_refuse_staff_who_may_not_add_events(
    client, some_job, staff_without_add_event
):
    client.force_login(staff_without_add_event)
    answers = [getattr(client, method)(url) for method, url in job_urls(some_job)]

    assert [answer.status_code for answer in answers] == [403] * 5
    assert client.get(reverse("admin:talks_importjob_changelist")).status_code == 403
    assert "Import" not in client.get(reverse("admin:conference_event_changelist")).text
    assert list(ImportJob.objects.values_list("status", flat=True)) == [Status.CHECKING]


def test_organisers_find_the_import_on_the_admin_index_and_the_event_list(organiser_client):
    index = organiser_client.get(reverse("admin:index")).text
    events = organiser_client.get(reverse("admin:conference_event_changelist")).text

    assert f'href="{ADD_URL}"' in index
    assert f'<a href="{ADD_URL}" class="addlink">Import</a>' in events


# The flow ------------------------------------------------------------------------------------


def test_upload_queues_a_check_that_shows_the_diff_and_writes_nothing(
    organiser_client, reference_roundup, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = upload(organiser_client, reference_roundup)
    job = only_job()
    assert answer.url == job.get_absolute_url()
    assert (job.status, job.source_name) == (Status.CHECKING, "ccc2023-roundup.md")
    assert DBTaskResult.objects.get(id=job.task_id).task_path == "sessions.tasks.check_import"
    assert status_of(organiser_client, job)["message"] == "Waiting for a worker…"

    run_worker()

    job.refresh_from_db()
    assert job.status == Status.CHECKED
    assert Event.objects.count() == Speaker.objects.count() == LogEntry.objects.count() == 0
    page = job_page(organiser_client, job).text
    assert "What the import would do to “CloudStack Collaboration Conference 2023”" in page
    assert job.check_summary["counts"][:4] == [
        ["sessions created", 36],
        ["sessions changed", 0],
        ["sessions unchanged", 0],
        ["sessions removed", 0],
    ]
    sessions = next(s for s in job.check_summary["sections"] if s["title"] == "Sessions")
    assert [row["action"] for row in sessions["rows"]] == ["created"] * 36
    assert sessions["rows"][0]["where"] == "line 37"
    assert f"<td>{sessions['rows'][0]['name']}</td>" in page
    assert 'value="Confirm the import"' in page
    assert job.sessions_total == 36


def test_confirmed_import_runs_as_a_job_and_records_history_under_the_organiser(
    organiser_client, organiser, checked_job, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = confirm(organiser_client, checked_job)
    assert answer.url == checked_job.get_absolute_url()
    checked_job.refresh_from_db()
    assert checked_job.status == Status.QUEUED
    assert status_of(organiser_client, checked_job)["working"] is True

    run_worker()

    job = ImportJob.objects.get()
    event = Event.objects.get()
    assert (job.status, job.event, job.sessions_done) == (Status.DONE, event, 36)
    assert event.sessions.count() == 36
    assert set(LogEntry.objects.values_list("user__username", flat=True)) == {organiser.username}
    event_history = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Event), object_id=str(event.pk)
    ).order_by("pk")
    assert list(event_history.values_list("action_flag", "change_message", "user")) == [
        (ADDITION, "Roundup import from ccc2023-roundup.md: created.", organiser.pk),
        (CHANGE, "Roundup import from ccc2023-roundup.md: sessions 36 created.", organiser.pk),
    ]
    assert not progress_record(job).exists()
    page = job_page(organiser_client, job).text
    assert f'<a href="{event.get_absolute_url()}" data-import-event>{event}</a>' in page
    assert "What the import did" in page
    assert status_of(organiser_client, job) == {
        "status": "done",
        "label": "imported",
        "working": False,
        "done": 36,
        "total": 36,
        "message": "Imported.",
    }


def test_reimporting_a_changed_post_shows_each_changed_field_old_to_new(
    organiser_client, reference_event, reference_roundup, django_capture_on_commit_callbacks
):
    session = reference_event.sessions.order_by("day", "position").first()
    original_title = session.title
    session.title = "An older title"
    session.save()

    with django_capture_on_commit_callbacks(execute=True):
        upload(organiser_client, reference_roundup)
    run_worker()

    job = only_job()
    assert job.check_summary["counts"][:4] == [
        ["sessions created", 0],
        ["sessions changed", 1],
        ["sessions unchanged", 35],
        ["sessions removed", 0],
    ]
    sessions = next(s for s in job.check_summary["sections"] if s["title"] == "Sessions")
    assert sessions["rows"] == [
        {
            "action": "changed",
            "name": original_title,
            "where": sessions["rows"][0]["where"],
            "fields": [["title", "An older title", original_title]],
        }
    ]
    page = job_page(organiser_client, job).text
    assert f"<del>An older title</del> → <ins>{original_title}</ins>" in page
    session.refresh_from_db()
    assert session.title == "An older title"  # only checked, not imported


def test_confirming_twice_queues_the_import_once(
    organiser_client, checked_job, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        confirm(organiser_client, checked_job)
        second = confirm(organiser_client, checked_job)

    assert second.status_code == 302
    assert DBTaskResult.objects.filter(task_path="sessions.tasks.run_import").count() == 1
    page = organiser_client.get(second.url).text
    assert "This import is not waiting for confirmation any more." in page


def test_a_broken_file_is_refused_with_where_it_is_wrong_and_nothing_changes(
    organiser_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(organiser_client, BROKEN_POST, name="broken.md")
    run_worker()

    job = only_job()
    assert job.status == Status.REFUSED
    assert job.error == (
        "broken.md:2: invalid YAML in the front matter: expected ',' or ']', but got '<stream end>'"
    )
    page = job_page(organiser_client, job).text
    assert f"<li><code>{escape(job.error)}</code></li>" in page
    assert "Confirm the import" not in page
    assert confirm(organiser_client, job).status_code == 302
    assert ImportJob.objects.get().status == Status.REFUSED
    assert Event.objects.count() == Session.objects.count() == LogEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({}, "Give either a file or a URL."),
        (
            {"url": "https://example.org/post.md", "file": SimpleUploadedFile("a.md", b"x")},
            "Give either a file or a URL.",
        ),
        (
            {"url": "ftp://example.org/post.md"},
            "This URL cannot be imported: only http:// and https:// URLs can be imported.",
        ),
        (
            {"file": SimpleUploadedFile("big.md", b"x" * (MAX_SCHEDULE_BYTES + 1))},
            "The file is larger than 32 MB: it cannot be imported.",
        ),
    ],
)
def test_the_form_refuses_what_cannot_be_imported(organiser_client, fields, error):
    answer = organiser_client.post(ADD_URL, {"format": "roundup", **fields})

    assert answer.status_code == 200
    assert error in answer.text
    assert ImportJob.objects.count() == 0


def test_a_job_no_worker_takes_says_a_worker_may_be_missing(organiser_client, some_job):
    ImportJob.objects.filter(pk=some_job.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=5)
    )

    assert status_of(organiser_client, some_job)["message"] == (
        "Waiting for a worker. None has taken this job yet: is `manage.py db_worker` running?"
    )


def test_a_url_is_fetched_by_the_worker_and_its_bytes_kept_for_the_import(
    organiser_client, reference_roundup, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_ALLOW_PRIVATE_URLS = True
    served = {"ccc2023-roundup.md": reference_roundup.read_bytes()}
    with local_http_server(served) as base:
        url = f"{base}/files/ccc2023-roundup.md"
        with django_capture_on_commit_callbacks(execute=True):
            organiser_client.post(ADD_URL, {"url": url, "format": "roundup"})
        assert only_job().source == b""  # the request fetched nothing
        run_worker()
    job = only_job()

    assert (job.status, job.source_url, job.source_name) == (
        Status.CHECKED,
        url,
        "ccc2023-roundup.md",
    )
    assert bytes(job.source) == served["ccc2023-roundup.md"]
    with django_capture_on_commit_callbacks(execute=True):
        confirm(organiser_client, job)
    run_worker()  # the server is gone: the import uses the bytes checked
    assert ImportJob.objects.get().status == Status.DONE
    assert Event.objects.get().sessions.count() == 36


def test_a_url_on_a_private_address_is_refused_by_the_check(
    organiser_client, django_capture_on_commit_callbacks
):
    with local_http_server({"post.md": b"x"}) as base:
        with django_capture_on_commit_callbacks(execute=True):
            organiser_client.post(ADD_URL, {"url": f"{base}/files/post.md", "format": "roundup"})
        run_worker()
    job = only_job()

    assert job.status == Status.REFUSED
    assert job.error == (
        f"{base}/files/post.md: 127.0.0.1 is a private or local address (127.0.0.1): only "
        "public addresses can be imported from (IMPORT_ALLOW_PRIVATE_URLS allows others)"
    )


# Workers in their own process ----------------------------------------------------------------


def wait_for(condition, *, seconds=60, what="the worker"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_checks_and_imports_the_upload(client, reference_roundup):
    organiser = UserFactory(username="organiser", is_staff=True, is_superuser=True)
    client.force_login(organiser)
    with worker_process() as worker:
        upload(client, reference_roundup)
        job = only_job()
        wait_for(lambda: status_of(client, job)["status"] == "checked")
        assert Event.objects.count() == 0
        confirm(client, job)
        status = wait_for(lambda: (s := status_of(client, job))["status"] == "done" and s)
        assert worker.poll() is None

    assert status["done"] == status["total"] == 36
    event = Event.objects.get()
    assert ImportJob.objects.get().event == event
    assert event.sessions.count() == 36
    assert set(LogEntry.objects.values_list("user__username", flat=True)) == {"organiser"}


def checked_by_a_worker_process(client, reference_roundup, env=None):
    """The reference post, uploaded by an organiser logged in on ``client`` and checked by a
    ``db_worker`` process (with ``env``), stopped once it is done."""
    organiser = UserFactory(username="organiser", is_staff=True, is_superuser=True)
    client.force_login(organiser)
    with worker_process(env=env) as worker:
        upload(client, reference_roundup)
        job = only_job()
        wait_for(lambda: status_of(client, job)["status"] == "checked")
        worker.kill()
    return job


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_middle_of_an_import_leaves_the_database_as_it_was(
    client, reference_roundup, tmp_path, settings
):
    """The worker blocks after saving its first session, inside the load's transaction; killed
    there (SIGKILL: no clean-up runs), it leaves nothing behind, and once its heartbeat has been
    silent for IMPORT_STALE_SECONDS the page says the import failed and nothing changed.

    django-tasks' own row stays "RUNNING": its database backend does not notice dead workers
    (the README says so); the job's heartbeat is what tells."""
    settings.IMPORT_STALE_SECONDS = 3
    job = checked_by_a_worker_process(client, reference_roundup)
    reached = tmp_path / "inside-the-transaction"
    blocking = ("-m", "tests.sessions.blocking_worker", str(reached))
    with worker_process(*blocking) as worker:
        confirm(client, job)
        wait_for(reached.exists, what="the worker to block inside the transaction")
        running = wait_for(lambda: (s := status_of(client, job))["done"] and s)
        assert (running["status"], running["done"], running["total"]) == ("running", 1, 36)
        assert running["message"] == "Importing: 1 of 36 sessions written…"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)

    assert Event.objects.count() == Session.objects.count() == Speaker.objects.count() == 0
    assert LogEntry.objects.count() == 0
    job.refresh_from_db()
    assert job.status == Status.RUNNING  # nobody is left to say otherwise...
    status = wait_for(
        lambda: (s := status_of(client, job))["status"] == "failed" and s,
        seconds=10,
        what="the job to be found stale",
    )
    job.refresh_from_db()
    assert (status["working"], job.status) == (False, Status.FAILED)
    assert job.error == (
        "The worker stopped during this import (no sign of life for 3 seconds). The import is "
        "one transaction, so nothing was changed; start it again from the Import page."
    )
    assert "start it again from the Import page" in job_page(client, job).text
    assert DBTaskResult.objects.get(id=job.task_id).status == "RUNNING"
    assert not progress_record(job).exists()


REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def shared_cache(settings):
    """This process's cache is the Redis on this machine, under a key prefix of its own
    (removed at the end); yields the settings a worker process needs to share it."""
    prefix = f"import-progress-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield {"CACHE_URL": REDIS_URL, "CACHE_KEY_PREFIX": prefix}
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.mark.django_db(transaction=True)
def test_a_worker_on_another_machine_reports_progress_through_the_shared_cache(
    client, reference_roundup, tmp_path, settings, shared_cache
):
    """With a shared cache, the worker's heartbeat reaches the page with no disk in common: the
    worker's uploads folder is another one, as on a second machine."""
    settings.IMPORT_STALE_SECONDS = 3
    other_machine = {**shared_cache, "PYTEST_XDIST_WORKER": "other-machine"}  # MEDIA_ROOT
    job = checked_by_a_worker_process(client, reference_roundup, env=other_machine)
    reached = tmp_path / "inside-the-transaction"
    blocking = ("-m", "tests.sessions.blocking_worker", str(reached))
    with worker_process(*blocking, env=other_machine) as worker:
        confirm(client, job)
        wait_for(reached.exists, what="the worker to block inside the transaction")
        running = wait_for(lambda: (s := status_of(client, job))["done"] and s)
        assert (running["status"], running["done"], running["total"]) == ("running", 1, 36)
        assert progress_record(job).exists()
        assert not list(Path(settings.MEDIA_ROOT).glob("imports/*.json"))
        # Heartbeats keep coming while the worker lives, though the job outlasts the limit.
        time.sleep(settings.IMPORT_STALE_SECONDS + 1)
        assert status_of(client, job)["status"] == "running"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)

    status = wait_for(
        lambda: (s := status_of(client, job))["status"] == "failed" and s,
        seconds=10,
        what="the job to be found stale",
    )
    assert status["working"] is False
    assert Event.objects.count() == Session.objects.count() == 0
    assert not progress_record(job).exists()
