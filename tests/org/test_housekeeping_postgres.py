"""The housekeeping loop outlives a database restart (issue #16, exam_load --pg-restart): the safety net that
grades what a gap left ungraded must not die with the connection it held. Each pass lets go of a broken
connection before it runs the jobs."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection

from org import housekeeping

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def counting_job(monkeypatch):
    """One registered job (the only one) that reads the database, and what it read."""
    seen: list[int] = []

    def job():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            seen.append(cursor.fetchone()[0])
        return len(seen)

    monkeypatch.setattr(housekeeping, "_JOBS", {})
    housekeeping.register_job(name="test.reads", every_seconds=0, run=job)
    return seen


def _kill_backend(pid: int) -> None:
    """What a PostgreSQL restart does to a connection: the server ends it."""
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_a_pass_after_the_database_dropped_the_connection_runs_again(postgres_only, counting_job, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 3600)  # long-lived, as a worker process keeps it
    last_run: dict[str, float] = {}
    assert housekeeping.run_round(last_run) == [("test.reads", 1)]
    first_backend = counting_job[0]
    _kill_backend(first_backend)

    # the pass that meets the dead connection fails (logged), the next one reconnects and runs
    results = [housekeeping.run_round(last_run) for _ in range(2)]
    assert ("test.reads", 2) in results[0] + results[1]
    assert counting_job[-1] != first_backend
