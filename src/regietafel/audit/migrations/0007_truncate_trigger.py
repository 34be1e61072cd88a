"""On PostgreSQL the processing log refuses TRUNCATE too (the row trigger of 0002 sees no rows of a TRUNCATE).

The one exception is a restore with ``--replace``, which replaces the whole database, the log included, with a
backup: it declares that in its own transaction with ``set_config('regietafel.replace_all', 'on', true)``
(``operations.backup``); the declaration ends with the transaction. The test database declares it for every session
(``tests/conftest.py``), because Django empties it with TRUNCATE between transactional tests.
"""

from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION regietafel_processing_log_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('regietafel.replace_all', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the processing log is append-only (TRUNCATE refused)'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER processing_log_no_truncate
    BEFORE TRUNCATE ON audit_processinglog
    FOR EACH STATEMENT EXECUTE FUNCTION regietafel_processing_log_no_truncate();
"""

ALLOW = """
DROP TRIGGER IF EXISTS processing_log_no_truncate ON audit_processinglog;
DROP FUNCTION IF EXISTS regietafel_processing_log_no_truncate();
"""


def forbid(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORBID, params=None)


def allow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_retention_trigger")]

    operations = [migrations.RunPython(forbid, allow)]
