"""On PostgreSQL the database itself refuses UPDATE and DELETE on the study-hour ledger."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION learning_creditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'learning_creditentry is append-only: % refused (write a reversing entry instead)', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS learning_creditentry_no_change ON learning_creditentry;
CREATE TRIGGER learning_creditentry_no_change
    BEFORE UPDATE OR DELETE ON learning_creditentry
    FOR EACH ROW EXECUTE FUNCTION learning_creditentry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS learning_creditentry_no_change ON learning_creditentry;
DROP FUNCTION IF EXISTS learning_creditentry_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
