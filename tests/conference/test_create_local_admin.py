from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_create_local_admin_prints_a_working_password_once():
    first, second = StringIO(), StringIO()

    call_command("create_local_admin", stdout=first)
    call_command("create_local_admin", stdout=second)

    password = first.getvalue().split("password: ")[1].split()[0]
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password(password)
    assert password not in second.getvalue()
    assert "changepassword admin" in second.getvalue()
