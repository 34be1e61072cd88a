"""The old source strings and confidences are gone: a figure's source is its record, its confidence the source's.

A separate migration from the conversion, because PostgreSQL does not alter a table with pending foreign-key checks
in the transaction that wrote them."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("matching", "0002_source_records")]

    operations = [
        migrations.RemoveField("dwelling", "source_name"),
        migrations.RemoveField("dwelling", "confidence"),
        migrations.AlterField(
            "dwelling",
            "source",
            models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.source",
                verbose_name="source",
            ),
        ),
    ]
