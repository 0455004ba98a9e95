"""PostgreSQL: a covering index on the ledger (year, officer, category) INCLUDE (hours), so the yearly sums that
certification and reports take over millions of rows are an index-only scan (no heap visits once the table is
vacuumed). Not in the model state: SQLite has no INCLUDE, and the existing credit_year_officer index stays for it."""

from django.db import migrations

from org.pg_guards import postgres_only


class Migration(migrations.Migration):
    dependencies = [("learning", "0004_ledger_no_truncate")]

    operations = [
        postgres_only(
            "CREATE INDEX IF NOT EXISTS credit_year_officer_cat_hours ON learning_creditentry "
            "(year, officer_id, category_code) INCLUDE (hours)",
            "DROP INDEX IF EXISTS credit_year_officer_cat_hours",
        )
    ]
