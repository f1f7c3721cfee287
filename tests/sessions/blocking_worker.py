"""``python -m tests.sessions.blocking_worker FILE``: ``manage.py db_worker``, except that the
second session an import saves makes it create FILE and then wait forever, inside the load's
transaction, for the test to kill it (the first one is saved and counted as progress).

Only the test process knows this hook: it is a signal receiver connected here, not a setting
or a branch of the import's code.
"""

import os
import sys
import threading
from pathlib import Path


def main(reached):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    django.setup()
    from django.core.management import call_command
    from django.db.models.signals import post_save

    from sessions.models import Session

    saved = []

    def block(sender, **kwargs):
        saved.append(kwargs["instance"].pk)
        if len(saved) == 2:
            reached.touch()
            threading.Event().wait()  # until killed

    post_save.connect(block, sender=Session, weak=False)
    call_command("db_worker", "--interval", "0.2", "--no-startup-delay")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
