"""Background work of the exams app (django-tasks). Enqueue with `.enqueue()`; the worker runs them."""

from __future__ import annotations

from django_tasks import task


@task()
def sweep_overdue_attempts() -> int:
    """Finalise every exam attempt past its deadline and grace period (finish time = the deadline)."""
    from .services.attempts import attempts_sweep_overdue

    return attempts_sweep_overdue()


@task()
def grade_attempt(attempt_id: int) -> bool:
    """Grade a submitted attempt after the submit's commit; a no-op when it is graded already (retries, a second
    worker, the safety net), so it runs exactly once per attempt. True when this run graded it."""
    from .services.grading import attempt_grade_pending

    return attempt_grade_pending(attempt_id=attempt_id)
