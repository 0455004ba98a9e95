"""On PostgreSQL TRUNCATE of exams_questionversion is refused too (the row triggers of 0002_questionversion_immutable
only see UPDATE and DELETE). See org/pg_guards.py for who may still truncate (the test flush)."""

from django.db import migrations

from org.pg_guards import refuse_truncate


class Migration(migrations.Migration):
    dependencies = [("exams", "0004_grading_graders")]

    operations = [refuse_truncate("exams_questionversion")]
