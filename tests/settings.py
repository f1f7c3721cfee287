"""Settings for the test suite: the real settings, with a throw-away key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")

from conference.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
ARTIFACTS = BASE_DIR / "test-artifacts"  # noqa: F405  (git-ignored)
ARTIFACTS.mkdir(exist_ok=True)
# One media folder per pytest-xdist worker: a test that removes the uploads it made must not
# remove another worker's.
MEDIA_ROOT = ARTIFACTS / "media" / os.environ.get("PYTEST_XDIST_WORKER", "main")
# Serve static files from the app folders, as in development: tests do not run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# A file, not memory, so a test can read the test database from another process; one file per
# pytest process, so two runs in one checkout do not share (and destroy) each other's database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": ARTIFACTS / f"test-{os.getpid()}.sqlite3"}  # noqa: F405
