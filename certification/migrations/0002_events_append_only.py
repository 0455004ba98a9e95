"""On PostgreSQL the database itself refuses UPDATE, DELETE and TRUNCATE on certificate events.

TRUNCATE is refused unless the session setting `zfxt.allow_truncate` is 'on': Django's test flush (transactional
tests, e2e) empties tables with TRUNCATE, and tests/conftest.py turns the setting on for the test database only.
Production never sets it."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION certification_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND coalesce(current_setting('zfxt.allow_truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'certification_certificateevent is append-only: % refused (record a correcting event)', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS certification_event_no_change ON certification_certificateevent;
CREATE TRIGGER certification_event_no_change
    BEFORE UPDATE OR DELETE ON certification_certificateevent
    FOR EACH ROW EXECUTE FUNCTION certification_event_append_only();
DROP TRIGGER IF EXISTS certification_event_no_truncate ON certification_certificateevent;
CREATE TRIGGER certification_event_no_truncate
    BEFORE TRUNCATE ON certification_certificateevent
    FOR EACH STATEMENT EXECUTE FUNCTION certification_event_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS certification_event_no_truncate ON certification_certificateevent;
DROP TRIGGER IF EXISTS certification_event_no_change ON certification_certificateevent;
DROP FUNCTION IF EXISTS certification_event_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("certification", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
