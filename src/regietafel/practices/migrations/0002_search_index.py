"""The SQLite search index of practices (see regietafel.practices.search).

PostgreSQL builds its documents at query time and needs no table, so this migration does nothing there.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        "CREATE VIRTUAL TABLE practices_practice_fts "
        "USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute("DROP TABLE practices_practice_fts")


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]
    operations = [migrations.RunPython(create_index, drop_index)]
