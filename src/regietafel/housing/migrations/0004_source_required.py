"""The old source strings and confidences are gone: a figure's source is its record, its confidence the source's.

A separate migration from the conversion, because PostgreSQL does not alter a table with pending foreign-key checks
in the transaction that wrote them."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("housing", "0003_source_records")]

    operations = [
        migrations.RemoveField("nationaltarget", "source_name"),
        migrations.RemoveField("nationaltarget", "confidence"),
        migrations.AlterField(
            "nationaltarget",
            "source",
            models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.source",
                verbose_name="source",
            ),
        ),
        migrations.RemoveField("nationaloutcome", "source_name"),
        migrations.RemoveField("nationaloutcome", "confidence"),
        migrations.AlterField(
            "nationaloutcome",
            "source",
            models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.source",
                verbose_name="source",
            ),
        ),
        migrations.RemoveField("reportedtarget", "source_name"),
        migrations.RemoveField("reportedtarget", "confidence"),
        migrations.AlterField(
            "reportedtarget",
            "source",
            models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.source",
                verbose_name="source",
            ),
        ),
        migrations.RemoveField("openingbalance", "source_name"),
        migrations.RemoveField("openingbalance", "confidence"),
        migrations.AlterField(
            "openingbalance",
            "source",
            models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.source",
                verbose_name="source",
            ),
        ),
        migrations.RemoveField("housingrealisation", "source_name"),
        migrations.RemoveField("housingrealisation", "confidence"),
        migrations.AlterField(
            "housingrealisation",
            "source",
            models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.source",
                verbose_name="source",
            ),
        ),
    ]
