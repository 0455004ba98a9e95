"""On PostgreSQL TRUNCATE of learning_creditentry is refused too (the row triggers of 0002_ledger_append_only only
see UPDATE and DELETE). See org/pg_guards.py for who may still truncate (the test flush)."""

from django.db import migrations

from org.pg_guards import refuse_truncate


class Migration(migrations.Migration):
    dependencies = [("learning", "0003_mentoring_credit_category")]

    operations = [refuse_truncate("learning_creditentry")]
