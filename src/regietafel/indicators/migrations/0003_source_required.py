"""The old source strings and confidences are gone: a figure's source is its record, its confidence the source's.

A separate migration from the conversion, because PostgreSQL does not alter a table with pending foreign-key checks
in the transaction that wrote them."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_source_records")]

    operations = [
        migrations.RemoveField("target", "source_name"),
        migrations.RemoveField("target", "confidence"),
        migrations.AlterField(
            "target",
            "source",
            models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.source",
                verbose_name="source",
            ),
        ),
        migrations.RemoveField("value", "source_name"),
        migrations.RemoveField("value", "confidence"),
        migrations.AlterField(
            "value",
            "source",
            models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.source",
                verbose_name="source",
            ),
        ),
    ]
