"""On PostgreSQL TRUNCATE of learning_creditentry is refused too (the row triggers of 0002_ledger_append_only only see UPDATE and DELETE).

Only a connection that sets zhifa.allow_truncate = on may truncate: the test settings do (Django's test flush
empties the database with TRUNCATE); production never does."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION learning_creditentry_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('zhifa.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'learning_creditentry keeps its history: TRUNCATE refused' USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS learning_creditentry_no_truncate ON learning_creditentry;
CREATE TRIGGER learning_creditentry_no_truncate BEFORE TRUNCATE ON learning_creditentry
    FOR EACH STATEMENT EXECUTE FUNCTION learning_creditentry_refuse_truncate();
"""

DROP = """
DROP TRIGGER IF EXISTS learning_creditentry_no_truncate ON learning_creditentry;
DROP FUNCTION IF EXISTS learning_creditentry_refuse_truncate();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("learning", "0003_mentoring_credit_category")]

    operations = [migrations.RunPython(forwards, backwards)]
