"""The old source strings and confidences are gone: a figure's source is its record, its confidence the source's."""

from django.db import migrations

from regietafel.core.migration_sources import required_operations

MODELS = ["indicators.Target", "indicators.Value"]


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_source_records")]

    operations = required_operations(MODELS)
