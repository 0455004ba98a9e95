"""On PostgreSQL the database itself refuses UPDATE, DELETE and TRUNCATE on certificate events (org/pg_guards.py:
only the test settings' connections may truncate, for Django's test flush; production never)."""

from django.db import migrations

from org.pg_guards import refuse_truncate, refuse_update_delete


class Migration(migrations.Migration):
    dependencies = [("certification", "0001_initial")]

    operations = [
        refuse_update_delete("certification_certificateevent", hint="record a correcting event"),
        refuse_truncate("certification_certificateevent"),
    ]
