"""The old source strings and confidences are gone: a figure's source is its record, its confidence the source's.

A separate migration from the conversion, because PostgreSQL does not alter a table with pending foreign-key checks
in the transaction that wrote them."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("regions", "0003_source_records")]

    operations = [
        migrations.RemoveField("populationfigure", "source_name"),
        migrations.RemoveField("populationfigure", "confidence"),
        migrations.AlterField(
            "populationfigure",
            "source",
            models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.source",
                verbose_name="source",
            ),
        ),
        migrations.RemoveField("place", "source_name"),
        migrations.RemoveField("place", "confidence"),
        migrations.AlterField(
            "place",
            "source",
            models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.source",
                verbose_name="source",
            ),
        ),
    ]
