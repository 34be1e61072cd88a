"""The SQLite search index (see regietafel.search.index), filled from the records already stored. PostgreSQL builds
its documents at query time and needs no table, so this migration does nothing there."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5(kind UNINDEXED, object_id UNINDEXED, title, body, "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    from regietafel.search.index import rebuild

    rebuild(apps.get_model)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute("DROP TABLE search_fts")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0003_calendar_feed"),
        ("conditions", "0001_initial"),
        ("practices", "0002_search_index"),
        ("organisations", "0002_history_and_contact_version"),
    ]
    operations = [migrations.RunPython(create_index, drop_index)]
