"""Races for the PostgreSQL tests: start calls at the same moment, each in its own thread and connection."""

from __future__ import annotations

import threading

from django.db import connections


def run_together(*calls):
    """Start every call at once (a barrier), each in its own thread and database connection; return the results
    and the exceptions raised (the test says which are expected)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def worker(call):
        try:
            barrier.wait()
            results.append(call())
        except Exception as exc:  # reported to the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors
