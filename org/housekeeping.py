"""Periodic jobs of any app, run by one loop (`manage.py housekeeping --loop 60`, started by `make run` and
`make worker`).

org sits at the bottom of the dependency order, so it knows no jobs itself: higher apps register theirs in
AppConfig.ready() with how often they should run. A job must be safe to run again and by two workers at once
(e.g. certification's reminders keep a log with a unique key); the loop only spaces runs out."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import close_old_connections

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every_seconds: int
    run: Callable[[], object]


_JOBS: dict[str, Job] = {}


def register_job(*, name: str, every_seconds: int, run: Callable[[], object]) -> None:
    _JOBS[name] = Job(name=name, every_seconds=every_seconds, run=run)


def jobs() -> list[Job]:
    return sorted(_JOBS.values(), key=lambda j: j.name)


def run_due(
    last_run: dict[str, float], *, now: float | None = None, only: str | None = None
) -> list[tuple[str, object]]:
    """Run every job whose interval has passed since `last_run` (updated in place); a failing job is logged and
    does not stop the others. Returns (name, result) of the jobs that ran."""
    now = time.monotonic() if now is None else now
    done = []
    for job in jobs():
        if only and job.name != only:
            continue
        previous = last_run.get(job.name)
        if previous is not None and now - previous < job.every_seconds:
            continue
        last_run[job.name] = now
        try:
            done.append((job.name, job.run()))
        except Exception:
            log.exception("housekeeping job %s failed", job.name)
            done.append((job.name, None))
    return done


def run_round(last_run: dict[str, float], *, only: str | None = None) -> list[tuple[str, object]]:
    """One pass of the loop. First let go of a database connection that a database restart broke or that is too
    old: a long-running process has no request cycle to do it, and without this every later pass fails on the
    dead connection (found by exam_load --pg-restart). Then run what is due."""
    close_old_connections()
    return run_due(last_run, only=only)
