"""On PostgreSQL TRUNCATE of exams_questionversion is refused too (the row triggers of 0002_questionversion_immutable only see UPDATE and DELETE).

Only a connection that sets zhifa.allow_truncate = on may truncate: the test settings do (Django's test flush
empties the database with TRUNCATE); production never does."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION exams_questionversion_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('zhifa.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'exams_questionversion keeps its history: TRUNCATE refused' USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS exams_questionversion_no_truncate ON exams_questionversion;
CREATE TRIGGER exams_questionversion_no_truncate BEFORE TRUNCATE ON exams_questionversion
    FOR EACH STATEMENT EXECUTE FUNCTION exams_questionversion_refuse_truncate();
"""

DROP = """
DROP TRIGGER IF EXISTS exams_questionversion_no_truncate ON exams_questionversion;
DROP FUNCTION IF EXISTS exams_questionversion_refuse_truncate();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("exams", "0004_grading_graders")]

    operations = [migrations.RunPython(forwards, backwards)]
