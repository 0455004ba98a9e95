"""PostgreSQL: each ledger row's hours in integer hundredths, as a STORED generated column (`hours * 100`, exact:
hours are numeric(7,2)), carried by the covering index of 0005. Summing integers is about a quarter cheaper than
summing numerics over the 4,000,000 rows of a year (measured in docs/PERFORMANCE.md), and a parallel aggregate's
partial sums are then plain bigints. The database computes the column from the row and ledger rows are never
updated, so it cannot drift: every total is still a sum over the ledger. Not in the model state (like 0005's
index): SQLite sums `hours` itself (learning.selectors._earned_matrix)."""

from django.db import migrations

from org.pg_guards import postgres_only


class Migration(migrations.Migration):
    dependencies = [("learning", "0006_alter_creditentry_source_kind")]

    operations = [
        postgres_only(
            "ALTER TABLE learning_creditentry ADD COLUMN IF NOT EXISTS hours_hundredths integer "
            "GENERATED ALWAYS AS ((hours * 100)::integer) STORED; "
            "DROP INDEX IF EXISTS credit_year_officer_cat_hours; "
            "CREATE INDEX credit_year_officer_cat_hours ON learning_creditentry "
            "(year, officer_id, category_code) INCLUDE (hours, hours_hundredths)",
            "DROP INDEX IF EXISTS credit_year_officer_cat_hours; "
            "ALTER TABLE learning_creditentry DROP COLUMN IF EXISTS hours_hundredths; "
            "CREATE INDEX credit_year_officer_cat_hours ON learning_creditentry "
            "(year, officer_id, category_code) INCLUDE (hours)",
        )
    ]
