"""On PostgreSQL the database itself refuses UPDATE, DELETE and TRUNCATE on year-end snapshots and their officer rows
(org/pg_guards.py): a closed year is reopened by a new snapshot, never by changing the old one."""

from django.db import migrations

from org.pg_guards import refuse_truncate, refuse_update_delete


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_snapshots")]

    operations = [
        refuse_update_delete("reports_yearsnapshot", hint="close the year again for a new snapshot"),
        refuse_truncate("reports_yearsnapshot"),
        refuse_update_delete("reports_snapshotofficer", hint="close the year again for a new snapshot"),
        refuse_truncate("reports_snapshotofficer"),
    ]
