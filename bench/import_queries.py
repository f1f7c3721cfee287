"""Import one roundup post and print the seconds it took and the SQL queries it ran."""

import os
import sys
import time
from io import StringIO

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

with CaptureQueriesContext(connection) as queries:
    started = time.perf_counter()
    call_command("import_roundup", sys.argv[1], stdout=StringIO())
    elapsed = time.perf_counter() - started
print(f"{elapsed:.3f} {len(queries)}")
