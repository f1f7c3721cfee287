"""Organisers edit rooms and tracks, as they edit sessions (see conference 0002)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Organisers"
ACTIONS = ("add", "change", "delete", "view")
MODELS = ("room", "track")


def organisers_may_manage(*models):
    """The forward and backward functions of a migration that lets the Organisers group
    add, change, delete and view ``models`` of the talks app."""

    def permissions(apps, db):
        Permission = apps.get_model("auth", "Permission")
        return Permission.objects.using(db).filter(
            content_type__app_label="talks",
            codename__in=[f"{action}_{model}" for model in models for action in ACTIONS],
        )

    def grant(apps, schema_editor):
        db = schema_editor.connection.alias
        # Permissions are created by post_migrate, after every migration: create them now.
        app_config = apps.get_app_config("talks")
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=db, apps=apps)
        Group = apps.get_model("auth", "Group")
        for group in Group.objects.using(db).filter(name=GROUP_NAME):
            group.permissions.add(*permissions(apps, db))

    def revoke(apps, schema_editor):
        db = schema_editor.connection.alias
        Group = apps.get_model("auth", "Group")
        for group in Group.objects.using(db).filter(name=GROUP_NAME):
            group.permissions.remove(*permissions(apps, db))

    return grant, revoke


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("conference", "0002_organisers_group"),
        ("talks", "0008_guid_unique_and_no_start_time"),
    ]

    operations = [
        migrations.RunPython(*organisers_may_manage(*MODELS)),
    ]
