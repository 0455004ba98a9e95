"""On PostgreSQL, question versions are immutable in the database itself: UPDATE of the frozen content and
DELETE are refused by a trigger (only created_by may be nulled when a user account is deleted)."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION exams_questionversion_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'exams_questionversion rows are immutable (delete refused)';
    END IF;
    IF NEW.content IS DISTINCT FROM OLD.content OR NEW.number IS DISTINCT FROM OLD.number
       OR NEW.question_id IS DISTINCT FROM OLD.question_id OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        RAISE EXCEPTION 'exams_questionversion rows are immutable (update refused)';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS exams_questionversion_immutable ON exams_questionversion;
CREATE TRIGGER exams_questionversion_immutable BEFORE UPDATE OR DELETE ON exams_questionversion
    FOR EACH ROW EXECUTE FUNCTION exams_questionversion_immutable();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS exams_questionversion_immutable ON exams_questionversion;
DROP FUNCTION IF EXISTS exams_questionversion_immutable();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("exams", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
