"""Background work of the exams app (django-tasks). Enqueue with `.enqueue()`; the worker runs them."""

from __future__ import annotations

from django_tasks import task


@task()
def sweep_overdue_attempts() -> int:
    """Finalise every exam attempt past its deadline and grace period (finish time = the deadline)."""
    from .services.attempts import attempts_sweep_overdue

    return attempts_sweep_overdue()
