"""Each figure points to a source record (``core.Source``) instead of carrying its source as a string."""

from django.db import migrations

from regietafel.core.migration_sources import record_operations

MODELS = ["housing.NationalTarget", "housing.NationalOutcome", "housing.ReportedTarget", "housing.OpeningBalance", "housing.HousingRealisation"]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_sources"),
        ("housing", "0002_period_locks"),
    ]

    operations = record_operations(MODELS)
