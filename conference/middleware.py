"""A friendly 503 page while the database is unreachable, instead of a server error.

When PostgreSQL restarts or the network drops, a view raises ``OperationalError`` or
``InterfaceError``. Visitors then get a short standalone page asking them to retry in a moment
(``Retry-After: 30``), never a traceback, and the error is logged. Nothing needs resetting
afterwards: Django closes the broken connection at the end of the request and opens a new one
on the next (``CONN_HEALTH_CHECKS`` checks a persistent one before reuse).
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error(
            "Database unavailable while serving %s %s: %s", request.method, request.path, exception
        )
        # Rendered without the request: no context processor, so no query (not even the user's).
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)  # no proxy may keep serving the outage
        return response
