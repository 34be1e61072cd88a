"""Each figure points to a source record (``core.Source``) instead of carrying its source as a string."""

import django.db.models.deletion
from django.db import migrations, models

from regietafel.core.migration_sources import to_records, to_strings

MODELS = ["housing.NationalTarget", "housing.NationalOutcome", "housing.ReportedTarget", "housing.OpeningBalance", "housing.HousingRealisation"]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_sources"),
        ("housing", "0002_period_locks"),
    ]

    operations = [
        migrations.RenameField("nationaltarget", "source", "source_name"),
        migrations.AddField(
            "nationaltarget",
            "source",
            models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.source",
                verbose_name="source",
            ),
        ),
        migrations.RenameField("nationaloutcome", "source", "source_name"),
        migrations.AddField(
            "nationaloutcome",
            "source",
            models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.source",
                verbose_name="source",
            ),
        ),
        migrations.RenameField("reportedtarget", "source", "source_name"),
        migrations.AddField(
            "reportedtarget",
            "source",
            models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.source",
                verbose_name="source",
            ),
        ),
        migrations.RenameField("openingbalance", "source", "source_name"),
        migrations.AddField(
            "openingbalance",
            "source",
            models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.source",
                verbose_name="source",
            ),
        ),
        migrations.RenameField("housingrealisation", "source", "source_name"),
        migrations.AddField(
            "housingrealisation",
            "source",
            models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.source",
                verbose_name="source",
            ),
        ),
        migrations.RunPython(
            lambda apps, schema_editor: to_records(apps, schema_editor, MODELS),
            lambda apps, schema_editor: to_strings(apps, schema_editor, MODELS),
        ),
    ]
