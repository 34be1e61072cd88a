"""Bodies and forums are searched too: the SQLite index is written again with them (PostgreSQL needs nothing)."""

from django.db import migrations


def reindex(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from regietafel.search.index import rebuild

    rebuild(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial"), ("meetings", "0004_notifications")]
    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
