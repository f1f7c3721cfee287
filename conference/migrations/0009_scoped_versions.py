from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("conference", "0008_event_time_zone"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="contentversion",
            name="content_version_single_row",
        ),
        # The one version so far becomes the cross-event ("site") one.
        migrations.AddField(
            model_name="contentversion",
            name="scope",
            field=models.CharField(default="site", max_length=255),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="contentversion",
            name="scope",
            field=models.CharField(max_length=255, unique=True),
        ),
        migrations.AlterModelOptions(
            name="contentversion",
            options={"ordering": ["scope"]},
        ),
    ]
