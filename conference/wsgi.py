"""WSGI entry point: `gunicorn conference.wsgi:application`.

Django's application behind the page cache's fast path (conference/fast_path.py), which answers
cached pages before Django handles the request.
"""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")

django_application = get_wsgi_application()

from conference.fast_path import PageCacheFastPath  # noqa: E402 - needs the apps loaded first

application = PageCacheFastPath(django_application)

# Fail at start-up, not on a visitor's first request.
try:
    settings.SECRET_KEY  # noqa: B018 - Django raises here when it is empty
except ImproperlyConfigured as error:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to serve the site: export SECRET_KEY, run scripts/serve once "
        "(it creates .local-secret-key), or set DEBUG=1 for development."
    ) from error
