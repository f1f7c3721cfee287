"""Shared fixtures: the reference roundup, users with each role."""

from pathlib import Path

import pytest

from tests.factories import UserFactory

REFERENCE_ROUNDUP = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "ccc2023-roundup.md"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def reference_roundup():
    if not REFERENCE_ROUNDUP.exists():
        pytest.fail(f"The reference roundup is missing: expected it at {REFERENCE_ROUNDUP}")
    return REFERENCE_ROUNDUP


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

    from conference.caching import recent_pages

    cache.clear()
    recent_pages.pages.clear()
