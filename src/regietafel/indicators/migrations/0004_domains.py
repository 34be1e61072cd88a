"""The starting set's domains exist in every installation, with or without the data set: without them no indicator
can be defined."""

from django.db import migrations

from regietafel.indicators.dataset import ensure_domains


def add_domains(apps, schema_editor):
    ensure_domains(apps.get_model("indicators", "Domain"))


class Migration(migrations.Migration):
    dependencies = [("indicators", "0003_source_required")]
    operations = [migrations.RunPython(add_domains, migrations.RunPython.noop)]
