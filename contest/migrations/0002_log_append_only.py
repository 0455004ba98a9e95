"""The contest's answer log is append-only in the database too (org/append_only.py guards the code)."""

from django.db import migrations

from org.pg_guards import refuse_truncate, refuse_update_delete


class Migration(migrations.Migration):
    dependencies = [("contest", "0001_initial")]

    operations = [
        refuse_update_delete("contest_logentry", hint="the log is the record of a contest: add an entry"),
        refuse_truncate("contest_logentry"),
    ]
