"""Organisers edit a session's links, as they edit its recordings (see talks 0009)."""

from importlib import import_module

from django.db import migrations

organisers_may_manage = import_module(
    "sessions.migrations.0009_organisers_manage_rooms_and_tracks"
).organisers_may_manage


class Migration(migrations.Migration):
    dependencies = [
        ("talks", "0013_markdown_html"),
    ]

    operations = [
        migrations.RunPython(*organisers_may_manage("sessionlink")),
    ]
