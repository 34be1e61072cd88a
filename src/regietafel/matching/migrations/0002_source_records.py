"""Each figure points to a source record (``core.Source``) instead of carrying its source as a string."""

import django.db.models.deletion
from django.db import migrations, models

from regietafel.core.migration_sources import to_records, to_strings

MODELS = ["matching.Dwelling"]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_sources"),
        ("matching", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("dwelling", "source", "source_name"),
        migrations.AddField(
            "dwelling",
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
