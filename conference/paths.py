"""``page_path("speakers:detail", slug=...)``: Django's ``reverse()``, remembered.

A page links every session and speaker it lists (a 1,000-session event page has thousands of
links) and ``reverse()`` costs tens of microseconds each. A path depends on the view's name and
arguments, the URL configuration in use and the script prefix (the site mounted below ``/``):
all four are the memo's key. A changed ``ROOT_URLCONF`` gives a new resolver object
(``clear_url_caches()``), so its paths are never taken from the old one's.
"""

from functools import lru_cache

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse

# Enough for the links of a few FOSDEM-sized events (sessions, speakers, tags, rooms).
REMEMBERED_PATHS = 16_384


def page_path(viewname, **kwargs):
    """The path of ``viewname`` with ``kwargs``, as ``reverse(viewname, kwargs=kwargs)``."""
    return _remembered_path(
        viewname,
        tuple(sorted(kwargs.items())),
        get_resolver(get_urlconf()),
        get_script_prefix(),
    )


@lru_cache(maxsize=REMEMBERED_PATHS)
def _remembered_path(viewname, kwargs, _resolver, _script_prefix):
    return reverse(viewname, kwargs=dict(kwargs))
