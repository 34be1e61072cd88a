"""Retention is the one way processing log lines may leave the database (AVG storage limitation).

The trigger of 0002 still refuses every UPDATE and every DELETE, except a DELETE of a line older than the cut-off
that the same transaction declared with ``set_config('regietafel.retention_before', <timestamp>, true)``: what
``ProcessingLog.objects.expire(before)`` does. A plain DELETE, or one reaching for lines younger than the declared
cut-off, is refused as before; the declaration ends with the transaction.
"""

from django.db import migrations

RETENTION = """
CREATE OR REPLACE FUNCTION regietafel_processing_log_append_only() RETURNS trigger AS $$
DECLARE
    retention_before text := NULLIF(current_setting('regietafel.retention_before', true), '');
BEGIN
    IF TG_OP = 'DELETE' AND retention_before IS NOT NULL AND OLD.at < retention_before::timestamptz THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the processing log is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

STRICT = """
CREATE OR REPLACE FUNCTION regietafel_processing_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the processing log is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def allow_retention(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RETENTION, params=None)


def strict(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(STRICT, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_processinglog_channel_import")]

    operations = [migrations.RunPython(allow_retention, strict)]
