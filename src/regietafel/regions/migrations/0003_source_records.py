"""Each figure points to a source record (``core.Source``) instead of carrying its source as a string."""

from django.db import migrations

from regietafel.core.migration_sources import record_operations

MODELS = ["regions.PopulationFigure", "regions.Place"]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_sources"),
        ("regions", "0002_place"),
    ]

    operations = record_operations(MODELS)
