"""Each figure points to a source record (``core.Source``) instead of carrying its source as a string."""

import django.db.models.deletion
from django.db import migrations, models

from regietafel.core.migration_sources import to_records, to_strings

MODELS = ["reception.ReceptionTask", "reception.Location", "reception.LocationObservation", "reception.ThirdCountryNationalCount"]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_sources"),
        ("reception", "0003_location_observations"),
    ]

    operations = [
        migrations.RenameField("receptiontask", "source", "source_name"),
        migrations.AddField(
            "receptiontask",
            "source",
            models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.source",
                verbose_name="source",
            ),
        ),
        migrations.RenameField("location", "source", "source_name"),
        migrations.AddField(
            "location",
            "source",
            models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.source",
                verbose_name="source",
            ),
        ),
        migrations.RenameField("locationobservation", "source", "source_name"),
        migrations.AddField(
            "locationobservation",
            "source",
            models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.source",
                verbose_name="source",
            ),
        ),
        migrations.RenameField("thirdcountrynationalcount", "source", "source_name"),
        migrations.AddField(
            "thirdcountrynationalcount",
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
