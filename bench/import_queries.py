"""Import one roundup post; print the seconds and SQL queries it took, then the queries of
its event page and of one of its session pages rendered cold (nothing cached)."""

import os
import sys
import time
from io import StringIO

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from conference.caching import recent_pages  # noqa: E402
from sessions.interchange.readers.roundup import read as read_roundup  # noqa: E402
from sessions.models import Session  # noqa: E402


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def count_queries(action):
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        action()
    return counter.count


def cold_get(path):
    cache.clear()
    recent_pages.pages.clear()
    response = Client(HTTP_HOST="127.0.0.1").get(path)
    assert response.status_code == 200, (path, response.status_code)


path = sys.argv[1]
started = time.perf_counter()
import_queries = count_queries(lambda: call_command("import_roundup", path, stdout=StringIO()))
elapsed = time.perf_counter() - started
slug = read_roundup(path).source_key
session = Session.objects.filter(event__slug=slug).order_by("day", "position").last()
event_queries = count_queries(lambda: cold_get(f"/events/{slug}/"))
session_queries = count_queries(lambda: cold_get(session.get_absolute_url()))
print(f"{elapsed:.3f} {import_queries} {event_queries} {session_queries}")
