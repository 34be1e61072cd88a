"""Each figure points to a source record (``core.Source``) instead of carrying its source as a string."""

from django.db import migrations

from regietafel.core.migration_sources import record_operations

MODELS = ["reception.ReceptionTask", "reception.Location", "reception.LocationObservation", "reception.ThirdCountryNationalCount"]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_sources"),
        ("reception", "0003_location_observations"),
    ]

    operations = record_operations(MODELS)
