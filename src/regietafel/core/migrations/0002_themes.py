from django.db import migrations

from regietafel.core.themes import ensure_themes


def add_themes(apps, schema_editor):
    ensure_themes(apps.get_model("core", "Theme"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
