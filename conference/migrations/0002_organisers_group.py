"""Create the Organisers group: staff who run the programme, but not the site's users."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q

GROUP_NAME = "Organisers"
ACTIONS = ("add", "change", "delete", "view")
MANAGED_MODELS = {
    "conference": ["event", "sponsor", "sponsorship"],
    # Rooms and tracks came later (talks 0009 grants them), session links too (0014); run
    # again, this keeps them.
    "talks": [
        "session",
        "sessionspeaker",
        "recording",
        "slidedeck",
        "sessionlink",
        "room",
        "track",
    ],
    "speakers": ["speaker", "profilelink"],
    "taggit": ["tag", "taggeditem"],
}


def create_organisers_group(apps, schema_editor):
    db = schema_editor.connection.alias
    # On a fresh database, permissions are only created by post_migrate, after every
    # migration: create them now. Historical app configs have no models module, and
    # create_permissions skips an app without one.
    for label in MANAGED_MODELS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=db, apps=apps)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = Q()
    for label, models in MANAGED_MODELS.items():
        for model in models:
            wanted |= Q(
                content_type__app_label=label,
                content_type__model=model,
                codename__in=[f"{action}_{model}" for action in ACTIONS],
            )
    group, _ = Group.objects.using(db).get_or_create(name=GROUP_NAME)
    group.permissions.set(Permission.objects.using(db).filter(wanted))


def delete_organisers_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("conference", "0001_initial"),
        ("speakers", "0001_initial"),
        ("talks", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_organisers_group, delete_organisers_group),
    ]
