"""PostgreSQL: a covering index on the ledger (year, officer, category) INCLUDE (hours), so the yearly sums that
certification and reports take over millions of rows are an index-only scan (no heap visits once the table is
vacuumed). Not in the model state: SQLite has no INCLUDE, and the existing credit_year_officer index stays for it."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS credit_year_officer_cat_hours ON learning_creditentry "
    "(year, officer_id, category_code) INCLUDE (hours)"
)
DROP = "DROP INDEX IF EXISTS credit_year_officer_cat_hours"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("learning", "0003_mentoring_credit_category")]

    operations = [migrations.RunPython(forwards, backwards)]
