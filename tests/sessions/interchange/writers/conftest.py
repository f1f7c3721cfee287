"""The writers' tests share the festival of ``tests/sessions/festival.py``."""

import pytest

from tests.sessions.festival import make_festival


@pytest.fixture
def festival(db):
    return make_festival()
