"""The append-only tables (study-hour ledger, frozen question versions) refuse TRUNCATE on PostgreSQL, as they refuse
UPDATE and DELETE; only a connection that opts in (the test settings, for Django's flush) may empty them."""

import pytest
from django.db import DatabaseError, connection, transaction

TABLES = ["learning_creditentry", "exams_questionversion"]


@pytest.mark.parametrize("table", TABLES)
def test_truncate_is_refused_without_the_opt_in(postgres_only, table):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL zhifa.allow_truncate = 'off'")  # as a production connection
        with pytest.raises(DatabaseError, match="TRUNCATE refused"), transaction.atomic():
            cursor.execute(f"TRUNCATE {table} CASCADE")


@pytest.mark.parametrize("table", TABLES)
def test_truncating_a_parent_with_cascade_is_refused_too(postgres_only, table):
    parent = {"learning_creditentry": "org_officer", "exams_questionversion": "exams_question"}[table]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL zhifa.allow_truncate = 'off'")
        with pytest.raises(DatabaseError, match="TRUNCATE refused"), transaction.atomic():
            cursor.execute(f"TRUNCATE {parent} CASCADE")


@pytest.mark.django_db(transaction=True)
def test_the_test_flush_still_works():
    """Django's flush (TRUNCATE on PostgreSQL) empties the database between transactional tests; the statement
    triggers fire even on empty tables, so this fails without the test settings' opt-in."""
    from django.core.management import call_command

    call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
