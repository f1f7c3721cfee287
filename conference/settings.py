"""Settings for the conference roundup site.

Every value that differs between deployments comes from the environment (see the README's
table); the defaults are safe for a laptop: SQLite in the project folder and DEBUG off.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ

from conference.storage_url import object_storage, object_storage_origin
from sessions import providers

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

# SECRET_KEY from the environment, else from the per-checkout file that scripts/serve writes
# (git-ignored), so manage.py works in a local checkout without exporting anything.
SECRET_KEY_FILE = Path(env.str("SECRET_KEY_FILE", default=str(BASE_DIR / ".local-secret-key")))
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and SECRET_KEY_FILE.is_file():
    SECRET_KEY = SECRET_KEY_FILE.read_text().strip()
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"
# Otherwise an empty key: management commands (migrate, makemigrations) still run, Django refuses
# to sign anything with it, and conference/wsgi.py refuses to start the site.

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "taggit",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "adminsortable2",
    "conference",
    "speakers",
    "sessions.apps.SessionsConfig",
]

MIDDLEWARE = [
    # First: a cached page for an anonymous visitor is answered before anything else runs.
    "conference.caching.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "conference.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "conference.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    # The fragments a page repeats tens to thousands of times (session cards, speaker chips,
    # avatars, media posters) are Jinja2 templates: compiled to Python, they render about four
    # times faster than the same markup in Django's language. Pages stay Django templates and
    # draw the fragments through their template tags (conference/fragments.py).
    {
        "NAME": "fragments",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "fragments"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "conference.fragments.environment"},
    },
]

WSGI_APPLICATION = "conference.wsgi.application"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Persistent connections: opening one per request would cost more than serving a cached page.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Local memory by default (one per process); CACHE_URL=redis://127.0.0.1:6379/0 shares one cache
# between app servers. Cached pages are keyed by ContentVersion, so either stays correct.
# Background jobs (the admin's imports) through django-tasks: rows in this database that
# `manage.py db_worker` runs, no other server. See the README for a queue on Redis instead.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://roundup")}
CACHES["default"].setdefault("KEY_PREFIX", env.str("CACHE_KEY_PREFIX", default="roundup"))
# The local-memory cache holds each session's card (sessions/templatetags/cards.py) beside the
# pages: Django's default of 300 entries would evict a 1,000-session event's cards while its page
# renders. 5,000 holds the cards of a few FOSDEM-sized events (~3 KB each) and their pages;
# entries are dropped least recently used first, so old versions of pages go before live cards.
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 5000)
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=24 * 60 * 60)
# How processes learn that content versions changed (conference/caching.py): "auto" (a file
# with a per-process cache, a key of the shared cache otherwise), "file" or "cache".
PAGE_CACHE_SIGNAL = env.str("PAGE_CACHE_SIGNAL", default="auto")
PAGE_CACHE_SIGNAL_FILE = env.str("PAGE_CACHE_SIGNAL_FILE", default="")
# A burst for one uncached page renders once; the others wait at most this long.
PAGE_RENDER_WAIT_SECONDS = env.float("PAGE_RENDER_WAIT_SECONDS", default=5.0)
PAGE_RENDER_LOCK_SECONDS = env.int("PAGE_RENDER_LOCK_SECONDS", default=30)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
# The site's public address (https://roundups.example.org): what commands, which have no
# request, start absolute links with (export_schedule's frab and CSV files).
SITE_URL = env.str("SITE_URL", default="")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads: on the local disk (MEDIA_ROOT) unless MEDIA_STORAGE_URL names an S3-compatible
# bucket, which several app servers then share (README "Uploads on object storage"):
# s3://BUCKET?endpoint_url=https://s3.example.org&region_name=eu-west-1&custom_domain=media.example.org
# Every query parameter is an option of django-storages' S3Storage; credentials come from the
# usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY environment variables (boto3 reads them).
MEDIA_STORAGE_URL = env.str("MEDIA_STORAGE_URL", default="")
DEFAULT_STORAGE = object_storage(MEDIA_STORAGE_URL) if MEDIA_STORAGE_URL else None
STORAGES = {
    "default": DEFAULT_STORAGE or {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# gunicorn does not serve uploads; in production the proxy should. SERVE_MEDIA=1 lets the app
# serve them itself for a single-machine set-up (see README).
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)

TAGGIT_CASE_INSENSITIVE = True

# Hosts of the PeerTube instances whose videos organisers may embed (PeerTube is federated:
# any host may run it, so none is trusted unless listed), e.g. "video.example.org,tube.example".
PEERTUBE_INSTANCES = env.list("PEERTUBE_INSTANCES", default=[])
# Hosts whose video files (.mp4, .webm, .m4v, .ogv) are played in the page's own <video>, e.g.
# "video.fosdem.org,cdn.media.ccc.de" (and the mirrors they redirect to): a file on any other
# host is not a recording (the importer keeps it as a link and names this setting).
VIDEO_FILE_HOSTS = env.list("VIDEO_FILE_HOSTS", default=[])
# Show the provider's thumbnail on a video's poster. Off by default: the image is fetched from
# the provider's host, which then learns who opens the page before anyone clicks play.
EMBED_THUMBNAILS = env.bool("EMBED_THUMBNAILS", default=False)

# Security: HTTPS, cookies and headers (README "Security").
# HTTPS is usually enforced by the proxy; SECURE_SSL_REDIRECT=1 makes the app redirect too, and
# SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https trusts the proxy's header (set it only
# behind a proxy that overwrites that header).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_PROXY_SSL_HEADER = env.tuple("SECURE_PROXY_SSL_HEADER", default=None)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 60 * 60)
# Both commit every subdomain (and, with preload, browsers' built-in lists) to HTTPS for good:
# only when the deployment asks. `check --deploy` warns when they are off; that is the choice.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# Secure unless DEBUG. SESSION_COOKIE_SECURE=0 (both cookies) is for a plain-HTTP server on
# 127.0.0.1 only: the benchmarks that log into the admin set it for their own gunicorn.
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Content-Security-Policy (django-csp): scripts and styles only from our static files (no
# inline code; JSON-LD blocks are data, never run), frames only from the embed providers'
# players and provider images only when thumbnails are shown, both from the provider table.
EMBED_PLAYER_ORIGINS = providers.player_origins(globals())
EMBED_THUMBNAIL_ORIGINS = providers.thumbnail_origins() if EMBED_THUMBNAILS else []
# Video files only from this site and the VIDEO_FILE_HOSTS hosts.
VIDEO_FILE_ORIGINS = providers.video_file_origins(globals())
# Uploads served from another host (MEDIA_URL=https://media.example.org/) are images too.
# So are those in the object store (its public address: custom_domain, else the endpoint).
MEDIA_ORIGINS = [
    f"{url.scheme}://{url.netloc}"
    for url in (urlsplit(MEDIA_URL), urlsplit(object_storage_origin(DEFAULT_STORAGE)))
    if url.netloc
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *EMBED_THUMBNAIL_ORIGINS, *MEDIA_ORIGINS],
        "frame-src": EMBED_PLAYER_ORIGINS,
        "media-src": ["'self'", *VIDEO_FILE_ORIGINS],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Admin login throttling (django-axes): five failures for one username from one address lock
# that pair out for 15 minutes; a success resets the count.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Behind reverse proxies, how many of them append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "conference.client_address.client_address"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# Uploads (banners, logos, photos, slide PDFs): checked by conference.uploads. The proxy should
# also cap request bodies a little above UPLOAD_MAX_BYTES, so a huge upload never reaches us.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
MAX_IMAGE_PIXELS = env.int("MAX_IMAGE_PIXELS", default=40_000_000)
# Uploads above 1 MB stream to a temporary file instead of sitting in a worker's memory. The
# rest of a request body (form fields, without files) stays small: 2.5 MB, Django's default.
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
