"""On PostgreSQL the database itself refuses to update or delete processing log lines."""

from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION regietafel_processing_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the processing log is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER processing_log_append_only
    BEFORE UPDATE OR DELETE ON audit_processinglog
    FOR EACH ROW EXECUTE FUNCTION regietafel_processing_log_append_only();
"""

ALLOW = """
DROP TRIGGER IF EXISTS processing_log_append_only ON audit_processinglog;
DROP FUNCTION IF EXISTS regietafel_processing_log_append_only();
"""


def forbid(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORBID, params=None)


def allow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_processing_log")]

    operations = [migrations.RunPython(forbid, allow)]
