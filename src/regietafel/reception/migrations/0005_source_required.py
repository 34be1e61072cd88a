"""The old source strings and confidences are gone: a figure's source is its record, its confidence the source's.

A separate migration from the conversion, because PostgreSQL does not alter a table with pending foreign-key checks
in the transaction that wrote them."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reception", "0004_source_records")]

    operations = [
        migrations.RemoveField("receptiontask", "source_name"),
        migrations.RemoveField("receptiontask", "confidence"),
        migrations.AlterField(
            "receptiontask",
            "source",
            models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.source",
                verbose_name="source",
            ),
        ),
        migrations.RemoveField("location", "source_name"),
        migrations.RemoveField("location", "confidence"),
        migrations.AlterField(
            "location",
            "source",
            models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.source",
                verbose_name="source",
            ),
        ),
        migrations.RemoveField("locationobservation", "source_name"),
        migrations.RemoveField("locationobservation", "confidence"),
        migrations.AlterField(
            "locationobservation",
            "source",
            models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.source",
                verbose_name="source",
            ),
        ),
        migrations.RemoveField("thirdcountrynationalcount", "source_name"),
        migrations.RemoveField("thirdcountrynationalcount", "confidence"),
        migrations.AlterField(
            "thirdcountrynationalcount",
            "source",
            models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.source",
                verbose_name="source",
            ),
        ),
    ]
