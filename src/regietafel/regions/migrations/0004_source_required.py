"""The old source strings and confidences are gone: a figure's source is its record, its confidence the source's."""

from django.db import migrations

from regietafel.core.migration_sources import required_operations

MODELS = ["regions.PopulationFigure", "regions.Place"]


class Migration(migrations.Migration):
    dependencies = [("regions", "0003_source_records")]

    operations = required_operations(MODELS)
