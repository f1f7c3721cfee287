"""Shared fixtures: the reference roundup (imported once per module), users with each role."""

from io import StringIO
from itertools import groupby
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.factories import UserFactory

# Helpers whose asserts should explain a failure as a test's own do.
pytest.register_assert_rewrite("tests.admin_forms")

REFERENCE_ROUNDUP = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "ccc2023-roundup.md"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def reference_roundup():
    if not REFERENCE_ROUNDUP.exists():
        pytest.fail(f"The reference roundup is missing: expected it at {REFERENCE_ROUNDUP}")
    return REFERENCE_ROUNDUP


class SharedImport:
    """The reference roundup imported once inside a transaction that stays open for the tests
    that follow; each test's own transaction is a savepoint in it, so whatever a test changes is
    rolled back to the imported event, and the import itself is rolled back at the end."""

    atomic = None

    @classmethod
    def open(cls, path):
        cls.atomic = transaction.atomic()
        cls.atomic._from_testcase = True  # as Django's TestCase marks its own: not durable
        cls.atomic.__enter__()
        try:
            call_command("import_roundup", str(path), stdout=StringIO(), stderr=StringIO())
        except BaseException:
            cls.close()
            raise

    @classmethod
    def close(cls):
        if cls.atomic is not None:
            transaction.set_rollback(True)
            cls.atomic.__exit__(None, None, None)
            cls.atomic = None


@pytest.fixture(scope="module")
def reference_import(django_db_setup, django_db_blocker, reference_roundup):
    """The reference roundup imported once for the tests of a module that ask for it."""
    with django_db_blocker.unblock():
        SharedImport.open(reference_roundup)
    yield
    with django_db_blocker.unblock():
        SharedImport.close()


@pytest.fixture
def reference_event(reference_import, db):
    """The reference roundup's event, imported (shared by the module's tests, rolled back after
    each)."""
    assert SharedImport.atomic is not None, "tests using reference_event must run one after another"
    from conference.models import Event

    return Event.objects.get(slug="ccc2023-roundup")


@pytest.hookimpl(trylast=True)  # after pytest-django's: database tests first, transactional next
def pytest_collection_modifyitems(items):
    """Run Hypothesis tests first (the longest, so that with several workers none is left for
    last), and in each module the tests on the shared reference import one after another."""
    items.sort(key=lambda item: not getattr(getattr(item, "obj", None), "is_hypothesis_test", 0))
    items[:] = [
        item
        for _, run in groupby(items, key=lambda item: getattr(item, "module", None))
        for item in sorted(run, key=lambda item: "reference_import" not in item.fixturenames)
    ]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Roll the shared import back before a test that does not ask for it, so it never sees it."""
    if SharedImport.atomic is not None and "reference_import" not in item.fixturenames:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            SharedImport.close()


@pytest.fixture
def write_post(tmp_path):
    """Write a roundup post's text to a file; return its path."""

    def write_post(content):
        path = tmp_path / "post.md"
        path.write_text(content, encoding="utf-8")
        return path

    return write_post


@pytest.fixture
def staff_user(db):
    return UserFactory(username="staff", is_staff=True)


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def organiser(staff_user):
    """A staff user in the Organisers group (created by a data migration)."""
    from django.contrib.auth.models import Group

    staff_user.groups.add(Group.objects.get(name="Organisers"))
    return staff_user


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def admin_client(client, superuser):
    """A client logged in as the superuser (replaces pytest-django's, to reuse ours)."""
    client.force_login(superuser)
    return client


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with an empty page cache: cached pages must not leak between tests."""
    from django.core.cache import cache

    from conference.caching import recent_pages, version_memo

    cache.clear()
    recent_pages.pages.clear()
    version_memo.clear()  # a rolled-back test's numbers are not this test's
