"""Background jobs (django-tasks): thin, given ids, calling what the admin and commands share.

With the default database backend (``TASKS`` in conference/settings.py), ``enqueue`` writes a
row that ``manage.py db_worker`` picks up; any other django-tasks backend runs the same tasks.
"""

from django_tasks import task

from .interchange.jobs import apply_job, check_job


@task()
def check_import(job_id):
    """Dry-run an import job's file (fetching its URL first), for the organiser to review."""
    check_job(job_id)


@task()
def run_import(job_id):
    """Import a confirmed job's file, under the organiser's name."""
    apply_job(job_id)
