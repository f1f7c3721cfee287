"""What the bench scripts share: the database they run on, and Django set up on it."""

import os
import urllib.parse


def ensure_database(url):
    """Create the database of a PostgreSQL ``url`` when missing (nothing to do for SQLite);
    exit with a message when the server does not answer."""
    parts = urllib.parse.urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        return
    import psycopg

    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as connection:
            if not connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone():
                connection.execute(f'CREATE DATABASE "{name}"')
                print(f"created database {name}")
    except psycopg.OperationalError as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else "no answer"
        raise SystemExit(
            f"PostgreSQL is not reachable at {parts.hostname}:{parts.port or 5432} ({first_line}); "
            "start it or pass --database-url"
        ) from None


def setup_django(database_url, settings_module="tests.settings"):
    """Django on ``database_url`` (created first when missing). The test settings by default:
    static files served from the app folders, without collectstatic."""
    ensure_database(database_url)
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    import django

    django.setup()
