import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """Sponsors get ``updated_at`` so two organisers saving one sponsor are told, as elsewhere."""

    dependencies = [
        ("conference", "0006_event_date_range"),
    ]

    operations = [
        migrations.AddField(
            model_name="sponsor",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
    ]
