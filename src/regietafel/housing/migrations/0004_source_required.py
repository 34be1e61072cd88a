"""The old source strings and confidences are gone: a figure's source is its record, its confidence the source's."""

from django.db import migrations

from regietafel.core.migration_sources import required_operations

MODELS = ["housing.NationalTarget", "housing.NationalOutcome", "housing.ReportedTarget", "housing.OpeningBalance", "housing.HousingRealisation"]


class Migration(migrations.Migration):
    dependencies = [("housing", "0003_source_records")]

    operations = required_operations(MODELS)
