"""Create a superuser for local use and print its password once."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the superuser 'admin' with a random password, printed once. "
        "Does nothing if that user exists. For local use; in production use createsuperuser."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument(
            "--site-url", default="http://127.0.0.1:8000", help="Where the site will run."
        )

    def handle(self, *args, username, site_url, **options):
        users = get_user_model()
        admin_url = f"{site_url.rstrip('/')}/admin/"
        if users.objects.filter(username=username).exists():
            self.stdout.write(
                f"Admin login: {admin_url} as '{username}' (password shown when it was created; "
                f"reset it with: .venv/bin/python manage.py changepassword {username})"
            )
            return
        password = secrets.token_urlsafe(12)
        users.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin login for local use: {admin_url}  user: {username}  password: {password}"
                "\n(shown once; it is not stored anywhere readable)"
            )
        )
