"""The django-tasks database worker for tests, in this process or in another.

``run_worker()`` runs every queued task in this process (inside the test's transaction) with
the worker's own ``run_task``. ``worker_process()`` starts ``manage.py db_worker`` (or
another module's ``main``) as a separate process against the test database, which must be a
file (tests/settings.py) or PostgreSQL, and the test must commit (``transactional_db``).
"""

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

ROOT = Path(__file__).resolve().parents[1]


def run_worker():
    """Claim and run each queued task as ``db_worker`` does (its ``run_task``), then return.

    Not its whole loop: that closes the database connection between tasks, which would end
    the test's transaction."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    while (task := DBTaskResult.objects.ready().first()) is not None:
        task.claim(worker.worker_id)
        worker.run_task(task)


def database_url():
    """The test database as a ``DATABASE_URL`` another process can open."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        if "memory" in str(settings["NAME"]):
            raise AssertionError("The SQLite test database must be a file (tests/settings.py)")
        return f"sqlite:///{settings['NAME']}"
    user = settings["USER"] or "postgres"
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}"


@contextmanager
def worker_process(*command, env=None):
    """A ``manage.py db_worker`` process (or ``python COMMAND...``) on the test database, with
    ``env`` added to its environment, killed at the end if still running; yields the
    ``Popen``."""
    command = command or ("manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay")
    process = subprocess.Popen(
        [sys.executable, *command],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": database_url(),
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            **(env or {}),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        process.stdout.close()


def retitle_in_another_process(session, title):
    """Save ``session`` with ``title`` from a ``manage.py shell`` process on the test database,
    as an editor on another app server would (the test must commit: ``transactional_db``)."""
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from sessions.models import Session; "
            f"s = Session.objects.get(pk={session.pk}); s.title = {title!r}; s.save()",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url(), "SECRET_KEY": "tests"},
        check=True,
    )
